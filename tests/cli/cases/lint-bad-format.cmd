lint --format xml examples/capture-preview.yaml
