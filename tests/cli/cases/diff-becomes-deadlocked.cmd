diff tests/data/load/renderer-holds-three-frames.yaml tests/data/load/renderer-holds-every-frame.yaml --frames 1000 --fail-on new-starvation
