lint examples/broken/negotiation.yaml
