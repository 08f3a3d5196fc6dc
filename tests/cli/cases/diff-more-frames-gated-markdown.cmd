diff tests/data/diff/base.yaml tests/data/diff/more-frames.yaml --frames 600 --fail-on memory-increase,new-starvation --format markdown
