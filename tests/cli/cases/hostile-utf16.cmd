lint tests/data/hostile/utf16.yaml
