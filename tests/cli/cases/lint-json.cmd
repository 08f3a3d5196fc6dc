lint --format json examples/broken/graph.yaml examples/capture-preview.yaml
