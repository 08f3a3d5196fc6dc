import examples/captured/avshws-capture-ex-dd.txt --as ex --input-format hex
