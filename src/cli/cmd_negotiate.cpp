// ksframe negotiate SPEC: pipes, allocators and framing as the graph manager would choose them.
#include "cli/cli.hpp"
#include "ksframe/lint.hpp"
#include "ksframe/negotiate.hpp"
#include "ksframe/render.hpp"
#include "util/text.hpp"

namespace ksframe::cli {

std::function<int(Io&)> setup_negotiate(CLI::App& app) {
  struct Options {
    std::string file;
    std::string format = "json";
    std::vector<std::string> strategy;
    std::string allocator_place;
    bool honor = false;
    std::optional<unsigned> default_frames;
    std::vector<std::string> set;
    bool explain = false;
    std::string output;
  };
  auto o = std::make_shared<Options>();
  app.add_option("spec", o->file, "Spec file ('-' reads standard input)")->required();
  app.add_option("-f,--format", o->format, "Output format")
      ->check(CLI::IsMember({"json", "text"}))
      ->capture_default_str();
  app.add_option(
         "--strategy", o->strategy,
         "AllocatorStrategy_* names (with or without the prefix), replacing options.strategy")
      ->delimiter(',');
  app.add_option("--allocator-place", o->allocator_place,
                 "Where the allocator goes when no rule decides")
      ->check(CLI::IsMember({"first", "last"}));
  app.add_flag("--honor-input-physical-range", o->honor,
               "Let input pins' physical ranges constrain the frame size");
  app.add_option("--default-frames", o->default_frames, "Frames of a pipe whose pins all say 0");
  app.add_option(
      "--set", o->set,
      "Override a spec value: PATH=VALUE, e.g. camera.capture.framing_ex.items[0].frames=4 "
      "(repeatable)");
  app.add_flag("--explain", o->explain, "Text: show why and where every value was decided");
  app.add_option("-o,--output", o->output, "Write the output to FILE (atomically)");
  app.footer(
      "Exit codes: 0 negotiated, 1 the spec has errors or a connection cannot be negotiated, "
      "2 usage error, unreadable file or a --set that does not apply.\n"
      "JSON is the negotiation part of the report (schemas/ksframe-report.schema.json) and "
      "always carries the explanation.");
  return [o](Io& io) {
    int code = 0;
    auto loaded = load_one_spec(io, o->file, o->set, &code);
    if (!loaded) return code;
    const Spec& spec = *loaded->spec;
    NegotiateOptions options = negotiate_options(spec);
    if (!o->strategy.empty()) {
      options.strategy = 0;
      for (const auto& name : o->strategy) {
        auto v = ks::lookup(ks::allocator_strategy_names(), name);
        if (!v) {
          std::vector<std::string> names;  // suggest the short names, as --help writes them
          for (const auto& row : ks::allocator_strategy_names())
            if (row.name.rfind("AllocatorStrategy_", 0) != 0) names.emplace_back(row.name);
          io.err << "ksframe: unknown strategy " << text::quote(name)
                 << text::suggestion_suffix(name, names) << "\n";
          return 2;
        }
        options.strategy |= *v;
      }
    }
    if (!o->allocator_place.empty()) options.allocator_place_first = o->allocator_place == "first";
    if (o->honor) options.honor_input_physical_range = true;
    if (o->default_frames) options.default_frames = *o->default_frames;
    Negotiation n = negotiate(spec, options);
    std::string text = o->format == "text"
                           ? render_negotiation_text(n, o->explain)
                           : render_negotiation_json(spec, n, options, n.diagnostics);
    if (o->format == "text" && o->explain) text += render_formats_text(spec);
    if (o->format == "text") text += render_diagnostics_text(n.diagnostics, false);
    if (!write_output(io, o->output, text)) return 2;
    return n.ok ? 0 : 1;
  };
}

}  // namespace ksframe::cli
