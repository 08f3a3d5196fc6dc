import --from-c -I tests/data/c tests/data/c/camera.c
