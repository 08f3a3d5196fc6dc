negotiate examples/broken/formats-connection.yaml
