lint tests/data/hostile/deep-nesting.yaml
