lint tests/data/hostile/out-of-range.yaml
