run --format text --frames 10000000 --max-work 1000000 examples/capture-preview.yaml
