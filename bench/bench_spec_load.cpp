// The load of one spec (YAML text -> typed Spec with its diagnostics, what every command starts
// with): the largest example, and a generated chain of 2,000 filters (3,999 pins, 4,000 with
// the implied consumer of its last output pin, the most a spec may have). Each has a twin that
// also validates the same document against the spec's JSON Schema with valijson, the pass
// load_spec ran on every spec until the typed loader became the only authority over the format
// (commit 7877ecd); the reporter prints both medians and what the pass costs over the load.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <valijson/adapters/nlohmann_json_adapter.hpp>

#include "bench_main.hpp"
#include "chain_spec.hpp"
#include "ksframe/spec.hpp"
#include "ksframe/yaml_tree.hpp"
#include "spec/schema.hpp"
#include "util/json_schema.hpp"

namespace {

void load_or_abort(const std::string& name, const std::string& text) {
  auto r = ksframe::load_spec(ksframe::SourceFile{name, text});
  if (!r.spec || ksframe::has_errors(r.diagnostics)) std::abort();
  benchmark::DoNotOptimize(r);
}

// The schema pass as it ran inside load_spec: the tree the loader had parsed, converted to JSON
// with the loader's scalar typing, validated by a pooled validator (its compiled patterns kept)
// against the schema compiled once per process. The tree is parsed once, outside the timed
// loop, because the pass reused the loader's parse; the specs are valid, so the pass found
// nothing to locate (an invalid one would abort the benchmark).
const valijson::Schema& compiled_schema() {
  static const std::unique_ptr<valijson::Schema> schema =
      ksframe::compile_draft7_schema(ksframe::spec_schema_text());
  return *schema;
}

ksframe::Node tree_of(const std::string& name, const std::string& text) {
  auto parsed = ksframe::parse_yaml(ksframe::SourceFile{name, text});
  if (!parsed.root || ksframe::has_errors(parsed.diagnostics)) std::abort();
  return std::move(*parsed.root);
}

void validate_or_abort(const ksframe::Node& tree) {
  ksframe::PooledValidator validator;
  valijson::ValidationResults results;
  const nlohmann::json doc = ksframe::spec_tree_json(tree);
  valijson::adapters::NlohmannJsonAdapter adapter(doc);
  if (!validator->validate(compiled_schema(), adapter, &results)) std::abort();
}

void BM_LoadLargestExample(benchmark::State& state) {
  const std::string text = example_text("avssamp-to-user-app.yaml");
  for (auto _ : state) load_or_abort("avssamp-to-user-app.yaml", text);
}

void BM_LoadLargestExampleWithSchema(benchmark::State& state) {
  const std::string text = example_text("avssamp-to-user-app.yaml");
  const ksframe::Node tree = tree_of("avssamp-to-user-app.yaml", text);
  for (auto _ : state) {
    load_or_abort("avssamp-to-user-app.yaml", text);
    validate_or_abort(tree);
  }
}

void BM_Load4000Pins(benchmark::State& state) {
  const std::string text = ksframe_gen::chain_spec(2000, false);
  for (auto _ : state) load_or_abort("chain.yaml", text);
}

void BM_Load4000PinsWithSchema(benchmark::State& state) {
  const std::string text = ksframe_gen::chain_spec(2000, false);
  const ksframe::Node tree = tree_of("chain.yaml", text);
  for (auto _ : state) {
    load_or_abort("chain.yaml", text);
    validate_or_abort(tree);
  }
}

BENCHMARK(BM_LoadLargestExample)
    ->Unit(benchmark::kMicrosecond)
    ->Repetitions(5)
    ->ReportAggregatesOnly(true);
BENCHMARK(BM_LoadLargestExampleWithSchema)
    ->Unit(benchmark::kMicrosecond)
    ->Repetitions(5)
    ->ReportAggregatesOnly(true);
BENCHMARK(BM_Load4000Pins)
    ->Unit(benchmark::kMillisecond)
    ->Repetitions(5)
    ->ReportAggregatesOnly(true);
BENCHMARK(BM_Load4000PinsWithSchema)
    ->Unit(benchmark::kMillisecond)
    ->Repetitions(5)
    ->ReportAggregatesOnly(true);

class Reporter : public MedianReporter {
 public:
  void Finalize() override {
    ConsoleReporter::Finalize();
    std::printf("\nmedians, load alone and with the schema pass (valijson), measured here:\n");
    line("examples/avssamp-to-user-app.yaml", "us", "BM_LoadLargestExample");
    line("a 4,000-pin chain", "ms", "BM_Load4000Pins");
  }

 private:
  // One spec's line: the two medians, the pass's cost (their difference) and that cost over
  // the load alone.
  void line(const char* what, const char* unit, const std::string& name) {
    const double alone = medians_[name], with = medians_[name + "WithSchema"];
    std::printf(
        "  %-34s load %.1f %s, with the schema pass %.1f %s: the pass costs %.1f %s, %.2fx the "
        "load\n",
        what, alone, unit, with, unit, with - alone, unit,
        alone > 0 ? (with - alone) / alone : 0.0);
  }
};

}  // namespace

int main(int argc, char** argv) { return run_benchmarks<Reporter>(argc, argv); }
