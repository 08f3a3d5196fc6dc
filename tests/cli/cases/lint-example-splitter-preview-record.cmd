lint examples/splitter-preview-record.yaml
