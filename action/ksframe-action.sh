#!/usr/bin/env bash
# The steps of the ksframe GitHub Action (action.yml), as one script so that they can be run
# and tested outside GitHub: lint (SARIF file + workflow annotations), a Markdown report of
# every spec the pull request changes with the diff of its outcome against the base commit,
# one pull-request comment that is updated on every push, and the gates.
#
# Environment (action.yml sets it from the inputs; every variable has a default):
#   KSFRAME          the ksframe binary (default: ksframe on PATH)
#   INPUT_SPECS      spec (or driver source) patterns, space-separated; ** matches folders
#   INPUT_FAIL_ON    diff gates, comma-separated (ksframe diff --fail-on)
#   INPUT_WERROR     "true": lint warnings fail the check
#   INPUT_COMMENT    "true": post or update the pull-request comment
#   BASE_SHA         the pull request's base commit (the diff compares against it)
#   OUT_DIR          where the SARIF file, the reports and the comment are written
#   GITHUB_API_URL GITHUB_REPOSITORY GITHUB_TOKEN PR_NUMBER   for the comment
# Exit code: 0 pass, 1 lint errors or a tripped gate, 2 ksframe could not run.
set -uo pipefail
shopt -s globstar nullglob

ksframe=${KSFRAME:-ksframe}
out=${OUT_DIR:-ksframe-out}
fail_on=${INPUT_FAIL_ON:-new-errors,negotiation-failure,new-starvation}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
mkdir -p "$out/base"

read -ra patterns <<< "${INPUT_SPECS:-specs/**/*.yaml}"
specs=()
for p in "${patterns[@]}"; do for f in $p; do specs+=("$f"); done; done
if ((${#specs[@]} == 0)); then
  echo "::error::ksframe: no file matches '${INPUT_SPECS:-specs/**/*.yaml}'"
  exit 2
fi

verdict=0
worst() { (($1 > verdict)) && verdict=$1; }  # 2 beats 1 beats 0

# File names come from the pull request: `--` before them, so a file named like an option
# (`-ocamera.ksframe.yaml`) is a file, not an output path.
# 1. Lint: SARIF for code scanning, annotations for the pull request's diff view.
werror=(); [[ ${INPUT_WERROR:-false} == true ]] && werror=(--werror)
"$ksframe" lint -q "${werror[@]}" --format sarif -o "$out/ksframe.sarif" -- "${specs[@]}"
lint_code=$?
"$ksframe" lint -q "${werror[@]}" --no-notes --format github -- "${specs[@]}"
worst $lint_code

# 2. Report and diff each spec the change touches (all of them without a base commit).
changed=()
if [[ -n ${BASE_SHA:-} ]]; then
  for f in "${specs[@]}"; do
    git diff --quiet "$BASE_SHA" -- "$f" 2> /dev/null || changed+=("$f")
  done
else
  changed=("${specs[@]}")
fi

comment=$out/comment.md
{
  echo "<!-- ksframe-action -->"
  echo "## ksframe"
  echo
  case $lint_code in
    0) echo "Lint: no errors in ${#specs[@]} file(s)." ;;
    1) echo "Lint: **errors** (see the annotations and code scanning)." ;;
    *) echo "Lint: ksframe could not lint every file (exit $lint_code)." ;;
  esac
  echo
  ((${#changed[@]})) || echo "No spec changed in this pull request."
} > "$comment"

n=0
for f in "${changed[@]}"; do
  n=$((n + 1))
  "$ksframe" report --format markdown -o "$out/report-$n.md" -- "$f"
  worst $(($? == 2 ? 2 : 0))  # the report's own verdict is the gates' business, not a failure
  "$ksframe" report --format html -o "$out/report-$n.html" -- "$f" || true
  {
    echo "<details><summary><code>$f</code></summary>"
    echo
    cat "$out/report-$n.md" 2> /dev/null
    echo
    echo "</details>"
    echo
  } >> "$comment"
  base_copy=$out/base/$n-$(basename "$f")
  if [[ -n ${BASE_SHA:-} ]] && git show "$BASE_SHA:./$f" > "$base_copy" 2> /dev/null; then
    "$ksframe" diff --format markdown --fail-on "$fail_on" -o "$out/diff-$n.md" -- "$base_copy" "$f"
    worst $?
    { cat "$out/diff-$n.md"; echo; } >> "$comment"
  else
    echo "\`$f\` is new: no base to compare with." >> "$comment"
    echo >> "$comment"
  fi
done

# 3. One comment, updated in place on every push.
if [[ ${INPUT_COMMENT:-true} == true && -n ${PR_NUMBER:-} ]]; then
  python3 "$here/pr_comment.py" "$comment" || worst 2
fi

if [[ -n ${GITHUB_OUTPUT:-} ]]; then
  { echo "sarif=$out/ksframe.sarif"; echo "comment=$comment"; echo "exit-code=$verdict"; } >> "$GITHUB_OUTPUT"
fi
exit $verdict
