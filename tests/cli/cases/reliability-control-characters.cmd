lint tests/data/reliability/control-characters-in-name.yaml
