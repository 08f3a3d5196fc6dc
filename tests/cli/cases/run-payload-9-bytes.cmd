run --format text tests/data/load/payload-9-bytes.yaml
