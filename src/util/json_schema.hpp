// The JSON Schemas ksframe validates against (the spec's, the report's) are embedded in the
// binary; this compiles one for valijson.
#pragma once

#include <memory>
#include <string_view>
#include <valijson/schema.hpp>
#include <valijson/validator.hpp>

namespace ksframe {

/// Parses a draft-07 schema. Callers keep the result for the process's lifetime: parsing a
/// schema costs more than validating a document against it.
std::unique_ptr<valijson::Schema> compile_draft7_schema(std::string_view schema_text);

/// A validator borrowed from a process-wide pool for as long as this object lives. A validator
/// owns the cache of compiled `pattern` regexes, and compiling them again for every document cost
/// two thirds of the validation time (bench/bench_lint.cpp), so validators are reused; a
/// validator is not safe to share between threads, so each borrower has one to itself.
/// Not thread_local: with mingw-w64's GCC a thread_local object's destructor runs after the
/// thread's emulated TLS is freed, and destroying a thread_local validator crashed `lint --jobs`
/// on Windows when a worker thread exited.
class PooledValidator {
 public:
  PooledValidator();
  ~PooledValidator();
  PooledValidator(const PooledValidator&) = delete;
  PooledValidator& operator=(const PooledValidator&) = delete;
  valijson::Validator& operator*() { return *validator_; }
  valijson::Validator* operator->() { return validator_.get(); }

 private:
  std::unique_ptr<valijson::Validator> validator_;
};

}  // namespace ksframe
