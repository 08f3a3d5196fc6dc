#!/usr/bin/env bash
# The ksframe-lint pre-commit hook (.pre-commit-hooks.yaml): lints the specs a commit changes
# AND every spec that reads a changed file (an `include:`d spec or driver source, or a header
# one of those #includes: `ksframe inputs` lists them), so editing a driver header cannot pass
# a framing change the spec would catch. With --driver-sources first (the ksframe-lint-c hook) it
# lints the C/C++ sources it is given instead.
# Arguments: [--driver-sources] [LINT_OPTIONS... --] FILES...: the hook's `args:` end with `--`
# (`args: [-I, driver/inc, --]`), so an option's value is never taken for a file and a file
# named like an option is never taken for one. Specs are the tracked files under a specs/
# folder (.yaml, .yml) and *.ksframe.yaml anywhere.
set -uo pipefail
ksframe=${KSFRAME:-ksframe}
mode=specs
[[ ${1-} == --driver-sources ]] && mode=c && shift
options=() files=("$@")
for ((i = $#; i > 0; i--)); do
  if [[ ${!i} == -- ]]; then options=("${@:1:i-1}") files=("${@:i+1}"); break; fi
done
if [[ $mode == c ]]; then
  ((${#files[@]})) || exit 0
  exec "$ksframe" lint --no-notes "${options[@]}" -- "${files[@]}"
fi
declare -A changed=()
for f in "${files[@]}"; do changed[$f]=1; done

specs=()
while IFS= read -r -d '' spec; do
  if [[ -n ${changed[$spec]-} ]]; then specs+=("$spec"); continue; fi
  while IFS= read -r -d '' input; do
    if [[ -n ${changed[$input]-} ]]; then specs+=("$spec"); break; fi
  done < <("$ksframe" inputs -z -- "$spec" 2> /dev/null)  # a spec's entries carry its C options
done < <(git ls-files -z 2> /dev/null | grep -z -E '(^|/)specs/.*\.ya?ml$|\.ksframe\.ya?ml$')
((${#specs[@]})) || exit 0
exec "$ksframe" lint --no-notes "${options[@]}" -- "${specs[@]}"
