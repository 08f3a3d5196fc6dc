#!/usr/bin/env python3
"""Every TEST_CASE in tests/unit/ is compiled and registered: the count doctest reports equals the
count in the sources, taking the preprocessor conditionals of this configuration into account.

Usage: count_test_cases.py UNIT_TEST_BINARY SOURCE_DIR [EMULATOR] -- MACRO...
MACRO: the macros this configuration defines that the test sources test with #if/#ifdef
(KSFRAME_HAVE_LIBCLANG, KSFRAME_CIMPORT_ISOLATE, _WIN32, __SANITIZE_ADDRESS__).
"""
import pathlib
import re
import subprocess
import sys

CONDITIONAL = re.compile(r'^\s*#\s*(if|ifdef|ifndef|elif|else|endif)\b(.*)$')
CASE = re.compile(r'^\s*TEST_CASE\s*\(')


def evaluate(kind, expression, defined):
    expression = re.sub(r'//.*$', '', expression).strip()
    if kind == 'ifdef':
        return expression in defined
    if kind == 'ifndef':
        return expression not in defined
    python = re.sub(r'defined\s*\(\s*(\w+)\s*\)', lambda m: str(m.group(1) in defined), expression)
    python = re.sub(r'defined\s+(\w+)', lambda m: str(m.group(1) in defined), python)
    python = python.replace('&&', ' and ').replace('||', ' or ').replace('!', ' not ')
    if re.search(r'[A-Za-z_]\w*', re.sub(r'\b(True|False|and|or|not)\b', '', python)):
        sys.exit(f'count_test_cases: cannot evaluate "#{kind} {expression}"; extend this script')
    return bool(eval(python))  # only True/False/and/or/not remain


def count_cases(path, defined):
    stack = []  # (this branch active, some branch taken)
    count = 0
    for line in path.read_text(encoding='utf-8').splitlines():
        m = CONDITIONAL.match(line)
        if m:
            kind, rest = m.group(1), m.group(2)
            outer = all(active for active, _ in stack)
            if kind in ('if', 'ifdef', 'ifndef'):
                value = evaluate(kind, rest, defined)
                stack.append((value, value))
            elif kind == 'elif':
                _, taken = stack.pop()
                value = not taken and evaluate('if', rest, defined)
                stack.append((value, taken or value))
            elif kind == 'else':
                _, taken = stack.pop()
                stack.append((not taken, True))
            else:
                stack.pop()
            continue
        if CASE.match(line) and all(active for active, _ in stack):
            count += 1
    return count


def main():
    args = sys.argv[1:]
    split = args.index('--') if '--' in args else len(args)
    binary, source_dir, *emulator = args[:split]
    defined = set(args[split + 1:])
    sources = sorted(pathlib.Path(source_dir, 'tests', 'unit').glob('*.cpp'))
    in_sources = sum(count_cases(p, defined) for p in sources)
    out = subprocess.run([*emulator, binary, '--count'], capture_output=True, text=True, check=False)
    m = re.search(r'test cases passing the current filters:\s*(\d+)', out.stdout)
    if not m:
        sys.exit(f'count_test_cases: no count in the output of {binary} --count:\n{out.stdout}{out.stderr}')
    registered = int(m.group(1))
    print(f'{in_sources} TEST_CASEs in the sources for this configuration, {registered} registered')
    if registered != in_sources:
        sys.exit('count_test_cases: the counts differ: a test case is not compiled or not registered')


if __name__ == '__main__':
    main()
