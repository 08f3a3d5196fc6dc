lint tests/data/c/portcls/wave.cpp
