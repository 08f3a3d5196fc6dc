#include <ks.h>
const KSPIN_DESCRIPTOR_EX P[] = { { 0, 0, {0}, 0, 1, 0, (const KSALLOCATOR_FRAMING_EX*)&P } };
const KSFILTER_DESCRIPTOR F = { 0, 0, 0, 0, 0, 1, sizeof(P[0]), P, 0, 0, 0, 0, 0, 0, 0, 0 };
DECLARE_SIMPLE_FRAMING_EX(X, STATICGUIDOF(GUID_NULL), TYPO, 2, 0, 1, 2);
