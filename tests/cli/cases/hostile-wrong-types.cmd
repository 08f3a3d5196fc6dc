lint tests/data/hostile/wrong-types.yaml
