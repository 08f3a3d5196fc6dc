import tests/data/import/not-hex.txt --as ex --input-format hex
