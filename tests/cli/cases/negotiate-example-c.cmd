negotiate tests/data/negotiation/example-c-integrity.yaml
