lint tests/data/c/no-such-driver.c
