lint --color always examples/broken/compression.yaml
