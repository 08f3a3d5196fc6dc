report examples/splitter-preview-record.yaml --frames 300
