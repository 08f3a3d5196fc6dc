lint tests/data/hostile/version.yaml
