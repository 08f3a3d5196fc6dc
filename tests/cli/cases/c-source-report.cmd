report tests/data/c/single_pin.c
