run --format text tests/data/load/renderer-holds-every-frame.yaml
