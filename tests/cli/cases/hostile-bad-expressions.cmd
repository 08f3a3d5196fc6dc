lint tests/data/hostile/bad-expressions.yaml
