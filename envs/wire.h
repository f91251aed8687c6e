// Binary encoding of the values a VectorEnv worker process exchanges with its parent (envs/types.h
// and the spaces). Both ends are the same binary on the same machine, so numbers are copied as their
// bytes: doubles cross bit for bit, and there is no versioning or byte-order handling.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "envs/spaces.h"
#include "envs/types.h"

namespace equimol::envs::wire {

/// Appends encoded values to a byte string.
class Writer {
 public:
  void u8(std::uint8_t value) { raw(&value, 1); }
  void i64(std::int64_t value) { raw(&value, sizeof value); }
  void f64(double value) { raw(&value, sizeof value); }
  void str(const std::string& value);

  const std::string& bytes() const { return bytes_; }
  void clear() { bytes_.clear(); }

 private:
  void raw(const void* data, std::size_t size) { bytes_.append(static_cast<const char*>(data), size); }
  std::string bytes_;
};

/// Reads values back in the order they were written; throws std::runtime_error past the end.
class Reader {
 public:
  explicit Reader(const std::string& bytes) : bytes_(bytes) {}
  std::uint8_t u8();
  std::int64_t i64();
  double f64();
  std::string str();
  bool done() const { return pos_ == bytes_.size(); }

 private:
  void raw(void* data, std::size_t size);
  const std::string& bytes_;
  std::size_t pos_ = 0;
};

void write(Writer& w, const Observation& obs);
void write(Writer& w, const Action& action);
void write(Writer& w, const Info& info);
void write(Writer& w, const StepResult& result);
void write(Writer& w, const Space& space);

/// Each read overwrites `out` completely (reusing its storage where it can).
void read(Reader& r, Observation& out);
void read(Reader& r, Action& out);
void read(Reader& r, Info& out);
void read(Reader& r, StepResult& out);
void read(Reader& r, Space& out);

}  // namespace equimol::envs::wire
