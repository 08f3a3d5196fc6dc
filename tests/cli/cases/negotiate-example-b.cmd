negotiate examples/inplace-expander.yaml
