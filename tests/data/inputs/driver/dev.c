/* What `ksframe inputs` follows: quoted and angle includes, found beside the source, in its
 * include folders or in its compilation database's; a header under #if 0 is listed too. */
#include <ks.h>
#include "dev.h"
#include <board.h>
#if 0
#include "unused.h"
#endif
#include VENDOR_HEADER
