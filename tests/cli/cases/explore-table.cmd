explore examples/capture-preview.yaml --frames 600 --vary renderer.in.framing_ex.items[0].frames=2..8:2 --vary load.source.rate_hz=15,30
