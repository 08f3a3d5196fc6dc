negotiate --strategy MinimiseFrameSize examples/capture-preview.yaml
