#define CASE_MIN 8192
#define CASE_MAX 4096
