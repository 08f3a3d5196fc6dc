lint tests/data/hostile/invalid-utf8.yaml
