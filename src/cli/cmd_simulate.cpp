// ksframe simulate SPEC: the job of `ksframe run` without the lint pass, for a spec whose
// warnings are known and whose load is the question.
#include "cli/cli.hpp"

namespace ksframe::cli {

std::function<int(Io&)> setup_simulate(CLI::App& app) { return setup_run_job(app, false); }

}  // namespace ksframe::cli
