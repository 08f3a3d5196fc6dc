lint --format sarif examples/broken/framing-ranges.yaml
