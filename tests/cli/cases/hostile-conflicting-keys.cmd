lint tests/data/hostile/conflicting-keys.yaml
