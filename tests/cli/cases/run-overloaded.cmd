run --format text --frames 600 --set load.stages.renderer.service_us.mean=45000 examples/capture-preview.yaml
