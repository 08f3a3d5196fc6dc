run --format markdown --frames 200 --set load.faults.lose_frames=1 examples/capture-preview.yaml
