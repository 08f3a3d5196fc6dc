lint --no-notes examples/capture-preview.yaml examples/broken/legacy.yaml no-such-file.yaml
