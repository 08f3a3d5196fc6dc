#!/usr/bin/env bash
# The steps of the ksframe GitHub Action (action.yml), as one script so that they run and are
# tested outside GitHub: lint (SARIF file + workflow annotations); for each spec the pull request
# touches (itself, a spec it includes, a driver source or a header those reach) a report and the
# diff of its outcome against a git worktree of the base commit; one pull-request comment,
# updated on every push; the job summary; the gates.
#
# Environment (action.yml sets it from the inputs; GitHub sets the rest):
#   KSFRAME                 the ksframe binary (default: ksframe on PATH)
#   INPUT_SPECS             spec (or driver source) patterns, space-separated; ** matches folders
#   INPUT_FAIL_ON           diff gates, comma-separated (ksframe diff --fail-on)
#   INPUT_WERROR            "true": lint warnings fail the check
#   INPUT_COMMENT           "true": post or update the pull-request comment
#   INPUT_INCLUDE_DIRS INPUT_DEFINES   for C sources: -I folders, -D NAME[=VALUE]s (whitespace-separated)
#   INPUT_COMPILE_COMMANDS  for C sources: a compile_commands.json
#   INPUT_ARGS              more arguments for lint, report and diff (whitespace-separated)
#   GITHUB_EVENT_PATH       a pull_request event gives the base commit, its branch and the number
#   BASE_SHA BASE_REF PR_NUMBER   override what the event gives
#   OUT_DIR                 where the SARIF file, the reports and the comment are written
#   GITHUB_OUTPUT GITHUB_STEP_SUMMARY GITHUB_API_URL GITHUB_REPOSITORY GITHUB_TOKEN
# Exit code: 0 pass, 1 lint errors or a tripped gate, 2 ksframe could not run (or no base).
set -uo pipefail
shopt -s globstar nullglob

ksframe=${KSFRAME:-ksframe}
# Windows runners have Python as `python` only.
command -v python3 > /dev/null || python3() { python "$@"; }
out=$(mkdir -p "${OUT_DIR:-ksframe-out}" && cd "${OUT_DIR:-ksframe-out}" && pwd)
fail_on=${INPUT_FAIL_ON:-new-errors,negotiation-failure,new-starvation}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=action/lib.sh
source "$here/lib.sh"

read -ra patterns <<< "${INPUT_SPECS:-specs/**/*.yaml}"
specs=()
for p in "${patterns[@]}"; do for f in $p; do specs+=("$f"); done; done
if ((${#specs[@]} == 0)); then
  echo "::error::ksframe: no file matches '${INPUT_SPECS:-specs/**/*.yaml}'"
  exit 2
fi

# The flags of C sources (lint, report and diff take them) and the extra arguments.
c_flags=()
for d in ${INPUT_INCLUDE_DIRS:-}; do c_flags+=(-I "$d"); done
for d in ${INPUT_DEFINES:-}; do c_flags+=(-D "$d"); done
[[ -n ${INPUT_COMPILE_COMMANDS:-} ]] && c_flags+=(--compile-commands "$INPUT_COMPILE_COMMANDS")
read -ra extra <<< "${INPUT_ARGS:-}"

verdict=0
worst() { (($1 > verdict)) && verdict=$1; }  # 2 beats 1 beats 0
failed=()                                    # what failed, for the comment's first line

# 1. Lint: SARIF for code scanning, annotations for the pull request's diff view.
werror=()
[[ ${INPUT_WERROR:-false} == true ]] && werror=(--werror)
"$ksframe" lint -q "${werror[@]}" "${c_flags[@]}" "${extra[@]}" --format sarif \
  -o "$out/ksframe.sarif" -- "${specs[@]}"
lint_code=$?
"$ksframe" lint -q "${werror[@]}" "${c_flags[@]}" "${extra[@]}" --no-notes --format github -- "${specs[@]}"
worst $lint_code
read -r errors warnings < <(sarif_counts "$out/ksframe.sarif")
case $lint_code in
  0) ;;
  1) failed+=("lint: $errors error(s)") ;;
  *) failed+=("lint could not run (exit $lint_code)") ;;
esac

# 2. The base: a worktree of the base commit, fetched when the clone does not have it.
event_base
base_tree=
if [[ -n $BASE_SHA ]]; then
  base_tree=$(base_worktree "$BASE_SHA" "$out/base-tree") || exit 2
  trap 'git worktree remove --force "$base_tree" > /dev/null 2>&1' EXIT
fi

# 3. The specs to evaluate: with a base, those whose input files (ksframe inputs) include a
# changed file; without one (a push), all.
selected=()
if [[ -n $base_tree ]]; then
  declare -A changed=()
  while IFS= read -r -d '' f; do changed[$f]=1; done \
    < <(git diff -z --name-only --no-renames --relative "$BASE_SHA" --)
  for f in "${specs[@]}"; do spec_touched "$f" && selected+=("$f"); done
else
  selected=("${specs[@]}")
fi

# 4. A section per spec: its diff against the base (or "new"), then its report.
sections=$out/sections.md
: > "$sections"
n=0
for f in "${selected[@]}"; do
  n=$((n + 1))
  evaluate_spec "$f" "$n" >> "$sections"
done

# 5. The comment: the verdict and each failed gate on the first line, then the sections.
comment=$out/comment.md
write_comment > "$comment"
if [[ -n ${GITHUB_STEP_SUMMARY:-} ]]; then cat "$comment" >> "$GITHUB_STEP_SUMMARY"; fi
if [[ ${INPUT_COMMENT:-true} == true && -n $PR_NUMBER ]]; then
  python3 "$here/pr_comment.py" "$comment"
  case $? in
    0) ;;
    3) [[ -n ${GITHUB_STEP_SUMMARY:-} ]] &&
         printf '\n_ksframe could not comment on the pull request (the token may not write to it): this summary is the report._\n' >> "$GITHUB_STEP_SUMMARY" ;;
    *) worst 2 ;;
  esac
fi

if [[ -n ${GITHUB_OUTPUT:-} ]]; then
  {
    echo "sarif=$out/ksframe.sarif"
    echo "comment-file=$comment"
    echo "html-dir=$out/html"
    echo "exit-code=$verdict"
    echo "errors=$errors"
    echo "warnings=$warnings"
  } >> "$GITHUB_OUTPUT"
fi
exit $verdict
