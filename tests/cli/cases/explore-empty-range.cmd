explore examples/capture-preview.yaml --vary renderer.in.framing_ex.items[0].frames=8..2
