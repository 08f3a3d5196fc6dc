negotiate --set camera.captur.frames=4 examples/capture-preview.yaml
