run --format text tests/data/load/inplace-holds-every-frame.yaml
