diff tests/data/load/burst-drops-paced.yaml tests/data/load/burst-drops.yaml --fail-on new-starvation
