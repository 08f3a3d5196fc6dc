// Reading the input of a command, and loading the one spec of negotiate, run, simulate and
// export, with the same errors and exit codes.
#include "cli/cli.hpp"
#include "ksframe/lint.hpp"
#include "ksframe/render.hpp"
#include "ksframe/source.hpp"
#include "util/text.hpp"

namespace ksframe::cli {

std::optional<SourceFile> read_input(Io& io, const std::string& file, std::size_t max_bytes) {
  DiskFileReader reader;
  ReadResult read = reader.read(file, max_bytes);
  if (!read.file)
    io.err << "ksframe: cannot read " << text::display_name(file) << ": " << read.error << "\n";
  return std::move(read.file);
}

std::optional<LoadResult> load_one_spec(Io& io, const std::string& file,
                                        const std::vector<std::string>& overrides, int* exit_code) {
  DiskFileReader reader;
  LoadOptions load;
  load.overrides = overrides;
  LoadResult loaded = load_spec_file(reader, file, load);
  if (loaded.override_error) {
    io.err << "ksframe: " << loaded.override_error->message() << "\n";
    *exit_code = 2;
    return std::nullopt;
  }
  // A connection KS could not make (no common format) has nothing to negotiate: refused here,
  // located, as lint reports it.
  if (loaded.spec && !has_errors(loaded.diagnostics))
    for (auto& d : connection_format_errors(*loaded.spec))
      loaded.diagnostics.push_back(std::move(d));
  if (loaded.unreadable || !loaded.spec || has_errors(loaded.diagnostics)) {
    io.err << render_diagnostics_text(loaded.diagnostics, false);
    *exit_code = loaded.unreadable ? 2 : 1;
    return std::nullopt;
  }
  return loaded;
}

}  // namespace ksframe::cli
