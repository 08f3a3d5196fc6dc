// The isolated parse (POSIX): extract_here runs in a forked child under an address-space limit
// and the time limit, and sends the extraction back as JSON, so hostile C that makes clang
// crash, exhaust memory or run for hours ends the child, not ksframe (docs/c-sources.md, Limits).
//
// The child is also where a pull request's `#include` is confined to the tree (docs/security.md,
// "The tree"). libclang's C API has no hook before it opens a header, and a virtual file system
// overlay (-ivfsoverlay) only adds files, it hides none. So the kernel does it: after libclang
// is loaded, the child gives up, with Landlock, every read outside the tree, the command line's
// -I/--wdk folders and the files it was handed; clang's open() of anything else fails before a
// byte is read, whatever the path, symlink or `..` that led there. The stand-in headers are
// in memory (unsaved files) and need no rule. A kernel without Landlock cannot confine clang:
// the C source is then refused, unless `--root /` asked for no confinement. What the database
// hands clang (-include, @response files) is checked by ksframe before the fork too
// (confine::check_compile_commands), for a located message.
#include "cimport/extract_internal.hpp"

#ifdef KSFRAME_CIMPORT_ISOLATE

#include <clang-c/Index.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include <array>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <new>
#include <nlohmann/json.hpp>

#include "ksframe/rules.hpp"
#include "platform/platform.hpp"
#include "util/confine.hpp"
#include "util/text.hpp"

namespace ksframe::cimport {
namespace {

// ---------------------------------------------------------------------------------------------
// The isolated parse: the child sends the extraction back as JSON, every field as it is (the
// spec and the JSON extraction are made from it in the parent exactly as from one made here).

using J = nlohmann::json;

// Each structure's members, by a short key. `f(nullptr)` only selects the overload.
template <class F>
void fields(Location& v, F f) {
  if constexpr (!std::is_null_pointer_v<F>) {
    f("f", v.file);
    f("l", v.line);
    f("c", v.column);
  }
}
template <class F>
void fields(RelatedLocation& v, F f) {
  if constexpr (!std::is_null_pointer_v<F>) {
    f("l", v.location);
    f("m", v.message);
  }
}
template <class F>
void fields(Diagnostic& v, F f) {
  if constexpr (!std::is_null_pointer_v<F>) {
    f("r", v.rule);
    f("s", v.severity);
    f("m", v.message);
    f("l", v.location);
    f("rel", v.related);
    f("h", v.hint);
    f("sub", v.subject);
    f("fi", v.filter);
    f("pi", v.pin);
    f("env", v.environment);
  }
}
template <class F>
void fields(ks::Guid& v, F f) {
  if constexpr (!std::is_null_pointer_v<F>) {
    f("1", v.data1);
    f("2", v.data2);
    f("3", v.data3);
    f("4", v.data4);
  }
}
template <class F>
void fields(ks::KS_FRAMING_RANGE& v, F f) {
  if constexpr (!std::is_null_pointer_v<F>) {
    f("mn", v.MinFrameSize);
    f("mx", v.MaxFrameSize);
    f("st", v.Stepping);
  }
}
template <class F>
void fields(ks::KS_FRAMING_RANGE_WEIGHTED& v, F f) {
  if constexpr (!std::is_null_pointer_v<F>) {
    f("r", v.Range);
    f("i", v.InPlaceWeight);
    f("n", v.NotInPlaceWeight);
  }
}
template <class F>
void fields(ks::KS_COMPRESSION& v, F f) {
  if constexpr (!std::is_null_pointer_v<F>) {
    f("n", v.RatioNumerator);
    f("d", v.RatioDenominator);
    f("m", v.RatioConstantMargin);
  }
}
template <class F>
void fields(ks::KS_FRAMING_ITEM& v, F f) {
  if constexpr (!std::is_null_pointer_v<F>) {
    f("mt", v.MemoryType);
    f("bt", v.BusType);
    f("mf", v.MemoryFlags);
    f("bf", v.BusFlags);
    f("fl", v.Flags);
    f("fr", v.Frames);
    f("fa", v.FileAlignment);
    f("mw", v.MemoryTypeWeight);
    f("pr", v.PhysicalRange);
    f("rr", v.FramingRange);
  }
}
template <class F>
void fields(ks::KSALLOCATOR_FRAMING_EX& v, F f) {
  if constexpr (!std::is_null_pointer_v<F>) {
    f("c", v.CountItems);
    f("p", v.PinFlags);
    f("o", v.OutputCompression);
    f("w", v.PinWeight);
    f("i", v.FramingItem);
  }
}
template <class F>
void fields(ks::KSALLOCATOR_FRAMING& v, F f) {
  if constexpr (!std::is_null_pointer_v<F>) {
    f("o", v.OptionsFlags);
    f("p", v.PoolType);
    f("f", v.Frames);
    f("s", v.FrameSize);
    f("a", v.FileAlignment);
    f("r", v.Reserved);
  }
}
template <class F>
void fields(CValue& v, F f) {
  if constexpr (!std::is_null_pointer_v<F>) {
    f("v", v.value);
    f("a", v.at);
  }
}
template <class F>
void fields(CNumber& v, F f) {
  if constexpr (!std::is_null_pointer_v<F>) {
    f("v", v.value);
    f("a", v.at);
  }
}
template <class F>
void fields(CGuid& v, F f) {
  if constexpr (!std::is_null_pointer_v<F>) {
    f("v", v.value);
    f("a", v.at);
    f("k", v.known);
  }
}
template <class F>
void fields(DataRange& v, F f) {
  if constexpr (!std::is_null_pointer_v<F>) {
    f("k", v.kind);
    f("s", v.symbol);
    f("t", v.type);
    f("l", v.location);
    f("d", v.declared);
    f("fs", v.format_size);
    f("fl", v.flags);
    f("ss", v.sample_size);
    f("ma", v.major);
    f("su", v.subtype);
    f("sp", v.specifier);
    f("w", v.width);
    f("h", v.height);
    f("at", v.avg_time_per_frame);
    f("bc", v.bit_count);
    f("co", v.compression);
    f("si", v.size_image);
    f("ch", v.max_channels);
    f("b0", v.bits_min);
    f("b1", v.bits_max);
    f("r0", v.rate_min);
    f("r1", v.rate_max);
  }
}
template <class F>
void fields(Framing& v, F f) {
  if constexpr (!std::is_null_pointer_v<F>) {
    f("s", v.symbol);
    f("k", v.kind);
    f("src", v.source);
    f("l", v.location);
    f("x", v.ex);
    f("g", v.legacy);
    f("w", v.where);
  }
}
template <class F>
void fields(Pin& v, F f) {
  if constexpr (!std::is_null_pointer_v<F>) {
    f("t", v.table);
    f("i", v.index);
    f("l", v.location);
    f("fl", v.flags);
    f("ip", v.instances_possible);
    f("in", v.instances_necessary);
    f("df", v.dataflow);
    f("co", v.communication);
    f("di", v.dispatch);
    f("ad", v.allocator_dispatch);
    f("cr", v.create);
    f("sd", v.set_data_format);
    f("fr", v.framing);
    f("fa", v.framing_at);
    f("ca", v.category);
    f("na", v.name);
    f("cg", v.category_guid);
    f("ng", v.name_guid);
    f("dr", v.data_ranges);
    f("da", v.data_ranges_at);
    f("rs", v.ranges);
    f("se", v.size_edited_by);
    f("rdo", v.ranges_declared_only);
    f("rc", v.ranges_count);
  }
}
template <class F>
void fields(Route& v, F f) {
  if constexpr (!std::is_null_pointer_v<F>) {
    f("f", v.from);
    f("t", v.to);
    f("a", v.at);
  }
}
template <class F>
void fields(Filter& v, F f) {
  if constexpr (!std::is_null_pointer_v<F>) {
    f("s", v.symbol);
    f("src", v.source);
    f("l", v.location);
    f("f", v.flags);
    f("t", v.pin_table);
    f("pdo", v.pins_declared_only);
    f("pta", v.pin_table_at);
    f("pc", v.port_class);
    f("p", v.pins);
    f("r", v.routes);
  }
}
template <class F>
void fields(DispatchTable& v, F f) {
  if constexpr (!std::is_null_pointer_v<F>) {
    f("s", v.symbol);
    f("c", v.create);
    f("f", v.set_data_format);
    f("a", v.allocator);
  }
}
template <class F>
void fields(RangeTable& v, F f) {
  if constexpr (!std::is_null_pointer_v<F>) {
    f("s", v.symbol);
    f("l", v.location);
    f("r", v.ranges);
    f("i", v.index);
  }
}
template <class F>
void fields(Extraction& v, F f) {
  if constexpr (!std::is_null_pointer_v<F>) {
    f("fi", v.files);
    f("fr", v.framings);
    f("fl", v.filters);
    f("rt", v.range_tables);
    f("dt", v.dispatch_tables);
    f("fss", v.frame_size_setters);
    f("d", v.diagnostics);
    f("u", v.unreadable);
    f("ps", v.parse_seconds);
    f("es", v.extract_seconds);
  }
}

J put(std::uint32_t v) { return v; }
J put(std::uint16_t v) { return v; }
J put(std::uint8_t v) { return v; }
J put(std::int64_t v) { return v; }
J put(int v) { return v; }
J put(bool v) { return v; }
J put(double v) { return v; }
J put(const std::string& v) { return v; }
J put(Severity v) { return static_cast<int>(v); }
J put(Framing::Kind v) { return static_cast<int>(v); }
J put(DataRange::Kind v) { return static_cast<int>(v); }
template <class T, std::size_t N>
J put(const std::array<T, N>& v);
template <class T>
J put(const std::vector<T>& v);
template <class T>
J put(const std::map<std::string, T>& v);
template <class T>
auto put(const T& v) -> decltype(fields(const_cast<T&>(v), nullptr), J());

template <class T>
void get(const J& j, T& v) requires std::is_arithmetic_v<T> {
  v = j.get<T>();
}
void get(const J& j, std::string& v) { v = j.get<std::string>(); }
void get(const J& j, Severity& v) { v = static_cast<Severity>(j.get<int>()); }
void get(const J& j, Framing::Kind& v) { v = static_cast<Framing::Kind>(j.get<int>()); }
void get(const J& j, DataRange::Kind& v) { v = static_cast<DataRange::Kind>(j.get<int>()); }
template <class T, std::size_t N>
void get(const J& j, std::array<T, N>& v);
template <class T>
void get(const J& j, std::vector<T>& v);
template <class T>
void get(const J& j, std::map<std::string, T>& v);
template <class T>
auto get(const J& j, T& v) -> decltype(fields(v, nullptr), void());

template <class T, std::size_t N>
J put(const std::array<T, N>& v) {
  J j = J::array();
  for (const auto& e : v) j.push_back(put(e));
  return j;
}
template <class T>
J put(const std::vector<T>& v) {
  J j = J::array();
  for (const auto& e : v) j.push_back(put(e));
  return j;
}
template <class T>
J put(const std::map<std::string, T>& v) {
  J j = J::object();
  for (const auto& [k, e] : v) j[k] = put(e);
  return j;
}
template <class T>
auto put(const T& v) -> decltype(fields(const_cast<T&>(v), nullptr), J()) {
  J j = J::object();
  fields(const_cast<T&>(v), [&](const char* k, const auto& m) { j[k] = put(m); });
  return j;
}
template <class T, std::size_t N>
void get(const J& j, std::array<T, N>& v) {
  for (std::size_t i = 0; i < N; ++i) get(j.at(i), v[i]);
}
template <class T>
void get(const J& j, std::vector<T>& v) {
  v.resize(j.size());
  for (std::size_t i = 0; i < v.size(); ++i) get(j.at(i), v[i]);
}
template <class T>
void get(const J& j, std::map<std::string, T>& v) {
  for (auto it = j.begin(); it != j.end(); ++it) get(it.value(), v[it.key()]);
}
template <class T>
auto get(const J& j, T& v) -> decltype(fields(v, nullptr), void()) {
  fields(v, [&](const char* k, auto& m) { get(j.at(k), m); });
}

bool write_all(int fd, const std::string& data) {
  std::size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

// The address space this process has mapped (Linux: /proc/self/statm), so the child's limit is
// what the parse may add to it: a sanitizer's shadow memory alone maps terabytes.
std::uint64_t mapped_bytes() {
  std::ifstream statm("/proc/self/statm");
  std::uint64_t pages = 0;
  if (!(statm >> pages)) return 0;
  return pages * static_cast<std::uint64_t>(::sysconf(_SC_PAGESIZE));
}

// What the child sends back is bounded, so the parent's memory for one source is too: the
// parent parses the result as JSON and makes a spec of it (a 1.2 MB source of 120,000
// declarations took 2.76 GB there). Far above a real driver (a few hundred).
constexpr std::size_t kMaxExtractedObjects = 10000;
constexpr std::size_t kMaxResultBytes = 32u << 20;

std::size_t objects(const Extraction& x) {
  std::size_t n = x.framings.size() + x.filters.size() + x.diagnostics.size();
  for (const auto& f : x.filters)
    for (const auto& p : f.pins) n += 1 + p.ranges.size();
  return n;
}

// The environment holds what a CI job keeps secret (its token). The child drops it: getenv sees
// nothing, and the strings themselves are zeroed, because /proc/self/environ reads them from
// this process's memory, not from `environ`.
void empty_environment() {
  std::vector<char*> strings;
  for (char** e = environ; e && *e; ++e) strings.push_back(*e);
  ::clearenv();
  for (char* s : strings) std::memset(s, 0, std::strlen(s));
}

// The child ends with ksframe: killed by the kernel when its parent dies (a CI job cancelled,
// ksframe killed), not left running clang until its own time limit.
void die_with_parent(pid_t parent) {
#ifdef __linux__
  (void)::prctl(PR_SET_PDEATHSIG, SIGKILL);
#endif
  if (::getppid() != parent) std::_Exit(kChildFailed);  // it died before the line above
}

// A crash while the address space is full is clang running out of memory (LLVM aborts when
// malloc fails): judged by the state of the child, since its output may say anything. 64 MiB
// that cannot be mapped any more means the limit was reached. (Async-signal-safe: mmap.)
bool address_space_full() {
  void* probe =
      ::mmap(nullptr, std::size_t{64} << 20, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (probe == MAP_FAILED) return true;
  ::munmap(probe, std::size_t{64} << 20);
  return false;
}

[[noreturn]] void exit_out_of_memory() {
  (void)!::write(child_result_fd, "M", 1);
  ::_exit(kChildOutOfMemory);
}

// Whether the child's address space reached its limit at some point: its peak (VmPeak of
// /proc/self/status, opened before reads were given up) within 64 MiB of RLIMIT_AS. libclang's
// crash recovery catches LLVM's abort on a failed allocation, frees what it can and returns
// "crashed", so the peak is what remains to tell an exhausted parse from a crash.
bool reached_memory_limit(int status_fd) {
  rlimit limit{};
  if (status_fd < 0 || ::getrlimit(RLIMIT_AS, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY)
    return false;
  char buf[4096];
  const ssize_t n = ::pread(status_fd, buf, sizeof buf - 1, 0);
  if (n <= 0) return false;
  buf[n] = '\0';
  const char* peak = std::strstr(buf, "VmPeak:");
  if (!peak) return false;
  const std::uint64_t peak_bytes = std::strtoull(peak + 7, nullptr, 10) * 1024;
  return peak_bytes + (std::uint64_t{64} << 20) >= limit.rlim_cur;
}

extern "C" void judge_crash(int sig) {
  if (address_space_full()) exit_out_of_memory();
  ::signal(sig, SIG_DFL);
  ::raise(sig);
}

// An `#include` the kernel refused reads as clang's "'NAME' file not found": the file is there,
// outside what the child may read. Said as what it is, an error (the declarations after it
// would be read wrong), and the extraction is refused (exit code 2).
void refuse_escaped_includes(Extraction& x, const Options& options) {
  namespace fs = std::filesystem;
  // The extractor's words for a header it did not find (a warning when a declaration it reads
  // needed the header, else a note): both start so.
  constexpr std::string_view kMarker = "' file not found (declarations from it are unknown";
  for (auto& d : x.diagnostics) {
    const auto end = d.message.find(kMarker);
    if (d.rule != "KSF0030" || !d.message.starts_with('\'') || end == std::string::npos) continue;
    const std::string name = d.message.substr(1, end - 1);
    std::vector<fs::path> candidates{fs::path(name)};
    if (fs::path(name).is_relative()) {
      candidates = {fs::path(d.location.file).parent_path() / name};
      for (const auto& dir : options.include_dirs) candidates.push_back(fs::path(dir) / name);
    }
    for (const auto& c : candidates) {
      std::error_code ec;
      if (!fs::exists(c, ec) || confine::is_allowed_path(c.string())) continue;
      d.severity = Severity::Error;
      d.environment = false;  // the tree's doing, not the machine's
      d.message = "#include of " + name + " is refused: " + confine::check_written(c.string());
      d.hint = "ksframe --root names the tree; -I adds a folder";
      x.unreadable = true;
      break;
    }
  }
}

Extraction refused_extraction(const std::vector<std::string>& files, const std::string& message) {
  Extraction x;
  x.files = files;
  x.unreadable = true;
  x.diagnostics.push_back(
      make_diagnostic("KSF0030", message,
                      {files.empty() ? std::string() : text::display_name(files.front()), 0, 0}));
  return x;
}

// Confines the child's reads to `dirs` and `files` (empty `dirs`: nothing is confined). "" or
// why it could not be done.
std::string confine_reads(const std::vector<std::string>& dirs,
                          const std::vector<std::string>& files) {
  if (dirs.empty()) return {};
  // libclang is loaded (and with it everything it maps) before reads are given up.
  clang_disposeString(clang_getClangVersion());
  const std::string why = platform::restrict_reads(dirs, files);
  if (why.empty()) return {};
  return "cannot confine clang to the tree on this system (" + why +
         "); ksframe --root / reads C sources without confinement";
}

[[noreturn]] void send(int result_fd, const Extraction& x) {
  const std::string doc = "R" + put(x).dump(-1, ' ', false, J::error_handler_t::replace);
  std::_Exit(write_all(result_fd, doc) ? 0 : kChildFailed);
}

[[noreturn]] void run_child(int result_fd, const std::vector<std::string>& files,
                            const Options& options, ChildWork work, pid_t parent,
                            const std::vector<std::string>& dirs,
                            const std::vector<std::string>& readable_files) {
  child_result_fd = result_fd;
  die_with_parent(parent);
  empty_environment();
  for (int sig : {SIGSEGV, SIGBUS, SIGABRT}) ::signal(sig, judge_crash);
  if (options.memory_limit_bytes) {
    rlimit limit{};
    if (::getrlimit(RLIMIT_AS, &limit) == 0) {
      const std::uint64_t mapped = mapped_bytes();
      rlim_t want = options.memory_limit_bytes > UINT64_MAX - mapped
                        ? RLIM_INFINITY
                        : static_cast<rlim_t>(mapped + options.memory_limit_bytes);
      if (limit.rlim_max != RLIM_INFINITY && want > limit.rlim_max) want = limit.rlim_max;
      limit.rlim_cur = want;
      (void)::setrlimit(RLIMIT_AS, &limit);
    }
  }
  // ksframe's own allocations past the limit; clang's end in its crash handling or an abort.
  std::set_new_handler([] {
    (void)!::write(child_result_fd, "M", 1);
    std::_Exit(kChildOutOfMemory);
  });
  const int status_fd = ::open("/proc/self/status", O_RDONLY | O_CLOEXEC);
  try {
    if (std::string why = confine_reads(dirs, readable_files); !why.empty())
      send(result_fd, refused_extraction(files, why));
    Extraction x = work(files, options);
    if (x.unreadable && (address_space_full() || reached_memory_limit(status_fd)))
      exit_out_of_memory();
    if (!dirs.empty()) refuse_escaped_includes(x, options);
    if (objects(x) > kMaxExtractedObjects)
      x = refused_extraction(files, "the source declares more than " +
                                        std::to_string(kMaxExtractedObjects) +
                                        " framings, pins, data ranges and findings: ksframe "
                                        "reads at most that many");
    send(result_fd, x);
  } catch (const std::bad_alloc&) {
    (void)!::write(result_fd, "M", 1);
    std::_Exit(kChildOutOfMemory);
  } catch (...) {
    std::_Exit(kChildFailed);
  }
}

// Reads the child's result and standard error until both close or the deadline passes.
bool drain(int result_fd, int error_fd, std::string& result, std::string& error,
           unsigned timeout_seconds) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_seconds);
  pollfd fds[2] = {{result_fd, POLLIN, 0}, {error_fd, POLLIN, 0}};
  int open = 2;
  char buf[65536];
  while (open > 0) {
    int wait_ms = -1;
    if (timeout_seconds) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) return false;
      wait_ms = static_cast<int>(std::min<long long>(left.count(), 1000));
    }
    const int ready = ::poll(fds, 2, wait_ms);
    if (ready < 0 && errno != EINTR) return true;
    for (int i = 0; i < 2 && ready > 0; ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      const ssize_t n = ::read(fds[i].fd, buf, sizeof buf);
      if (n > 0) {
        std::string& into = i == 0 ? result : error;
        // The result is bounded by the child (kMaxExtractedObjects), and here again, so a child
        // that lost its way cannot fill the parent's memory; standard error (clang's crash
        // report) is kept to its first 64 KiB.
        if (into.size() < (i == 0 ? kMaxResultBytes + 1 : 65536))
          into.append(buf, static_cast<std::size_t>(n));
      } else if (n == 0 || errno != EINTR) {
        fds[i].fd = -1;
        --open;
      }
    }
  }
  return true;
}

}  // namespace

namespace {

// The child's standard error reaches the user line by line, each line marked as clang's and
// escaped: a file name with a line break could otherwise start a line of its own in a CI log
// (`::stop-commands::`), and ESC or bidirectional characters would reach the terminal.
void forward_child_errors(const std::string& error) {
  std::size_t start = 0;
  while (start < error.size()) {
    std::size_t end = error.find('\n', start);
    if (end == std::string::npos) end = error.size();
    const std::string line =
        "ksframe: clang: " +
        text::display_name(std::string_view(error).substr(start, end - start)) + "\n";
    std::fwrite(line.data(), 1, line.size(), stderr);
    start = end + 1;
  }
}

// What the child may read when the tree confines it: the tree, the command line's folders, and
// the files named to it (the sources, read by ksframe already and handed over in memory, and the
// compilation database, which libclang opens itself).
std::vector<std::string> readable_files(const std::vector<std::string>& files,
                                        const Options& options) {
  std::vector<std::string> out = files;
  if (!options.compile_commands.empty()) {
    std::error_code ec;
    const std::filesystem::path db(options.compile_commands);
    out.push_back(std::filesystem::is_directory(db, ec) ? (db / "compile_commands.json").string()
                                                        : db.string());
  }
  return out;
}

}  // namespace

Extraction extract_isolated(const std::vector<std::string>& files, const Options& given,
                            ChildWork work) {
  Extraction out;
  out.files = files;
  std::string shown;
  for (std::size_t i = 0; i < files.size(); ++i)
    shown += (i ? ", " : "") + text::display_name(files[i]);
  const Location at{files.empty() ? std::string() : text::display_name(files.front()), 0, 0};
  auto fail = [&](const std::string& message, const Location& where) {
    out.diagnostics.push_back(make_diagnostic(
        "KSF0030", message, where, "the source is not read; see docs/c-sources.md (Limits)"));
    out.unreadable = true;
    return out;
  };
  // One command's C sources share a total time (confine::CLimits): each parse gets what is
  // left of it, at most its own limit.
  Options options = given;
  const double left = confine::c_seconds_left();
  if (left < 1)
    return fail("the C sources of this command used up its total parse time of " +
                    std::to_string(confine::c_limits().total_seconds) + " s",
                at);
  if (left < 1e9 && (options.timeout_seconds == 0 || options.timeout_seconds > left))
    options.timeout_seconds = static_cast<unsigned>(std::floor(left));
  if (!options.compile_commands.empty())
    for (const auto& f : files)
      if (std::string why = confine::check_compile_commands(options.compile_commands, f);
          !why.empty())
        return fail("the compilation database " + text::display_name(options.compile_commands) +
                        " hands clang " + why,
                    {text::display_name(options.compile_commands), 0, 0});
  const std::vector<std::string> dirs = confine::readable_dirs();
  const std::vector<std::string> handed = readable_files(files, options);
  const auto started = std::chrono::steady_clock::now();
  const pid_t parent = ::getpid();
  int result_pipe[2], error_pipe[2];
  if (::pipe(result_pipe) != 0)
    return fail("cannot start the parse of " + shown + ": " + std::strerror(errno), at);
  if (::pipe(error_pipe) != 0) {
    ::close(result_pipe[0]);
    ::close(result_pipe[1]);
    return fail("cannot start the parse of " + shown + ": " + std::strerror(errno), at);
  }
  std::fflush(nullptr);  // nothing buffered is written twice
  const pid_t pid = ::fork();
  if (pid < 0) {
    for (int fd : {result_pipe[0], result_pipe[1], error_pipe[0], error_pipe[1]}) ::close(fd);
    return fail("cannot start the parse of " + shown + ": " + std::strerror(errno), at);
  }
  if (pid == 0) {
    ::close(result_pipe[0]);
    ::close(error_pipe[0]);
    ::dup2(error_pipe[1], 2);
    ::close(error_pipe[1]);
    run_child(result_pipe[1], files, options, work, parent, dirs, handed);
  }
  ::close(result_pipe[1]);
  ::close(error_pipe[1]);
  std::string result, error;
  // The child ends itself after timeout_seconds per file; this bound only catches a child that
  // cannot (its watchdog never ran).
  // The command's total (confine::CLimits) ends the child too: the child's limit holds for
  // each of its phases (the parse, then the walk), so alone it could spend twice what is left.
  unsigned backstop = options.timeout_seconds
                          ? options.timeout_seconds * static_cast<unsigned>(files.size() + 1) + 5
                          : 0;
  if (left < 1e9 && (backstop == 0 || backstop > left + 1))
    backstop = static_cast<unsigned>(std::ceil(left)) + 1;
  const bool finished = drain(result_pipe[0], error_pipe[0], result, error, backstop);
  if (!finished) ::kill(pid, SIGKILL);
  ::close(result_pipe[0]);
  ::close(error_pipe[0]);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  confine::spend_c_seconds(
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
  // Clang's own report of a crash goes where it always went, standard error, escaped.
  forward_child_errors(error);

  // How the child ended says what happened; its output does not (a parse that succeeds may
  // print "out of memory": a file name, a #warning).
  const bool out_of_memory = WIFEXITED(status) && WEXITSTATUS(status) == kChildOutOfMemory;
  const std::string limit = options.memory_limit_bytes
                                ? std::to_string(options.memory_limit_bytes >> 20) + " MiB"
                                : std::string("no limit");
  if (!finished)
    return fail(
        "parsing " + shown + " took longer than " + std::to_string(backstop) + " s; giving up", at);
  if (WIFEXITED(status) && WEXITSTATUS(status) == kChildTimedOut && result.starts_with("T")) {
    const std::string file = result.substr(1);
    return fail("parsing " + file + " took longer than " + std::to_string(options.timeout_seconds) +
                    " s; giving up",
                {file, 0, 0});
  }
  if (out_of_memory)
    return fail("clang ran out of memory parsing " + shown + " (the limit is " + limit +
                    " of address space)",
                at);
  if (WIFSIGNALED(status))
    return fail("clang crashed parsing " + shown + " (signal " + std::to_string(WTERMSIG(status)) +
                    ", " + ::strsignal(WTERMSIG(status)) + ")",
                at);
  if (result.size() > kMaxResultBytes)
    return fail("the parse of " + shown + " sent back more than " +
                    std::to_string(kMaxResultBytes) + " bytes",
                at);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || !result.starts_with("R"))
    return fail("the parse of " + shown + " ended without a result (exit status " +
                    std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : -1) + ")",
                at);
  try {
    Extraction x;
    get(J::parse(result.begin() + 1, result.end()), x);
    x.files = files;
    return x;
  } catch (const std::exception& e) {
    return fail("the parse of " + shown + " sent back a result ksframe cannot read: " + e.what(),
                at);
  }
}

}  // namespace ksframe::cimport

#endif
