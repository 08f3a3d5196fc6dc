report --format markdown tests/data/load/renderer-holds-every-frame.yaml
