run examples/encoder-two-pipes.yaml --format markdown --frames 300
