report tests/data/reports/invalid-utf8.json
