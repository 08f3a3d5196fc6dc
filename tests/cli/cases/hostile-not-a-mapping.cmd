lint tests/data/hostile/not-a-mapping.yaml
