diff tests/data/reports/capture-preview.json examples/capture-preview.yaml --frames 300
