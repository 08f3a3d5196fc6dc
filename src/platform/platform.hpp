// The operating system, behind one small seam: everything ksframe needs that POSIX and Windows
// spell differently. posix.cpp and windows.cpp implement it; exactly one is compiled.
// Strings are UTF-8 on both: paths, arguments and console output.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

namespace ksframe::platform {

/// Standard streams for a tool whose output is bytes: binary mode (no "\r\n" translation, so
/// JSON and golden outputs are byte-identical everywhere) and a UTF-8 console on Windows.
/// Call once, first thing in main().
void prepare_standard_streams();

/// The command line as UTF-8 (Windows hands main() the ANSI code page; POSIX, bytes as given).
std::vector<std::string> arguments(int argc, char** argv);

/// A UTF-8 path as the file system's own path type, for std::ifstream and std::filesystem
/// (wide characters on Windows; the bytes as they are on POSIX, valid UTF-8 or not).
std::filesystem::path native_path(const std::string& utf8);

/// Whether standard output (1) or standard error (2) is a terminal.
bool is_terminal(int fd);

/// Memory aligned to `alignment` (a power of two), released with aligned_free.
void* aligned_allocate(std::size_t alignment, std::size_t size);
void aligned_free(void* memory);

/// What a path names, without following a symbolic link when `follow_links` is false.
enum class FileKind { missing, regular, directory, symlink, other };
struct FileStatus {
  FileKind kind = FileKind::missing;
  unsigned long long size = 0;  ///< bytes, for a regular file
  std::string error;            ///< why the status could not be read (kind is missing then)
};
FileStatus file_status(const std::string& path, bool follow_links = true);

/// Replaces `path` with `text` atomically and durably: a temporary file in the same directory,
/// written, flushed to the disk, then renamed over `path` (POSIX rename; Windows MoveFileExW
/// with MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH). A failure leaves `path` as it was
/// and no temporary file behind, and so does an interruption (SIGINT, SIGTERM, SIGHUP; Ctrl-C
/// or a closed console on Windows): the temporary file is removed and the process then ends as
/// the interruption would have ended it. A replaced file keeps its permissions. Returns "" or
/// why it failed.
std::string replace_file(const std::string& path, const std::string& text);

/// What `-o FILE` does: a regular file or a new path is replaced atomically (replace_file);
/// through a symbolic link, its target is; a device, FIFO or socket (/dev/null, NUL) is written
/// in place, since replacing it would destroy it; a directory is refused.
std::string write_file(const std::string& path, const std::string& text);

/// Limits what this process and its threads can ever read again to the files beneath `dirs`
/// and the files `files` (Linux: Landlock; a file already open stays readable). For the child
/// that runs clang on a pull request's C source: the kernel refuses an `#include` that leaves
/// the tree before clang reads a byte of it. Returns "" or why it could not be done (another
/// system, or a kernel without Landlock).
std::string restrict_reads(const std::vector<std::string>& dirs,
                           const std::vector<std::string>& files);

/// Removes a file; false when it could not be removed.
bool remove_file(const std::string& path);

}  // namespace ksframe::platform
