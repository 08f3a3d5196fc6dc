inputs -z tests/data/inputs/driver/dev.c -I tests/data/inputs/driver/inc --compile-commands tests/data/inputs/driver/compile_commands.json
