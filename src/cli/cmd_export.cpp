// ksframe export SPEC --format c.
#include "cli/cli.hpp"
#include "ksframe/export.hpp"
#include "ksframe/lint.hpp"
#include "ksframe/render.hpp"
#include "ksframe/rules.hpp"

namespace ksframe::cli {

std::function<int(Io&)> setup_export(CLI::App& app) {
  struct Options {
    std::string file, format = "c", output;
    std::vector<std::string> set;
  };
  auto o = std::make_shared<Options>();
  app.add_option("spec", o->file, "Spec file ('-' reads standard input)")->required();
  app.add_option("-f,--format", o->format, "c: initializers for <ks.h>")
      ->check(CLI::IsMember({"c"}))
      ->capture_default_str();
  app.add_option("--set", o->set, "Override a spec value: PATH=VALUE (repeatable)");
  app.add_option("-o,--output", o->output, "Write the C to FILE (atomically)");
  app.footer(
      "Each pin with framing gets <Filter><Pin>AllocatorFramingEx (DECLARE_SIMPLE_FRAMING_EX when "
      "the framing is exactly that macro's expansion, an explicit initializer otherwise) and, for "
      "legacy framing, <Filter><Pin>AllocatorFraming. Exit codes: 0 written, 1 the spec has "
      "errors (nothing is written), 2 usage error or unreadable file.");
  return [o](Io& io) {
    int code = 0;
    auto loaded = load_one_spec(io, o->file, o->set, &code);
    if (!loaded) return code;
    const std::string text = export_c(*loaded->spec);
    if (!write_output(io, o->output, text)) return 2;
    return 0;
  };
}

}  // namespace ksframe::cli
