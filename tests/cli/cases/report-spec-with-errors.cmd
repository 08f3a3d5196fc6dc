report examples/broken/pins.yaml
