lint tests/data/hostile/comment-only.yaml
