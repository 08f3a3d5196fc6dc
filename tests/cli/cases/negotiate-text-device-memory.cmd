negotiate --format text examples/device-memory.yaml
