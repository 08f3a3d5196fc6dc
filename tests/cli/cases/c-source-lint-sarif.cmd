lint --format sarif -I tests/data/c tests/data/c/camera.c tests/data/c/encoder.cpp
