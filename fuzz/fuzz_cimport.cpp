// Fuzz target: any bytes as a driver's C source for `ksframe import --from-c` and lint of C.
// The bytes are written to a file of this process (libclang parses files) and extracted, then
// made into a spec. It must never crash, hang or throw; clang's own crash recovery turns a
// crash inside libclang into KSF0030, which is an answer, not a failure. libFuzzer's -timeout
// bounds the time (ksframe's own watchdog is off here: it would end the process).
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include "ksframe/cimport.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::string path = (std::filesystem::temp_directory_path() /
                                   ("ksframe-fuzz-" + std::to_string(::getpid()) + ".c"))
                                      .string();
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  ksframe::cimport::Options options;
  options.timeout_seconds = 0;
  options.isolate =
      false;  // in this process: the fuzzer sees the coverage of libclang and the walker
  const auto extraction = ksframe::cimport::extract({path}, options);
  (void)ksframe::cimport::to_spec(extraction);
  (void)ksframe::cimport::to_json(extraction);
  return 0;
}
