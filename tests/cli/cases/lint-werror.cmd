lint --werror --no-notes examples/broken/framing-ranges.yaml
