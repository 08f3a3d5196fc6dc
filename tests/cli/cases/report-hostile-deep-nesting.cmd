report tests/data/reports/deep-nesting.json
