run --format text tests/data/load/two-rates.yaml
