lint --disable KSF1004,range-disjoint --disable KSF1099 --no-notes examples/broken/framing-ranges.yaml
