lint examples/ac97-audio.yaml
