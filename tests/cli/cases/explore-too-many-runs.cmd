explore examples/capture-preview.yaml --vary renderer.in.framing_ex.items[0].frames=1..40 --vary load.source.rate_hz=1..30
