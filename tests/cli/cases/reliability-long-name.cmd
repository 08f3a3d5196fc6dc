lint tests/data/reliability/long-name.yaml
