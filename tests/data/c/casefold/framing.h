#define CASE_FRAMES 6
