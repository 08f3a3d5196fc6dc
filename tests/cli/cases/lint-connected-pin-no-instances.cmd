lint tests/data/c/cases/possible0.yaml
