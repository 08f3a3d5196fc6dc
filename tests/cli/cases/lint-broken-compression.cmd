lint examples/broken/compression.yaml
