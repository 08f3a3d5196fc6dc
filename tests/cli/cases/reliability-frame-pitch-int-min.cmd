lint tests/data/reliability/frame-pitch-int-min.yaml
