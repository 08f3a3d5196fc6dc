export examples/avssamp-to-user-app.yaml
