// The platform seam on Windows: UTF-8 in and out of the wide-character API.
#ifdef _WIN32

#define WIN32_LEAN_AND_MEAN
#define NOMINMAX
#include <windows.h>
// After windows.h:
#include <fcntl.h>
#include <io.h>
#include <malloc.h>
#include <shellapi.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <mutex>

#include "platform/platform.hpp"

namespace ksframe::platform {
namespace {

std::wstring widen(const std::string& s) {
  if (s.empty()) return {};
  const int n = ::MultiByteToWideChar(CP_UTF8, 0, s.data(), static_cast<int>(s.size()), nullptr, 0);
  std::wstring w(static_cast<std::size_t>(n), L'\0');
  ::MultiByteToWideChar(CP_UTF8, 0, s.data(), static_cast<int>(s.size()), w.data(), n);
  return w;
}

std::string narrow(const wchar_t* w) {
  const int n = ::WideCharToMultiByte(CP_UTF8, 0, w, -1, nullptr, 0, nullptr, nullptr);
  if (n <= 1) return {};
  std::string s(static_cast<std::size_t>(n - 1), '\0');
  ::WideCharToMultiByte(CP_UTF8, 0, w, -1, s.data(), n, nullptr, nullptr);
  return s;
}

/// The C library's words for the common cases, so messages read the same on every system;
/// Windows' own text otherwise.
std::string error_text(DWORD code) {
  switch (code) {
    case ERROR_FILE_NOT_FOUND:
    case ERROR_PATH_NOT_FOUND:
    case ERROR_INVALID_NAME:
      return std::strerror(ENOENT);
    case ERROR_ACCESS_DENIED:
      return std::strerror(EACCES);
    case ERROR_DISK_FULL:
    case ERROR_HANDLE_DISK_FULL:
      return std::strerror(ENOSPC);
    default:
      break;
  }
  wchar_t* text = nullptr;
  ::FormatMessageW(
      FORMAT_MESSAGE_ALLOCATE_BUFFER | FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS,
      nullptr, code, 0, reinterpret_cast<wchar_t*>(&text), 0, nullptr);
  std::string s = text ? narrow(text) : "Windows error " + std::to_string(code);
  if (text) ::LocalFree(text);
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == '.')) s.pop_back();
  return s;
}

}  // namespace

void prepare_standard_streams() {
  _setmode(_fileno(stdin), _O_BINARY);
  _setmode(_fileno(stdout), _O_BINARY);
  _setmode(_fileno(stderr), _O_BINARY);
  ::SetConsoleOutputCP(CP_UTF8);
}

std::vector<std::string> arguments(int argc, char** argv) {
  int n = 0;
  wchar_t** wide = ::CommandLineToArgvW(::GetCommandLineW(), &n);
  if (!wide) return {argv, argv + argc};
  std::vector<std::string> args;
  for (int i = 0; i < n; ++i) args.push_back(narrow(wide[i]));
  ::LocalFree(wide);
  return args;
}

std::filesystem::path native_path(const std::string& utf8) {
  return std::filesystem::path(widen(utf8));
}

bool is_terminal(int fd) { return _isatty(fd) != 0; }

void* aligned_allocate(std::size_t alignment, std::size_t size) {
  return _aligned_malloc(size == 0 ? alignment : size, alignment);
}

void aligned_free(void* memory) { _aligned_free(memory); }

FileStatus file_status(const std::string& path, bool follow_links) {
  FileStatus s;
  const std::wstring wide = widen(path);
  WIN32_FILE_ATTRIBUTE_DATA data{};
  if (!::GetFileAttributesExW(wide.c_str(), GetFileExInfoStandard, &data)) {
    s.error = error_text(::GetLastError());
    return s;
  }
  DWORD attributes = data.dwFileAttributes;
  unsigned long long size =
      (static_cast<unsigned long long>(data.nFileSizeHigh) << 32) | data.nFileSizeLow;
  if (attributes & FILE_ATTRIBUTE_REPARSE_POINT) {
    if (!follow_links) {
      s.kind = FileKind::symlink;
      return s;
    }
    // What the link points to: open it (following the link) and ask the handle.
    HANDLE h = ::CreateFileW(wide.c_str(), FILE_READ_ATTRIBUTES,
                             FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, nullptr,
                             OPEN_EXISTING, FILE_FLAG_BACKUP_SEMANTICS, nullptr);
    BY_HANDLE_FILE_INFORMATION info{};
    const bool ok = h != INVALID_HANDLE_VALUE && ::GetFileInformationByHandle(h, &info);
    const DWORD err = ::GetLastError();
    if (h != INVALID_HANDLE_VALUE) ::CloseHandle(h);
    if (!ok) {
      s.error = error_text(err);
      return s;
    }
    attributes = info.dwFileAttributes;
    size = (static_cast<unsigned long long>(info.nFileSizeHigh) << 32) | info.nFileSizeLow;
  }
  s.kind = (attributes & FILE_ATTRIBUTE_DIRECTORY) ? FileKind::directory
           : (attributes & FILE_ATTRIBUTE_DEVICE)  ? FileKind::other
                                                   : FileKind::regular;
  s.size = size;
  return s;
}

namespace {

// The temporary file the console handler removes when Ctrl-C, Ctrl-Break or closing the
// console ends the process during a write. Guarded by a lock: the handler runs on its own
// thread.
std::mutex g_temp_lock;
std::wstring g_temp_path;

BOOL WINAPI remove_temp_on_interrupt(DWORD) {
  std::lock_guard<std::mutex> lock(g_temp_lock);
  if (!g_temp_path.empty()) ::DeleteFileW(g_temp_path.c_str());
  return FALSE;  // the default handler then ends the process
}

class TempFileGuard {
 public:
  explicit TempFileGuard(const std::wstring& name) {
    {
      std::lock_guard<std::mutex> lock(g_temp_lock);
      g_temp_path = name;
    }
    ::SetConsoleCtrlHandler(remove_temp_on_interrupt, TRUE);
  }
  ~TempFileGuard() {
    ::SetConsoleCtrlHandler(remove_temp_on_interrupt, FALSE);
    std::lock_guard<std::mutex> lock(g_temp_lock);
    g_temp_path.clear();
  }
  TempFileGuard(const TempFileGuard&) = delete;
  TempFileGuard& operator=(const TempFileGuard&) = delete;
};

std::string write_all(HANDLE h, const std::string& text) {
  std::size_t done = 0;
  while (done < text.size()) {
    const DWORD chunk = static_cast<DWORD>(std::min<std::size_t>(text.size() - done, 1u << 30));
    DWORD written = 0;
    if (!::WriteFile(h, text.data() + done, chunk, &written, nullptr))
      return error_text(::GetLastError());
    done += written;
  }
  return {};
}

// What a symbolic link finally names, as a path (the \\?\ prefix removed).
std::string final_path(const std::string& path) {
  HANDLE h =
      ::CreateFileW(widen(path).c_str(), 0, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                    nullptr, OPEN_EXISTING, FILE_FLAG_BACKUP_SEMANTICS, nullptr);
  if (h == INVALID_HANDLE_VALUE) return path;
  wchar_t buf[32768];
  const DWORD n = ::GetFinalPathNameByHandleW(h, buf, 32768, FILE_NAME_NORMALIZED);
  ::CloseHandle(h);
  if (n == 0 || n >= 32768) return path;
  std::wstring w(buf, n);
  if (w.rfind(L"\\\\?\\", 0) == 0) w = w.substr(4);
  return narrow(w.c_str());
}

}  // namespace

std::string replace_file(const std::string& path, const std::string& text) {
  static std::atomic<unsigned> counter{0};
  std::wstring tmp;
  HANDLE h = INVALID_HANDLE_VALUE;
  for (int attempt = 0; attempt < 100 && h == INVALID_HANDLE_VALUE; ++attempt) {
    tmp = widen(path + ".ksframe-" + std::to_string(::GetCurrentProcessId()) + "-" +
                std::to_string(counter++));
    h = ::CreateFileW(tmp.c_str(), GENERIC_WRITE, 0, nullptr, CREATE_NEW, FILE_ATTRIBUTE_NORMAL,
                      nullptr);
    if (h == INVALID_HANDLE_VALUE && ::GetLastError() != ERROR_FILE_EXISTS)
      return error_text(::GetLastError());
  }
  if (h == INVALID_HANDLE_VALUE) return error_text(ERROR_FILE_EXISTS);
  TempFileGuard guard(tmp);
  std::string err = write_all(h, text);
  if (err.empty() && !::FlushFileBuffers(h)) err = error_text(::GetLastError());
  ::CloseHandle(h);
  if (err.empty() && !::MoveFileExW(tmp.c_str(), widen(path).c_str(),
                                    MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH))
    err = error_text(::GetLastError());
  if (!err.empty()) ::DeleteFileW(tmp.c_str());
  return err;
}

std::string write_file(const std::string& path, const std::string& text) {
  const FileStatus link = file_status(path, false);
  if (link.kind == FileKind::missing) return replace_file(path, text);
  if (link.kind == FileKind::symlink) return replace_file(final_path(path), text);
  const FileStatus st = file_status(path);
  if (st.kind == FileKind::directory) return std::strerror(EISDIR);
  if (st.kind == FileKind::regular) return replace_file(path, text);
  // A device (NUL, CON): written where it is.
  HANDLE h = ::CreateFileW(widen(path).c_str(), GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE,
                           nullptr, OPEN_EXISTING, 0, nullptr);
  if (h == INVALID_HANDLE_VALUE) return error_text(::GetLastError());
  std::string err = write_all(h, text);
  ::CloseHandle(h);
  return err;
}

bool remove_file(const std::string& path) { return ::DeleteFileW(widen(path).c_str()) != 0; }

std::string restrict_reads(const std::vector<std::string>&, const std::vector<std::string>&) {
  return "Windows has no way for a process to give up reading files";
}

}  // namespace ksframe::platform

#endif  // _WIN32
