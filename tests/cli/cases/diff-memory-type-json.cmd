diff tests/data/diff/base.yaml tests/data/diff/memory-type.yaml --frames 600 --format json --fail-on new-errors
