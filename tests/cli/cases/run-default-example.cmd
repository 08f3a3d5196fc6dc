run examples/capture-preview.yaml
