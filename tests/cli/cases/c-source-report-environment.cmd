report -I tests/data/c/no-such-dir tests/data/c/single_pin.c
