lint tests/data/hostile/unknown-names.yaml
