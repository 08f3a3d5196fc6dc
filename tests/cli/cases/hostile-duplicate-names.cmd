lint tests/data/hostile/duplicate-names.yaml
