lint tests/data/hostile/billion-laughs.yaml
