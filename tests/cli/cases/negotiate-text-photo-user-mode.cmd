negotiate --format text examples/photo-user-mode.yaml
