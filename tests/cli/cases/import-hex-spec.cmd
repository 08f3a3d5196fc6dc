import examples/captured/avshws-capture-ex.hex --as ex --input-format hex --spec
