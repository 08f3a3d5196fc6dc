lint tests/data/hostile/anchors-aliases.yaml
