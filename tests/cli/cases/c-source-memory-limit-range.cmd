lint --clang-memory-limit 2000000 tests/data/c/camera.c
