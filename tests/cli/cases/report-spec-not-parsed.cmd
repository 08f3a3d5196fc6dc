report tests/data/hostile/syntax-error.yaml
