negotiate --format text examples/encoder-two-pipes.yaml
