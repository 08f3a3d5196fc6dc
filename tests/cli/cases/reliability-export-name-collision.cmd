export tests/data/reliability/export-name-collision.yaml
