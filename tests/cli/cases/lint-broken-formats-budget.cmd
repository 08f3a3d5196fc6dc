lint examples/broken/formats-budget.yaml
