lint examples/broken/framing-items.yaml
