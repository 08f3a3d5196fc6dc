explore --vary TunerFilter.pin0.simple_framing_ex.frames=2,8,32 tests/data/include/tuner-graph.yaml
