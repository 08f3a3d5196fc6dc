import /dev/zero --as ex
