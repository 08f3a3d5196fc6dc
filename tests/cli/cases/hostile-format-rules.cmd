lint tests/data/hostile/format-rules.yaml
