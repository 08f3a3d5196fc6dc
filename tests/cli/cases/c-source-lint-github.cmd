lint --format github -I tests/data/c tests/data/c/camera.c
