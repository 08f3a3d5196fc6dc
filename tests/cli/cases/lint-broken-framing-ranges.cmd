lint examples/broken/framing-ranges.yaml
