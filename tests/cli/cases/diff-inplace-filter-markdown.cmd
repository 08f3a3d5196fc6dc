diff tests/data/diff/base.yaml tests/data/diff/inplace-filter.yaml --frames 600 --format markdown
