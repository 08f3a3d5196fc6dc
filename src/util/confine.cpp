#include "util/confine.hpp"

#include <algorithm>
#include <mutex>
#include <system_error>

namespace ksframe::confine {
namespace fs = std::filesystem;

namespace {

std::mutex g_mutex;
std::optional<Tree> g_tree;
double g_c_seconds_spent = 0;

// Without a trailing empty component, so that a component-wise prefix test works.
fs::path tidy(const fs::path& p) {
  fs::path n = p.lexically_normal();
  if (n.has_filename() || n == n.root_path()) return n;
  return n.parent_path();
}

bool within(const fs::path& p, const fs::path& dir) {
  if (dir.empty()) return false;
  if (dir == dir.root_path()) return true;
  const auto [d, q] = std::mismatch(dir.begin(), dir.end(), p.begin(), p.end());
  return d == dir.end();
}

// `p` absolute with every symlink followed, also a dangling last one (a link to a file that
// does not exist yet still names a place: an output written there would land outside). At
// most 40 links, as the kernel allows.
fs::path resolve(const fs::path& given) {
  std::error_code ec;
  fs::path p = tidy(fs::absolute(given, ec));
  for (int hops = 0; hops < 40; ++hops) {
    const fs::path parent = tidy(fs::weakly_canonical(p.parent_path(), ec));
    p = p.has_filename() ? parent / p.filename() : parent;
    if (!fs::is_symlink(fs::symlink_status(p, ec))) return tidy(p);
    const fs::path target = fs::read_symlink(p, ec);
    if (ec) return tidy(p);
    p = tidy(target.is_absolute() ? target : parent / target);
  }
  return p;
}

bool allowed(const Tree& t, const fs::path& resolved) {
  if (within(resolved, t.root)) return true;
  return std::any_of(t.user_dirs.begin(), t.user_dirs.end(),
                     [&](const fs::path& d) { return within(resolved, d); });
}

// The git work tree that holds `input` (a folder with a `.git` entry: a repository, a worktree
// or a submodule), searched from the input's own folder upwards.
std::optional<fs::path> git_work_tree(const std::string& input) {
  std::error_code ec;
  fs::path dir = tidy(fs::absolute(input, ec)).parent_path();
  for (int depth = 0; depth < 256 && !dir.empty(); ++depth) {
    if (fs::exists(dir / ".git", ec)) return dir;
    if (dir == dir.root_path()) break;
    dir = dir.parent_path();
  }
  return std::nullopt;
}

}  // namespace

std::optional<Tree> make_tree(const std::string& root, const std::string& first_input,
                              const std::vector<std::string>& user_dirs, std::string& error) {
  std::error_code ec;
  fs::path chosen;
  if (!root.empty()) {
    chosen = root;
    if (!fs::is_directory(chosen, ec)) {
      error = "--root " + root + ": not a folder";
      return std::nullopt;
    }
  } else if (auto git = first_input.empty() || first_input == "-" ? std::nullopt
                                                                  : git_work_tree(first_input)) {
    chosen = *git;
  } else {
    chosen = fs::current_path(ec);
  }
  Tree t;
  t.found_from_input = root.empty();
  t.root_lexical = tidy(fs::absolute(chosen, ec));
  t.root = tidy(fs::weakly_canonical(chosen, ec));
  for (const auto& d : user_dirs)
    if (!d.empty()) t.user_dirs.push_back(tidy(fs::weakly_canonical(d, ec)));
  return t;
}

std::optional<Tree> tree_for_input(const std::string& input) {
  std::optional<Tree> command = current();
  if (!command || !command->found_from_input) return command;
  std::string error;
  std::optional<Tree> own = make_tree("", input, {}, error);
  if (!own) return command;
  own->user_dirs = command->user_dirs;
  own->c = command->c;
  return own;
}

std::optional<Tree> current() {
  std::lock_guard lock(g_mutex);
  return g_tree;
}

ScopedTree::ScopedTree(std::optional<Tree> tree) {
  std::lock_guard lock(g_mutex);
  previous_ = std::move(g_tree);
  g_tree = std::move(tree);
  g_c_seconds_spent = 0;
}

ScopedTree::~ScopedTree() {
  std::lock_guard lock(g_mutex);
  g_tree = std::move(previous_);
}

CLimits c_limits() {
  std::lock_guard lock(g_mutex);
  return g_tree ? g_tree->c : CLimits{};
}

double c_seconds_left() {
  std::lock_guard lock(g_mutex);
  if (!g_tree) return 1e18;  // a library caller sets its own limits per extraction
  const double total = g_tree->c.total_seconds;
  return total > g_c_seconds_spent ? total - g_c_seconds_spent : 0;
}

void spend_c_seconds(double seconds) {
  std::lock_guard lock(g_mutex);
  g_c_seconds_spent += seconds;
}

std::string check_written(const std::string& path) {
  const auto t = current();
  if (!t || t->everything()) return {};
  if (allowed(*t, resolve(path))) return {};
  return "the path leaves the tree (ksframe --root names it): a path written in a file must "
         "stay inside the tree or a folder given with -I or --wdk";
}

std::string check_user_path(const std::string& path) {
  const auto t = current();
  if (!t || t->everything() || path == "-") return {};
  std::error_code ec;
  const fs::path lexical = tidy(fs::absolute(path, ec));
  if (!within(lexical, t->root_lexical) && !within(lexical, t->root)) return {};
  if (allowed(*t, resolve(path))) return {};
  return "it is in the tree (ksframe --root names it) but a symbolic link leads out of it";
}

std::string check_regular_file(const std::string& path) {
  if (path == "-") return {};
  std::error_code ec;
  for (const fs::path& p : {tidy(fs::absolute(path, ec)), resolve(path)})
    for (const char* special : {"/proc", "/dev"})
      if (within(p, special))
        return std::string("it is under ") + special +
               ": ksframe reads only regular files (not a process's or a device's own data)";
  const fs::file_status st = fs::status(path, ec);
  switch (st.type()) {
    case fs::file_type::regular:
    case fs::file_type::not_found:  // the reader says so
    case fs::file_type::none:
    case fs::file_type::directory:  // ditto, in its words
      return {};
    case fs::file_type::fifo:
      return "it is a FIFO: ksframe reads only regular files (a stream could block it forever)";
    case fs::file_type::socket:
      return "it is a socket: ksframe reads only regular files";
    case fs::file_type::block:
    case fs::file_type::character:
      return "it is a device: ksframe reads only regular files";
    default:
      return "it is not a regular file: ksframe reads only regular files";
  }
}

std::vector<std::string> readable_dirs(const std::vector<std::string>& extra) {
  const auto t = current();
  if (!t || t->everything()) return {};
  std::vector<std::string> out{t->root.string()};
  for (const auto& d : t->user_dirs) out.push_back(d.string());
  std::error_code ec;
  for (const auto& d : extra) out.push_back(tidy(fs::weakly_canonical(d, ec)).string());
  return out;
}

}  // namespace ksframe::confine
