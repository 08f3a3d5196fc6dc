lint examples/broken/cycle.yaml
