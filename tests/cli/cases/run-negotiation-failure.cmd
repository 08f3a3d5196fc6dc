run tests/data/negotiation/example-d-memory-conflict.yaml
