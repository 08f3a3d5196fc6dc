lint tests/data/hostile/syntax-error.yaml
