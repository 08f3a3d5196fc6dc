lint examples/encoder-two-pipes.yaml
