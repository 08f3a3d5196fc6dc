explore tests/data/load/burst-drops.yaml --vary load.sources.cam.out.burst_frames=1..3
