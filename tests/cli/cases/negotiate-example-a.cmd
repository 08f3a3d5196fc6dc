negotiate examples/capture-preview.yaml
