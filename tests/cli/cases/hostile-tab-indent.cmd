lint tests/data/hostile/tab-indent.yaml
