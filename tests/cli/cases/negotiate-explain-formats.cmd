negotiate --format text --explain examples/avshws-to-user-app.yaml
