run --format text tests/data/include/tuner-graph.yaml
