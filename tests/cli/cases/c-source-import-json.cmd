import --from-c --format json -I tests/data/c -D ENCODER_HD tests/data/c/encoder.cpp
