import examples/captured/wavecyclic-legacy.bin --as legacy
