import examples/captured/avshws-capture-ex.bin --as ex
