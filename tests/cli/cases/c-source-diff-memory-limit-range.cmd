diff --clang-memory-limit 2000000 tests/data/c/camera.twin.yaml tests/data/c/camera.c
