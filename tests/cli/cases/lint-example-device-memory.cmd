lint examples/device-memory.yaml
