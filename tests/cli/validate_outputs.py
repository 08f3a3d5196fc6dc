#!/usr/bin/env python3
"""Validates real ksframe outputs with an independent JSON Schema implementation.

The unit tests validate with valijson (the library ksframe itself uses); this test uses
python3-jsonschema so that a bug shared by ksframe and valijson cannot hide. It lints every
example, broken example and hostile input, and checks the SARIF output against the official
SARIF 2.1.0 schema and the JSON output against schemas/ksframe-lint.schema.json.
"""
import glob
import json
import os
import subprocess
import sys

import jsonschema

# KSFRAME_EMULATOR runs the binary through a program (wine64 for the Windows cross build).
ksframe = os.environ.get("KSFRAME_EMULATOR", "").split() + [sys.argv[1]]
files = sorted(glob.glob("examples/*.yaml") + glob.glob("examples/broken/*.yaml") +
               glob.glob("tests/data/hostile/*.yaml"))
checks = [
    ("sarif", "tests/data/sarif-schema-2.1.0.json", jsonschema.Draft4Validator),
    ("json", "schemas/ksframe-lint.schema.json", jsonschema.Draft7Validator),
]
failures = 0
failed_checks = 0
for fmt, schema_path, validator_class in checks:
    with open(schema_path) as f:
        validator = validator_class(json.load(f))
    run = subprocess.run(ksframe + ["lint", "-q", "--format", fmt] + files,
                         capture_output=True, text=True)
    before = failures
    if run.returncode not in (0, 1):
        print(f"{fmt}: exit code {run.returncode}: {run.stderr}")
        failed_checks += 1
        continue
    document = json.loads(run.stdout)
    errors = sorted(validator.iter_errors(document), key=lambda e: list(e.path))
    for error in errors[:20]:
        print(f"{fmt}: {list(error.path)}: {error.message}")
    failures += len(errors)
    results = document["runs"][0]["results"] if fmt == "sarif" else document["diagnostics"]
    print(f"{fmt}: {len(files)} files, {len(results)} results, {len(errors)} schema errors")
    if not results:
        print(f"{fmt}: no results at all: the test would prove nothing")
        failures += 1
    if failures > before:
        failed_checks += 1
# The report (negotiate's and run's JSON) for every example and broken example.
with open("schemas/ksframe-report.schema.json") as f:
    report = jsonschema.Draft7Validator(json.load(f))
negotiated = 0
for command in (["negotiate"], ["run", "--frames", "300"]):
    for spec in sorted(glob.glob("examples/*.yaml") + glob.glob("examples/broken/*.yaml")):
        run = subprocess.run(ksframe + command + [spec], capture_output=True, text=True)
        if not run.stdout.startswith("{"):
            continue  # a spec with load (or, for negotiate, lint) errors prints diagnostics, not a report
        errors = list(report.iter_errors(json.loads(run.stdout)))
        for error in errors[:5]:
            print(f"{command[0]} report {spec}: {list(error.path)}: {error.message}")
        failures += len(errors)
        negotiated += 1
print(f"report: {negotiated} negotiate and run reports checked")
checks.append(("report", "", None))
if negotiated < 7 or failures:
    failed_checks += 1


def check_documents(name, schema_path, commands, minimum):
    """Runs each command, validates its JSON output, and counts a check failed on any error."""
    global failed_checks
    with open(schema_path) as f:
        validator = jsonschema.Draft7Validator(json.load(f))
    errors_seen = 0
    checked = 0
    for command in commands:
        run = subprocess.run(ksframe + command, capture_output=True, text=True)
        if run.returncode not in (0, 1):
            print(f"{name}: {command}: exit code {run.returncode}: {run.stderr}")
            errors_seen += 1
            continue
        errors = list(validator.iter_errors(json.loads(run.stdout)))
        for error in errors[:5]:
            print(f"{name} {command}: {list(error.path)}: {error.message}")
        errors_seen += len(errors)
        checked += 1
    print(f"{name}: {checked} documents checked, {errors_seen} schema errors")
    checks.append((name, schema_path, None))
    if errors_seen or checked < minimum:
        failed_checks += 1


# diff: every example against the default one, a broken spec against a clean one, and a format change.
examples = sorted(glob.glob("examples/*.yaml"))
check_documents("diff", "schemas/ksframe-diff.schema.json",
                [["diff", "--frames", "300", "-f", "json", "--fail-on",
                  "new-errors,new-warnings,memory-increase,new-starvation,negotiation-failure",
                  "examples/capture-preview.yaml", spec] for spec in examples] +
                [["diff", "--frames", "300", "-f", "json", "examples/capture-preview.yaml",
                  "examples/broken/negotiation.yaml"],
                 # a connection format and an edited framing that change (diff.formats)
                 ["diff", "--frames", "300", "-f", "json", "examples/avshws-to-user-app.yaml",
                  "tests/data/diff/avshws-rgb24.yaml"]],
                len(examples) + 2)
check_documents("explore", "schemas/ksframe-explore.schema.json",
                [["explore", "--frames", "200", "-f", "json", "examples/capture-preview.yaml",
                  "--vary", "renderer.in.framing_ex.items[0].frames=0..3",
                  "--vary", "camera.capture.framing_ex.items[0].memory_type="
                            "KSMEMORY_TYPE_KERNEL_NONPAGED,KSMEMORY_TYPE_USER"]], 1)
# import --from-c: the extraction of every C fixture (a build without libclang cannot read C).
probe = subprocess.run(ksframe + ["import", "--from-c", "tests/data/c/camera.c", "-I", "tests/data/c"],
                       capture_output=True, text=True)
if "cannot read C sources" not in probe.stderr:
    sources = sorted(glob.glob("tests/data/c/*.c") + glob.glob("tests/data/c/*.cpp"))
    check_documents("import", "schemas/ksframe-import.schema.json",
                    [["import", "--from-c", "--format", "json", "-I", "tests/data/c", source] for source in sources],
                    len(sources))
    check_documents("lint of C (SARIF)", "tests/data/sarif-schema-2.1.0.json",
                    [["lint", "-q", "--format", "sarif", "-I", "tests/data/c"] + sources], 1)
print(f"{len(checks) - failed_checks} passed, {failed_checks} failed")
sys.exit(1 if failed_checks else 0)
