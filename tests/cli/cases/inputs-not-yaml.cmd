inputs tests/data/inputs/broken.yaml
