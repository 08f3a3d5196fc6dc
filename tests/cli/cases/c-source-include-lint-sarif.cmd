lint --format sarif tests/data/include/camera-graph.yaml
