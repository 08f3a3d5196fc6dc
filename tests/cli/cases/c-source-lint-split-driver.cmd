lint tests/data/c/split/formats.c tests/data/c/split/pins.c tests/data/c/split/filter.c
