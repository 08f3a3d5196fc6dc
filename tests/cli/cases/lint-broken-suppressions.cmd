lint examples/broken/suppressions.yaml
