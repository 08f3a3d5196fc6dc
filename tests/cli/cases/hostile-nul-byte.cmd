lint tests/data/hostile/nul-byte.yaml
