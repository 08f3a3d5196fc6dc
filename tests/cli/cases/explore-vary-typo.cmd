explore examples/capture-preview.yaml --frames 50 --vary renderer.in.framing_ex.items[0].frame=2,4
