export examples/capture-preview.yaml --set 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxéyz.capture.frames=1'
