#include "ksframe/pipeline.hpp"

#include <utility>

#include "ksframe/lint.hpp"

namespace ksframe {

Job run_job(const Spec& spec, Diagnostics load_diagnostics, const SimulateOptions& simulate_options,
            bool with_lint) {
  Job job;
  job.diagnostics = std::move(load_diagnostics);
  job.options = negotiate_options(spec);
  if (with_lint)
    for (auto& d : lint_rules(spec, {})) job.diagnostics.push_back(std::move(d));
  if (!has_errors(job.diagnostics)) {
    job.negotiation = negotiate(spec, job.options);
    if (with_lint)  // the negotiation's findings, with the spec's suppressions applied
      for (auto& d : lint_negotiation(spec, {}, job.negotiation))
        job.diagnostics.push_back(std::move(d));
    else
      for (const auto& d : job.negotiation.diagnostics) job.diagnostics.push_back(d);
  }
  sort_diagnostics(job.diagnostics);
  job.simulation = simulate(spec, job.negotiation, simulate_options);
  return job;
}

}  // namespace ksframe
