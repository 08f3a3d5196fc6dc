run --format text --frames 2000 --seed 5 examples/splitter-preview-record.yaml
