export examples/ac97-audio.yaml
