diff tests/data/reliability/diff-base.yaml tests/data/reliability/diff-head-huge-pipes.yaml --frames 300 --fail-on memory-increase
