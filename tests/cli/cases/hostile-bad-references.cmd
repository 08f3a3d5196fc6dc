lint tests/data/hostile/bad-references.yaml
