run --format markdown tests/data/load/burst-drops.yaml
