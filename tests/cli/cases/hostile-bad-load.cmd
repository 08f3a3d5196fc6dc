lint tests/data/hostile/bad-load.yaml
