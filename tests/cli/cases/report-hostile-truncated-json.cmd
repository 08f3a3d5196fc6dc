report tests/data/reports/truncated.json
