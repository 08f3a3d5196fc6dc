// What the two halves of the libclang front end share: the extraction in this process
// (extract_clang.cpp) and the isolated parse that runs it in a child (isolate.cpp).
#pragma once

#include <set>
#include <string>
#include <vector>

#include "ksframe/cimport.hpp"

#if defined(__unix__) || defined(__APPLE__)
#define KSFRAME_CIMPORT_ISOLATE 1
#include <unistd.h>
#endif

namespace ksframe::cimport {

/// Parses and reads `files` in this process; a parse past the time limit ends the process.
Extraction extract_here(const std::vector<std::string>& files, const Options& options);

/// Every name (macro, type, variable, function, enumerator) `source` sees once parsed as C with
/// the stand-in headers: how a test proves the stand-ins declare what drivers use.
std::set<std::string> declared_names(const std::string& source);

/// The write end of the result pipe in the child of an isolated parse, -1 otherwise: the
/// watchdog reports a timeout there before it ends the child.
extern int child_result_fd;
/// The child's exit codes the parent tells apart.
inline constexpr int kChildTimedOut = 3, kChildOutOfMemory = 4, kChildFailed = 5;

#ifdef KSFRAME_CIMPORT_ISOLATE
/// What the child of an isolated parse runs: extract_here, or in the tests a stand-in that
/// crashes or exits as clang might, to prove the parent's handling of each.
using ChildWork = Extraction (*)(const std::vector<std::string>& files, const Options& options);
/// `work` (extract_here) in a forked child with a memory and time limit; a crash, running out of
/// memory or a timeout of the child is a located KSF0030 error of the extraction, not the end
/// of ksframe.
Extraction extract_isolated(const std::vector<std::string>& files, const Options& options,
                            ChildWork work = extract_here);
#endif

}  // namespace ksframe::cimport
