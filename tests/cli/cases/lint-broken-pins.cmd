lint examples/broken/pins.yaml
