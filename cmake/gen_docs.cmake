# Writes the man pages (gzipped, as Debian ships them) and the shell completions by running
# the freshly built ksframe: they come from its command table, so they match its --help.
# Called with -DKSFRAME=<binary> -DOUT=<directory>.
file(REMOVE_RECURSE "${OUT}")
file(MAKE_DIRECTORY "${OUT}/man1" "${OUT}/completions")
execute_process(COMMAND "${KSFRAME}" manpage --directory "${OUT}/man1" COMMAND_ERROR_IS_FATAL ANY)
file(GLOB pages "${OUT}/man1/*.1")
foreach(page IN LISTS pages)
  # -n: no name or time stamp in the header, so the package is reproducible.
  execute_process(COMMAND gzip -9nf "${page}" COMMAND_ERROR_IS_FATAL ANY)
endforeach()
foreach(pair "bash;ksframe" "zsh;_ksframe" "fish;ksframe.fish")
  list(GET pair 0 shell)
  list(GET pair 1 name)
  execute_process(COMMAND "${KSFRAME}" completion ${shell} OUTPUT_FILE "${OUT}/completions/${name}"
                  COMMAND_ERROR_IS_FATAL ANY)
endforeach()
file(TOUCH "${OUT}/stamp")
