lint tests/data/c/cases/bad_audio_range.c tests/data/c/cases/datarange_not_table.c
