run --format text --frames 300 --set load.stages.writer.hold_frames=8 examples/encoder-two-pipes.yaml
