lint tests/data/hostile/bad-data-ranges.yaml
