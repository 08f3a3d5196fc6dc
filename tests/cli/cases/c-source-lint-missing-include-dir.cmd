lint -I tests/data/c/no-such-dir tests/data/c/cases/pinsb10.c
