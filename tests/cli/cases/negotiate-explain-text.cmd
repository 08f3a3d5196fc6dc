negotiate --format text --explain examples/encoder-two-pipes.yaml
