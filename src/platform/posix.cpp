// The platform seam on POSIX systems (Linux, the BSDs, macOS).
#ifndef _WIN32

#include <fcntl.h>
#include <signal.h>
#ifdef __linux__
#include <linux/landlock.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#endif
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <iterator>

#include "platform/platform.hpp"

namespace ksframe::platform {

void prepare_standard_streams() {}

std::vector<std::string> arguments(int argc, char** argv) { return {argv, argv + argc}; }

std::filesystem::path native_path(const std::string& utf8) { return std::filesystem::path(utf8); }

bool is_terminal(int fd) { return ::isatty(fd) == 1; }

void* aligned_allocate(std::size_t alignment, std::size_t size) {
  // aligned_alloc wants a size that is a multiple of the alignment.
  const std::size_t rounded = (size + alignment - 1) / alignment * alignment;
  return std::aligned_alloc(alignment, rounded == 0 ? alignment : rounded);
}

void aligned_free(void* memory) { std::free(memory); }

FileStatus file_status(const std::string& path, bool follow_links) {
  struct stat st {};
  const int rc = follow_links ? ::stat(path.c_str(), &st) : ::lstat(path.c_str(), &st);
  FileStatus s;
  if (rc != 0) {
    s.error = std::strerror(errno);
    return s;
  }
  s.kind = S_ISREG(st.st_mode)   ? FileKind::regular
           : S_ISDIR(st.st_mode) ? FileKind::directory
           : S_ISLNK(st.st_mode) ? FileKind::symlink
                                 : FileKind::other;
  s.size = static_cast<unsigned long long>(st.st_size);
  return s;
}

namespace {

constexpr int kCleanupSignals[] = {SIGINT, SIGTERM, SIGHUP};

// The temporary file the signal handler removes. Set and cleared with the signals blocked, so
// the handler never sees half a name.
char g_temp_path[PATH_MAX + 32];
volatile sig_atomic_t g_temp_active = 0;

extern "C" void remove_temp_and_reraise(int sig) {
  if (g_temp_active) ::unlink(g_temp_path);  // async-signal-safe
  ::signal(sig, SIG_DFL);
  ::raise(sig);  // delivered when the handler returns: the process ends by this signal
}

sigset_t cleanup_set() {
  sigset_t set;
  sigemptyset(&set);
  for (int s : kCleanupSignals) sigaddset(&set, s);
  return set;
}

// While alive, the handlers above are installed for the cleanup signals; the old ones come
// back at the end (a test harness or an embedding program keeps its own).
class TempFileGuard {
 public:
  TempFileGuard() {
    struct sigaction sa {};
    sa.sa_handler = remove_temp_and_reraise;
    sigemptyset(&sa.sa_mask);
    for (std::size_t i = 0; i < std::size(kCleanupSignals); ++i)
      ::sigaction(kCleanupSignals[i], &sa, &old_[i]);
  }
  ~TempFileGuard() {
    forget();
    for (std::size_t i = 0; i < std::size(kCleanupSignals); ++i)
      ::sigaction(kCleanupSignals[i], &old_[i], nullptr);
  }
  TempFileGuard(const TempFileGuard&) = delete;
  TempFileGuard& operator=(const TempFileGuard&) = delete;

  // mkstemp with the cleanup signals blocked, so no signal falls between creating the file
  // and recording its name. Returns the descriptor, or -1 with errno set.
  int create(std::string& name) {
    if (name.size() >= sizeof g_temp_path) {
      errno = ENAMETOOLONG;
      return -1;
    }
    const sigset_t set = cleanup_set();
    sigset_t old;
    ::sigprocmask(SIG_BLOCK, &set, &old);
    std::memcpy(g_temp_path, name.c_str(), name.size() + 1);
    const int fd = ::mkstemp(g_temp_path);
    const int saved = errno;
    if (fd >= 0) {
      name = g_temp_path;
      g_temp_active = 1;
    }
    ::sigprocmask(SIG_SETMASK, &old, nullptr);
    errno = saved;
    return fd;
  }
  // The temporary file is gone (renamed or unlinked): the handler must not touch the name.
  void forget() {
    const sigset_t set = cleanup_set();
    sigset_t old;
    ::sigprocmask(SIG_BLOCK, &set, &old);
    g_temp_active = 0;
    ::sigprocmask(SIG_SETMASK, &old, nullptr);
  }

 private:
  struct sigaction old_[std::size(kCleanupSignals)];
};

std::string write_all(int fd, const std::string& text) {
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return std::strerror(errno);
    }
    done += static_cast<std::size_t>(n);
  }
  return {};
}

// What -o names once symlinks are followed: the last link's target, which may not exist yet
// (a dangling link names the file to create). At most 40 links, as the kernel allows.
std::string follow_symlinks(std::string path) {
  for (int hops = 0; hops < 40; ++hops) {
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0 || !S_ISLNK(st.st_mode)) return path;
    std::string target(PATH_MAX, '\0');
    const ssize_t n = ::readlink(path.c_str(), target.data(), target.size());
    if (n < 0) return path;
    target.resize(static_cast<std::size_t>(n));
    if (target.empty() || target[0] != '/') {  // relative to the link's directory
      const auto slash = path.rfind('/');
      if (slash != std::string::npos) target = path.substr(0, slash + 1) + target;
    }
    path = std::move(target);
  }
  return path;
}

// A device, FIFO or socket: opened without O_CREAT or O_TRUNC and written where it is.
std::string write_in_place(const std::string& path, const std::string& text) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_NOCTTY | O_CLOEXEC);
  if (fd < 0) return std::strerror(errno);
  std::string err = write_all(fd, text);
  if (::close(fd) != 0 && err.empty()) err = std::strerror(errno);
  return err;
}

}  // namespace

std::string replace_file(const std::string& path, const std::string& text) {
  struct stat existing {};
  const bool exists = ::stat(path.c_str(), &existing) == 0;
  // The temporary file sits next to the target so rename() stays within one file system. Its
  // name is short and its own, not the target's name with a suffix: a 250-byte file name plus a
  // suffix would pass the file system's 255-byte limit.
  TempFileGuard guard;
  const auto slash = path.rfind('/');
  std::string name =
      (slash == std::string::npos ? std::string() : path.substr(0, slash + 1)) + ".ksframe-XXXXXX";
  const int fd = guard.create(name);
  if (fd < 0) return std::strerror(errno);
  auto fail = [&](std::string err) {
    ::unlink(name.c_str());
    return err;
  };
  if (std::string err = write_all(fd, text); !err.empty()) {
    ::close(fd);
    return fail(std::move(err));
  }
  // A replaced file keeps its permissions; a new one is readable by all, as before.
  ::fchmod(fd, exists ? (existing.st_mode & 07777) : 0644);
  if (::fsync(fd) != 0 || ::close(fd) != 0) return fail(std::strerror(errno));
  if (::rename(name.c_str(), path.c_str()) != 0) return fail(std::strerror(errno));
  return {};
}

std::string write_file(const std::string& path, const std::string& text) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    if (errno != ENOENT) return std::strerror(errno);
    return replace_file(follow_symlinks(path), text);  // a new path, or a dangling link's target
  }
  if (S_ISDIR(st.st_mode)) return std::strerror(EISDIR);
  // Opened by the name given: /dev/stdout leads through /proc links that are not paths.
  if (!S_ISREG(st.st_mode)) return write_in_place(path, text);
  char* real = ::realpath(path.c_str(), nullptr);  // a symlink's target is what gets replaced
  if (!real) return std::strerror(errno);
  const std::string target(real);
  std::free(real);
  return replace_file(target, text);
}

bool remove_file(const std::string& path) { return ::unlink(path.c_str()) == 0; }

#if defined(__linux__) && defined(LANDLOCK_ACCESS_FS_READ_FILE)
namespace {

// One rule: reading (files, and listing folders when `path` is one) beneath `path`.
bool allow_reads(int ruleset, const std::string& path) {
  const int fd = ::open(path.c_str(), O_PATH | O_CLOEXEC);
  if (fd < 0) return errno == ENOENT || errno == ENOTDIR;  // nothing there to allow
  struct stat st {};
  const bool is_dir = ::fstat(fd, &st) == 0 && S_ISDIR(st.st_mode);
  landlock_path_beneath_attr rule{};
  rule.allowed_access =
      LANDLOCK_ACCESS_FS_READ_FILE | (is_dir ? LANDLOCK_ACCESS_FS_READ_DIR : 0ull);
  rule.parent_fd = fd;
  const long rc = ::syscall(SYS_landlock_add_rule, ruleset, LANDLOCK_RULE_PATH_BENEATH, &rule, 0);
  ::close(fd);
  return rc == 0;
}

}  // namespace

std::string restrict_reads(const std::vector<std::string>& dirs,
                           const std::vector<std::string>& files) {
  const long abi =
      ::syscall(SYS_landlock_create_ruleset, nullptr, 0, LANDLOCK_CREATE_RULESET_VERSION);
  if (abi < 1) return std::string("this kernel has no Landlock (") + std::strerror(errno) + ")";
  // Only reading is handled: the child writes nothing but its pipes, which are open already.
  landlock_ruleset_attr attr{};
  attr.handled_access_fs = LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_READ_DIR;
  const int ruleset =
      static_cast<int>(::syscall(SYS_landlock_create_ruleset, &attr, sizeof attr, 0));
  if (ruleset < 0) return std::string("landlock_create_ruleset: ") + std::strerror(errno);
  std::string error;
  for (const auto* list : {&dirs, &files})
    for (const auto& p : *list)
      if (error.empty() && !allow_reads(ruleset, p)) error = p + ": " + std::strerror(errno);
  if (error.empty() && ::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
    error = std::string("PR_SET_NO_NEW_PRIVS: ") + std::strerror(errno);
  if (error.empty() && ::syscall(SYS_landlock_restrict_self, ruleset, 0) != 0)
    error = std::string("landlock_restrict_self: ") + std::strerror(errno);
  ::close(ruleset);
  return error;
}
#else
std::string restrict_reads(const std::vector<std::string>&, const std::vector<std::string>&) {
  return "this system has no Landlock";
}
#endif

}  // namespace ksframe::platform

#endif  // !_WIN32
