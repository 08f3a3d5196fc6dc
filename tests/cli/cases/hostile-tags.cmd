lint tests/data/hostile/tags.yaml
