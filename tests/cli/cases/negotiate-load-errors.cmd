negotiate tests/data/hostile/wrong-types.yaml
