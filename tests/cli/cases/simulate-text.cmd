simulate --format text --frames 1000 examples/ac97-audio.yaml
