diff tests/data/diff/base.yaml tests/data/diff/base.yaml --fail-on new-error
