lint examples/photo-user-mode.yaml
