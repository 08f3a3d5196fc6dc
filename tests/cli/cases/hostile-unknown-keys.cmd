lint tests/data/hostile/unknown-keys.yaml
