lint examples/broken/graph.yaml
