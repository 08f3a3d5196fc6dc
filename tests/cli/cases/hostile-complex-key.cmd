lint tests/data/hostile/complex-key.yaml
