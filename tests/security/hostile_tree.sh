# Lays out a pull request's hostile tree in DIR (sourced by the tests of this folder): DIR/repo is
# the checkout (a git work tree, so it is ksframe's default --root), DIR/outside holds what the
# CI machine keeps beside it: a made-up secret and an executable. Symlinks out of the tree and
# FIFOs are the point, and git cannot hold them, so the tree is made here, in the test.
# CANARY is the secret's text; the tests also put it in the environment.
CANARY=ghs_CANARY0123456789abcdef

lay_out_hostile_tree() {
  local d=$1
  mkdir -p "$d/outside" "$d/repo/specs" "$d/repo/driver" "$d/repo/out"
  echo "$CANARY" > "$d/outside/secret.txt"
  printf '#!/bin/sh\necho original\n' > "$d/outside/tool"
  chmod 755 "$d/outside/tool"
  git init -q "$d/repo"
  (
    cd "$d/repo" || exit 1
    # A spec that is a symlink to the secret, and includes of it by link and by absolute path.
    ln -s ../../outside/secret.txt specs/leak.yaml
    ln -s ../../outside/secret.txt specs/secret-link.yaml
    printf 'ksframe: 1\nname: inc\ninclude: [secret-link.yaml]\n' > specs/include-link.yaml
    printf 'ksframe: 1\nname: abs\ninclude: [%s]\n' "$d/outside/secret.txt" > specs/include-absolute.yaml
    # A C source whose #include of the secret would make it the framing's name.
    printf '#include <ks.h>\nconst KSALLOCATOR_FRAMING_EX\n#include "%s"\n= { 1, 0, {1,1,0}, 0, {{ STATICGUIDOF(GUID_NULL), STATICGUIDOF(GUID_NULL), 0,0,0, 3, 0, 0, {0,4096,1}, {{4096,4096,1},0,0} }}};\n' \
      "$d/outside/secret.txt" > driver/include-outside.c
    # The same through a symlinked header inside the tree, and a header the tree may include.
    ln -s ../../outside/secret.txt driver/secret.h
    printf '#include <ks.h>\n#include "secret.h"\n' > driver/include-link.c
    # /proc/self/environ as a C source, a forced -include turning the environment into a
    # declaration, through the tree's compile_commands.json.
    ln -s /proc/self/environ driver/env.c
    printf '#include <ks.h>\n#define CANARY_TOKEN ; KSALLOCATOR_FRAMING_EX leaked = {.CountItems=1}; KSALLOCATOR_FRAMING_EX CANARY_is = { .PinFlags\n' > driver/prefix.h
    printf '[{"directory": "%s", "file": "driver/env.c", "arguments": ["clang", "-include", "driver/prefix.h", "-c", "driver/env.c"]},\n {"directory": "%s", "file": "driver/ok.c", "arguments": ["clang", "-include", "%s", "-c", "driver/ok.c"]},\n {"directory": "%s", "file": "driver/rsp.c", "arguments": ["clang", "@%s", "-c", "driver/rsp.c"]}]\n' \
      "$d/repo" "$d/repo" "$d/outside/secret.txt" "$d/repo" "$d/outside/secret.txt" > compile_commands.json
    printf 'ksframe: 1\nname: env\ninclude: [{path: ../driver/env.c, compile_commands: ../compile_commands.json}]\n' > specs/include-environ.yaml
    printf '#include <ks.h>\nDECLARE_SIMPLE_FRAMING_EX(Ok, STATICGUIDOF(KSMEMORY_TYPE_KERNEL_NONPAGED), KSALLOCATOR_REQUIREMENTF_SYSTEM_MEMORY, 2, FILE_QUAD_ALIGNMENT, 4096, 4096);\n' > driver/ok.c
    cp driver/ok.c driver/rsp.c
    printf 'ksframe: 1\nname: cc\ninclude: [{path: ../driver/ok.c, compile_commands: ../compile_commands.json}]\n' > specs/include-forced.yaml
    printf 'ksframe: 1\nname: rsp\ninclude: [{path: ../driver/rsp.c, compile_commands: ../compile_commands.json}]\n' > specs/include-response.yaml
    printf 'ksframe: 1\nname: dirs\ninclude: [{path: ../driver/ok.c, include_dirs: [../../outside]}]\n' > specs/include-dirs.yaml
    # Streams that never end, as spec or include.
    mkfifo specs/fifo.yaml driver/fifo.h
    printf '#include <ks.h>\n#include "fifo.h"\n' > driver/include-fifo.c
    ln -s /dev/stdin specs/stdin.yaml
    ln -s /proc/self/fd/1 specs/stdout.yaml
    printf 'ksframe: 1\nname: s\ninclude: [stdout.yaml]\n' > specs/include-stdout.yaml
    printf 'ksframe: 1\nname: s\ninclude: [fifo.yaml]\n' > specs/include-fifo.yaml
    # An output path the tree plants: a symlink to an executable outside it.
    ln -s ../../outside/tool out/report.md
    # A file name that is an option, beside the spec it would overwrite.
    printf 'ksframe: 1\nname: cam\nfilters: []\n' > camera.ksframe.yaml
    printf 'ksframe: 1\nname: x\nfilters: []\n' > ./-ocamera.ksframe.yaml
  )
}
