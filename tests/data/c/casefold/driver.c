/* Written on Windows (a fixture written for ksframe's tests): the includes name the headers in
 * another case, one through a backslash path. */
#include <ks.h>
#include "Framing.H"
#include "sub\limits.h"

DECLARE_SIMPLE_FRAMING_EX(CaseFraming, STATICGUIDOF(KSMEMORY_TYPE_KERNEL_NONPAGED),
                          KSALLOCATOR_REQUIREMENTF_SYSTEM_MEMORY, CASE_FRAMES,
                          FILE_QUAD_ALIGNMENT, CASE_MIN, CASE_MAX);
