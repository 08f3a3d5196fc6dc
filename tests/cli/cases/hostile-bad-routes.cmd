lint tests/data/hostile/bad-routes.yaml
