lint --format github examples/broken/pins.yaml tests/data/hostile/bad-references.yaml
