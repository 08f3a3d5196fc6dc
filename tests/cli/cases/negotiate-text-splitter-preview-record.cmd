negotiate --format text examples/splitter-preview-record.yaml
