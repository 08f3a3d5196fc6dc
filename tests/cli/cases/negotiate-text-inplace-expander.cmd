negotiate --format text examples/inplace-expander.yaml
