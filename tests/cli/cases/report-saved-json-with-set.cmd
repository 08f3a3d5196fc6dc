report tests/data/reports/capture-preview.json --set options.default_frames=2
