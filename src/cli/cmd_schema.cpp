// ksframe schema NAME: print one of the embedded JSON Schemas.
#include "cli/cli.hpp"

namespace ksframe {
namespace embedded {
std::string_view schema_spec();
std::string_view schema_lint();
}  // namespace embedded

namespace cli {

std::function<int(Io&)> setup_schema(CLI::App& app) {
  auto which = std::make_shared<std::string>();
  app.add_option("name", *which, "spec (the spec format, for editors) or lint (lint --format json)")
      ->required()
      ->check(CLI::IsMember({"spec", "lint"}));
  return [which](Io& io) {
    io.out << (*which == "spec" ? embedded::schema_spec() : embedded::schema_lint());
    return 0;
  };
}

}  // namespace cli
}  // namespace ksframe
