explore examples/capture-preview.yaml --vary load.seed=0..18446744073709551615
