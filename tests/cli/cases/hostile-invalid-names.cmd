lint tests/data/hostile/invalid-names.yaml
