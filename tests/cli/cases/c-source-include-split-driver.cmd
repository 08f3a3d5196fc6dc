lint tests/data/c/split/driver.yaml
