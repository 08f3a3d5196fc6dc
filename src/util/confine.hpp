// The tree a command works in, and which paths it may read. A pull request controls every file of
// its tree, including the paths written inside them (`include:`, `#include`, the entries of a
// compile_commands.json) and symbolic links; it does not control the command line. So a path the
// user typed is the user's own, and a path a file names must stay, symlinks followed, inside
// the tree (`--root`), the folders the command line gave (-I, --wdk) or the built-in headers.
// docs/security.md ("The tree") states the rule; this file is its one implementation, which the
// spec loader, the C front end and the output paths call.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace ksframe::confine {

/// What one command may spend on C sources, wherever they come from (the command line or a
/// spec's `include:`): each parse has the command line's limits, and all of them together
/// `total_seconds` of wall-clock time.
struct CLimits {
  unsigned timeout_seconds = 60;
  std::uint64_t memory_limit_bytes = std::uint64_t{4} << 30;
  unsigned total_seconds = 300;
};

/// The tree and the folders the command line adds to it. Paths are absolute and canonical
/// (symlinks resolved), so a comparison is a prefix test on whole components.
struct Tree {
  std::filesystem::path root;
  std::filesystem::path root_lexical;  ///< `root` as given, absolute: how a path is "in" it
  std::vector<std::filesystem::path> user_dirs;  ///< command-line -I and --wdk folders
  CLimits c;                                     ///< the command line's clang limits
  /// No --root was given: the tree is the default one, found from the first input.
  bool found_from_input = false;
  /// `--root /`: every path is inside; the checks below then allow anything but a stream.
  bool everything() const { return root == root.root_path(); }
};

/// The tree of a command: `root` when given, else the git work tree (a folder with `.git`)
/// holding `first_input`, else the current directory. `user_dirs` as given on the command line.
/// Fails (returns the reason) when `root` is not a folder.
std::optional<Tree> make_tree(const std::string& root, const std::string& first_input,
                              const std::vector<std::string>& user_dirs, std::string& error);

/// The tree for one `input` of a command with several (diff's base and head, which may sit in
/// two checkouts): the command's tree when --root named it, else the default tree found from
/// this input, with the command's folders and limits.
std::optional<Tree> tree_for_input(const std::string& input);

/// The tree checks use, process-wide: the command line sets it for one command (ScopedTree).
/// Without one (a library caller, the fuzzers, most unit tests) nothing is confined.
std::optional<Tree> current();

class ScopedTree {
 public:
  explicit ScopedTree(std::optional<Tree> tree);
  ~ScopedTree();
  ScopedTree(const ScopedTree&) = delete;
  ScopedTree& operator=(const ScopedTree&) = delete;

 private:
  std::optional<Tree> previous_;
};

/// The command's C limits (the defaults without a tree).
CLimits c_limits();
/// Seconds of the command's total C parse time left (CLimits::total_seconds less what
/// spend_c_seconds recorded since the tree was set; unbounded without a tree).
double c_seconds_left();
void spend_c_seconds(double seconds);

/// A path written inside a file (already joined to its file's folder): "" when, with every
/// symlink followed, it lies in the tree, a command-line -I/--wdk folder, or no tree is set;
/// else why not. Nothing of the file is read.
std::string check_written(const std::string& path);
/// The same test as a yes/no, for callers that say their own words (the C front end).
inline bool is_allowed_path(const std::string& path) { return check_written(path).empty(); }

/// A path the user typed (a spec, a C source, an -o file): the user's own, unless it lies in
/// the tree and leads out of it through a symlink the tree planted. "" or why not.
std::string check_user_path(const std::string& path);

/// "" when `path` names a regular file (symlinks followed); else why not: a FIFO, socket or
/// device (which could block a read forever), or anything under /proc or /dev, whose content is
/// the process's own (its environment, its descriptors), is refused before it is opened.
std::string check_regular_file(const std::string& path);

/// The entries of the compilation database `database` (a compile_commands.json or its folder)
/// for `source`: "" when every path they hand clang (-I, /I, -isystem, -iquote, -idirafter,
/// -include, -imacros, @response files) passes check_written, else the first that does not and
/// why. Checked before clang loads the database, which reads the response files itself.
std::string check_compile_commands(const std::string& database, const std::string& source);

/// The folders the C front end may read when the tree is set: the tree, the command-line
/// folders, and `extra` (each a folder that passed the checks above). Empty when nothing is
/// confined (`--root /` or no tree).
std::vector<std::string> readable_dirs(const std::vector<std::string>& extra = {});

}  // namespace ksframe::confine
