negotiate --format text --strategy MinimizeFrameSize --allocator-place first examples/capture-preview.yaml
