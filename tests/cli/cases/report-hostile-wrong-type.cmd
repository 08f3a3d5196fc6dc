report tests/data/reports/wrong-type.json
