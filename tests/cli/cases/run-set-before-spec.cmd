run --set load.frames=50 examples/ac97-audio.yaml --format text --set load.seed=3
