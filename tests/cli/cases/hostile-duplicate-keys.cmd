lint tests/data/hostile/duplicate-keys.yaml
