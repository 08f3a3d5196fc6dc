negotiate --format text --set camera.capture.framing_ex.items[0].frames=8 --set renderer.in.framing_ex.items[0].file_alignment=FILE_64_BYTE_ALIGNMENT examples/capture-preview.yaml
