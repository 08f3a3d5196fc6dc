import examples/captured/truncated-ex.bin --as ex
