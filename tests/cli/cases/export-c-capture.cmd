export examples/capture-preview.yaml
