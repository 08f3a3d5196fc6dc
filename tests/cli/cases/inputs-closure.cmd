inputs tests/data/inputs/graph.yaml
