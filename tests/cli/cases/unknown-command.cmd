lnit examples/capture-preview.yaml
