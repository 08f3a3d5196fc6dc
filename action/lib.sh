# The functions of ksframe-action.sh (sourced; they read and set its variables).

# html_code TEXT: TEXT as inline code that Markdown and HTML both show as written: every
# character but letters, digits and / . _ - is a numeric character reference, so a file name
# holding `<`, `*`, `[`, a backquote or a newline cannot become markup, a link or a new line.
html_code() {
  python3 -c '
import os, sys
raw = os.fsencode(sys.argv[1]).decode("utf-8", "backslashreplace")
safe = lambda c: c.isascii() and (c.isalnum() or c in "/._-")
print("<code>" + "".join(c if safe(c) else "&#%d;" % ord(c) for c in raw) + "</code>")' "$1"
}

# sarif_counts FILE: "ERRORS WARNINGS" of a SARIF file ("0 0" when there is none).
sarif_counts() {
  python3 -c '
import json, sys
try:
    runs = json.load(open(sys.argv[1], encoding="utf-8"))["runs"]
except (OSError, ValueError, KeyError):
    runs = []
levels = [r.get("level", "warning") for run in runs for r in run.get("results", [])]
print(levels.count("error"), levels.count("warning"))' "$1"
}

# event_base: BASE_SHA, BASE_REF and PR_NUMBER from the pull_request event, unless set.
event_base() {
  local from_event=("" "" "")
  if [[ -n ${GITHUB_EVENT_PATH:-} && -f $GITHUB_EVENT_PATH ]]; then
    mapfile -t from_event < <(python3 -c '
import json, sys
pr = json.load(open(sys.argv[1], encoding="utf-8")).get("pull_request") or {}
base = pr.get("base") or {}
print(base.get("sha", "")); print(base.get("ref", "")); print(pr.get("number", ""))' "$GITHUB_EVENT_PATH")
  fi
  export BASE_SHA=${BASE_SHA:-${from_event[0]-}}
  export BASE_REF=${BASE_REF:-${from_event[1]-}}
  export PR_NUMBER=${PR_NUMBER:-${from_event[2]-}}
}

# base_worktree SHA DIR: checks SHA out in a worktree at DIR (fetching it first when the clone,
# shallow as actions/checkout makes it, lacks it) and prints DIR. A base that cannot be had is
# an error: without it every spec would look new and no gate could fail.
base_worktree() {
  local sha=$1 dir=$2
  if ! git cat-file -e "$sha^{commit}" 2> /dev/null; then
    echo "ksframe: the clone lacks the base commit $sha: fetching it" >&2
    git fetch --quiet --no-tags --depth=1 origin "$sha" >&2
  fi
  if ! git cat-file -e "$sha^{commit}" 2> /dev/null; then
    echo "::error::ksframe: the base commit $sha cannot be had (not in the clone, and 'git fetch origin $sha' failed): no gate can run without it. Check out with fetch-depth: 0, or let the job reach the remote." >&2
    return 1
  fi
  rm -rf "$dir" && git worktree prune
  if ! git worktree add --quiet --detach "$dir" "$sha" >&2; then
    echo "::error::ksframe: could not check the base commit $sha out in $dir" >&2
    return 1
  fi
  printf '%s\n' "$dir"
}

# spec_touched SPEC: whether SPEC or a file it reads (its includes, their #include closure)
# changed. A spec whose inputs cannot be listed is evaluated (lint has said why).
spec_touched() {
  local f=$1 g flags=() d
  [[ -n ${changed[$f]-} ]] && return 0
  for d in ${INPUT_INCLUDE_DIRS:-}; do flags+=(-I "$d"); done
  [[ -n ${INPUT_COMPILE_COMMANDS:-} ]] && flags+=(--compile-commands "$INPUT_COMPILE_COMMANDS")
  "$ksframe" inputs -z "${flags[@]}" -- "$f" > "$out/inputs" 2> /dev/null || return 0
  while IFS= read -r -d '' g; do [[ -n ${changed[$g]-} ]] && return 0; done < "$out/inputs"
  return 1
}

is_c_source() { [[ $1 =~ \.(c|cpp|cc|cxx|h|hpp|hh|hxx)$ ]]; }

# base_wrapper SOURCE N: a spec in the base worktree (so that checkout is its tree: ksframe --root)
# that includes the base's copy of the C source
# with the -I, -D and compilation database of the base tree, so the base is read with its own
# headers (given to diff directly, -I would name the head's). Prints its path.
base_wrapper() {
  python3 - "$base_tree" "$1" "$base_tree/.ksframe-base-$2.ksframe.yaml" "${INPUT_INCLUDE_DIRS:-}" \
    "${INPUT_DEFINES:-}" "${INPUT_COMPILE_COMMANDS:-}" << 'PY'
import json, os, sys
tree, source, path, dirs, defines, db = sys.argv[1:7]
q = lambda s: json.dumps(os.path.join(tree, s), ensure_ascii=False)  # a YAML double-quoted scalar
entry = f"  - path: {q(source)}\n"
entry += f"    include_dirs: [{', '.join(q(d) for d in dirs.split())}]\n"
entry += f"    defines: [{', '.join(json.dumps(d, ensure_ascii=False) for d in defines.split())}]\n"
if db:
    entry += f"    compile_commands: {q(db)}\n"
with open(path, "w", encoding="utf-8") as f:
    f.write("ksframe: 1\nname: base\ninclude:\n" + entry)
print(path)
PY
}

# tripped_gates DIFF_JSON: the names of the gates a diff failed, one a line.
tripped_gates() {
  python3 -c '
import json, sys
try:
    gates = json.load(open(sys.argv[1], encoding="utf-8"))["gates"]
except (OSError, ValueError, KeyError):
    gates = []
print("\n".join(g["gate"] for g in gates if g.get("tripped")))' "$1"
}

# evaluate_spec SPEC N: SPEC's section of the comment (on stdout): its diff against the base,
# then its report; records the gates it failed.
evaluate_spec() {
  local f=$1 n=$2 name flags=() base_input code gate
  name=$(html_code "$f")
  is_c_source "$f" && flags=("${c_flags[@]}")
  mkdir -p "$out/html"
  "$ksframe" report "${flags[@]}" --format markdown -o "$out/report-$n.md" -- "$f"
  code=$?
  ((code == 2)) && { worst 2; failed+=("no report of $name"); }
  "$ksframe" report "${flags[@]}" --format html -o "$out/html/report-$n.html" -- "$f" > /dev/null 2>&1
  local gates=() verdict_word=""
  if [[ -z $base_tree ]]; then
    verdict_word="report only (no base commit: not a pull request)"
  elif [[ ! -e $base_tree/$f ]]; then
    verdict_word="new in this pull request"
  else
    base_input=$base_tree/$f
    if is_c_source "$f" && ((${#flags[@]})); then base_input=$(base_wrapper "$f" "$n"); fi
    "$ksframe" diff "${flags[@]}" --format json --fail-on "$fail_on" -o "$out/diff-$n.json" -- "$base_input" "$f"
    code=$?
    worst $code
    "$ksframe" diff "${flags[@]}" --format markdown -o "$out/diff-$n.md" --fail-on "$fail_on" -- "$base_input" "$f" 2> /dev/null
    mapfile -t gates < <(tripped_gates "$out/diff-$n.json")
    for gate in "${gates[@]}"; do [[ -n $gate ]] && failed+=("\`$gate\` in $name"); done
    ((code == 2)) && failed+=("no diff of $name")
    if ((code == 2)); then verdict_word="the diff could not run"
    elif ((${#gates[@]} && ${#gates[0]})); then verdict_word="**failed** $(printf '`%s` ' "${gates[@]}")" verdict_word=${verdict_word% }
    else verdict_word="passed"; fi
  fi
  echo "### $name: $verdict_word"
  echo
  if [[ -f $out/diff-$n.md && -n $base_tree && -e $base_tree/$f ]]; then
    echo "Base $(html_code "$(base_label)"), head: this pull request."
    echo
    # The diff without its title and its "Base <path>" line: the base path is a scratch worktree.
    awk 'NR == 1 && /^## / { next } NR == 2 && /^$/ { next } /^Base `/ && !done { done = 1; getline; next } { print }' "$out/diff-$n.md"
  fi
  echo "<details><summary>Report of $name</summary>"
  echo
  cat "$out/report-$n.md" 2> /dev/null
  echo
  echo "</details>"
  echo
}

base_label() { printf '%s@%s' "${BASE_REF:-base}" "${BASE_SHA:0:12}"; }

# write_comment: the comment (and job summary): the overall verdict and each failed gate first.
write_comment() {
  local word=PASS item line
  ((verdict == 1)) && word=FAIL
  ((verdict == 2)) && word=ERROR
  line="**ksframe: $word**"
  if ((${#failed[@]})); then
    line+=" · failed:"
    for item in "${failed[@]}"; do line+=" $item ·"; done
    line=${line% ·}
  else
    line+=" · no gate failed"
  fi
  echo "<!-- ksframe-action -->"
  echo "$line"
  echo
  if [[ -n $base_tree ]]; then
    echo "Base $(html_code "$(base_label)"): ${#selected[@]} of ${#specs[@]} spec(s) read a file this pull request changes. Lint: $errors error(s), $warnings warning(s)."
  else
    echo "No base commit (not a pull request): every spec is reported. Lint: $errors error(s), $warnings warning(s)."
  fi
  echo
  ((${#selected[@]})) || echo "No spec reads a file this pull request changes."
  cat "$sections"
}
