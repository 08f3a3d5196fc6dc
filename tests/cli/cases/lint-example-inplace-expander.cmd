lint examples/inplace-expander.yaml
