lint examples/broken/formats-video.yaml
