lint tests/data/hostile/count-items.yaml
