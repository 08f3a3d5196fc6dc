negotiate --set camera.capture.framing_ex.items[3].frames=4 examples/capture-preview.yaml
