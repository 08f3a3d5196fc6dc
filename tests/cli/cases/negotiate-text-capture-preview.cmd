negotiate --format text examples/capture-preview.yaml
