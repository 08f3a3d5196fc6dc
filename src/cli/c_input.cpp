// A driver's C source as an input of the review commands: see c_input.hpp.
#include "cli/c_input.hpp"

#include "ksframe/lint.hpp"
#include "ksframe/render.hpp"
#include "util/text.hpp"

namespace ksframe::cli {

std::optional<Report> load_c_review_input(Io& io, const std::string& file,
                                          const cimport::Options& options,
                                          const SimulateOptions& simulate, int* exit_code) {
  if (!cimport::available()) {
    io.err << "ksframe: " << cimport::unavailable_message() << "\n";
    *exit_code = 2;
    return std::nullopt;
  }
  const cimport::Extraction x = cimport::extract({file}, options);
  if (x.unreadable) {
    io.err << render_diagnostics_text(x.diagnostics, false);
    *exit_code = 2;
    return std::nullopt;
  }
  const std::string shown = text::display_name(file);
  const cimport::GeneratedSpec generated = cimport::to_spec(x, false);
  const std::string yaml_name = shown + ".ksframe.yaml";
  LoadResult loaded = load_spec(SourceFile{yaml_name, generated.yaml});
  if (!loaded.spec || has_errors(loaded.diagnostics)) {
    cimport::locate_in_c(generated, yaml_name, shown, loaded.diagnostics);
    sort_diagnostics(loaded.diagnostics);
    return make_report_of_load_errors(shown, loaded.diagnostics);
  }
  // The spec is named after the source, so the report (and a diff of two of them) names the C file.
  loaded.spec->file = shown;
  cimport::locate_in_c(generated, yaml_name, shown, loaded.diagnostics);
  Job job = run_job(*loaded.spec, loaded.diagnostics, simulate);
  cimport::locate_in_c(generated, shown, shown, job.diagnostics);
  job.diagnostics.insert(job.diagnostics.end(), x.diagnostics.begin(), x.diagnostics.end());
  sort_diagnostics(job.diagnostics);
  return make_report(*loaded.spec, job);
}

void CSourceFlags::add_to(CLI::App& app, const std::string& scope, const std::string& whose) {
  app.add_option("-I", c.include_dirs, scope + ": an include directory (repeatable)");
  app.add_option("-D", c.defines, scope + ": define NAME or NAME=VALUE (repeatable)");
  app.add_option("--wdk", c.wdk,
                 scope +
                     ": a WDK's Include folder; its km, shared and um headers come before "
                     "ksframe's stand-ins")
      ->envname("KSFRAME_WDK");
  app.add_option("--compile-commands", c.compile_commands,
                 scope + ": take " + whose + " -I/-D/-std from this compile_commands.json");
  app.add_option("--clang-memory-limit", clang_memory_mib,
                 scope +
                     ": MiB of address space the parse may use (POSIX: it runs in a child "
                     "process; 0: no limit)")
      ->check(CLI::Range(std::uint64_t{0}, std::uint64_t{1} << 20))
      ->capture_default_str();
  app.add_option("--clang-time-limit", c.timeout_seconds,
                 scope +
                     ": seconds the parse of one source may take before it is given up "
                     "(KSF0030)")
      ->check(CLI::Range(1u, 3600u))
      ->capture_default_str();
}

cimport::Options CSourceFlags::options() const {
  cimport::Options out = c;
  out.memory_limit_bytes = clang_memory_mib << 20;
  return out;
}

}  // namespace ksframe::cli
