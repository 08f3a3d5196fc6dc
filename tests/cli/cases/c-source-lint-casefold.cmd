lint tests/data/c/casefold/driver.c
