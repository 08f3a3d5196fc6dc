lint --no-notes tests/data/c/cases/no_descriptors.c tests/data/c/cases/plain_helper.c
