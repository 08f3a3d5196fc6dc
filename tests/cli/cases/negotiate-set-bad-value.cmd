negotiate --set camera.capture.framing_ex.items[0].frames=-4 examples/capture-preview.yaml
