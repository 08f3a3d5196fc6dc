lint examples/capture-preview.yaml
