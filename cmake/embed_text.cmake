# Turns a text file into a C++ source that defines ksframe::embedded::schema_<NAME>().
# Bytes are written as a hex array so no delimiter in the text can end a literal early.
file(READ "${INPUT}" content HEX)
string(LENGTH "${content}" hexlen)
math(EXPR len "${hexlen} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${content}")
file(WRITE "${OUTPUT}"
"// Generated from ${INPUT}; do not edit.\n#include <string_view>\nnamespace ksframe::embedded {\nstatic const char data_${NAME}[] = {${bytes} 0};\nstd::string_view schema_${NAME}() { return {data_${NAME}, ${len}}; }\n}\n")
