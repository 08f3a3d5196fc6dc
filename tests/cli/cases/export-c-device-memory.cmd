export examples/device-memory.yaml
