import examples/captured/avshws-capture-ex-db.txt --as ex --input-format hex
