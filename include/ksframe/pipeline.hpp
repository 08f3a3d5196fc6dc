// The main job's passes in order, and the rule of when to stop: load (done by the caller) ->
// lint -> negotiate -> simulate. Each pass runs only when the ones before it found no errors,
// because each trusts what the previous one checked: negotiation assumes connections KS could
// make and framing whose ranges are ordered, the load assumes a negotiated graph.
// `ksframe run`, `report`, `diff`, `explore` and `simulate` all go through run_job.
#pragma once

#include "ksframe/diagnostics.hpp"
#include "ksframe/negotiate.hpp"
#include "ksframe/simulate.hpp"
#include "ksframe/spec.hpp"

namespace ksframe {

struct Job {
  NegotiateOptions options;
  Negotiation negotiation;  ///< `ran` false when lint found errors
  Simulation simulation;    ///< `ran` false when there was nothing to simulate, with the reason
  Diagnostics diagnostics;  ///< the load's, lint's and the negotiation's, sorted
};

/// Runs the passes on a spec that loaded (its diagnostics in `load_diagnostics`, warnings and
/// notes only). `with_lint` false (`ksframe simulate`): no lint rules, the negotiation's own
/// findings only.
Job run_job(const Spec& spec, Diagnostics load_diagnostics, const SimulateOptions& simulate_options,
            bool with_lint = true);

}  // namespace ksframe
