report examples/capture-preview.yaml --format html --frames 300
