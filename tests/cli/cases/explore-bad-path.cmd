explore examples/capture-preview.yaml --vary rendrer.in.framing_ex.items[0].frames=1..4
