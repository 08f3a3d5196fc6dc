lint tests/data/hostile/multi-document.yaml
