report tests/data/reports/capture-preview.json
