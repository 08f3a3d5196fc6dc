lint examples/broken/framing-flags.yaml
