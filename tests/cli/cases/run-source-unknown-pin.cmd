run --format text --set 'load.sources.cam.ot={rate_hz: 5}' tests/data/load/burst-drops.yaml
