lint tests/data/hostile/empty.yaml
