diff -I tests/data/c -D CAM_LOW_LATENCY --fail-on new-warnings tests/data/c/camera.twin.yaml tests/data/c/camera.c
