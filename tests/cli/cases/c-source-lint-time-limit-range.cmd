lint --clang-time-limit 0 tests/data/c/camera.c
