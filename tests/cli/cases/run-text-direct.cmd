run --format text --allocator-mode direct --frames 500 examples/encoder-two-pipes.yaml
