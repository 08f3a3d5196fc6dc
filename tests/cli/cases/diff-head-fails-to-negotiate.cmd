diff examples/capture-preview.yaml examples/broken/negotiation.yaml --frames 300 --fail-on negotiation-failure,new-errors
