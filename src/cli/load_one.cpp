// Loading the one spec of negotiate, run and simulate, with the same errors and exit codes.
#include "cli/cli.hpp"
#include "ksframe/lint.hpp"
#include "ksframe/render.hpp"

namespace ksframe::cli {

std::optional<LoadResult> load_one_spec(Io& io, const std::string& file,
                                        const std::vector<std::string>& overrides, int* exit_code) {
  DiskFileReader reader;
  LoadOptions load;
  load.overrides = overrides;
  LoadResult loaded = load_spec_file(reader, file, load);
  if (!loaded.override_error.empty()) {
    io.err << "ksframe: " << loaded.override_error << "\n";
    *exit_code = 2;
    return std::nullopt;
  }
  if (loaded.unreadable || !loaded.spec || has_errors(loaded.diagnostics)) {
    FileLintResult shown{file, std::nullopt, loaded.diagnostics, loaded.unreadable};
    io.err << render_lint_text({shown}, false);
    *exit_code = loaded.unreadable ? 2 : 1;
    return std::nullopt;
  }
  return loaded;
}

}  // namespace ksframe::cli
