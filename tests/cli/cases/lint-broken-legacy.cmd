lint examples/broken/legacy.yaml
