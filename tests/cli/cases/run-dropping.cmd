run --format text tests/data/load/burst-drops.yaml
