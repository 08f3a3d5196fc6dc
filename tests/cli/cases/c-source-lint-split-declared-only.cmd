lint tests/data/c/split/filter.c
