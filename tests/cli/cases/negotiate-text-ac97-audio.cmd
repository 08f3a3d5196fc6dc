negotiate --format text examples/ac97-audio.yaml
