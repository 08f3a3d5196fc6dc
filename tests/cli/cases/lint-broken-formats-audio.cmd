lint examples/broken/formats-audio.yaml
