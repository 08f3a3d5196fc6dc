// ksframe schema NAME: print one of the embedded JSON Schemas.
#include "cli/cli.hpp"

namespace ksframe {
namespace embedded {
std::string_view schema_spec();
std::string_view schema_lint();
std::string_view schema_report();
std::string_view schema_diff();
std::string_view schema_explore();
std::string_view schema_import();
}  // namespace embedded

namespace cli {

std::function<int(Io&)> setup_schema(CLI::App& app) {
  auto which = std::make_shared<std::string>();
  app.add_option("name", *which,
                 "spec (the spec format, for editors), lint (lint --format json), report "
                 "(run's and negotiate's JSON), diff (diff --format json) or explore "
                 "(explore --format json) or import (import --from-c --format json)")
      ->required()
      ->check(CLI::IsMember({"spec", "lint", "report", "diff", "explore", "import"}));
  return [which](Io& io) {
    io.out << (*which == "spec"      ? embedded::schema_spec()
               : *which == "lint"    ? embedded::schema_lint()
               : *which == "diff"    ? embedded::schema_diff()
               : *which == "explore" ? embedded::schema_explore()
               : *which == "import"  ? embedded::schema_import()
                                     : embedded::schema_report());
    return 0;
  };
}

}  // namespace cli
}  // namespace ksframe
