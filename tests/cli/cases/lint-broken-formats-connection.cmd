lint examples/broken/formats-connection.yaml
