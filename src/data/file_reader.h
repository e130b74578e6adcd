// FileReader: positional reads of a whole file, for the CSV chunker and the segment reader,
// which must stream files far larger than memory.
// Env (common/env.h) has no streaming read yet, only ReadFile. Until it gains one, the
// reader uses POSIX pread when `env` is Env::Default() and otherwise falls back to
// env->ReadFile (whole file in memory), so tests with wrapped or in-memory Envs still go
// through their Env. Thread-safety: ReadAt may be called concurrently; Open is a factory.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "common/env.h"
#include "common/status.h"
#include "common/status_or.h"

namespace tailor::data {

class FileReader {
 public:
  // NotFound when the file does not exist; Internal for other I/O errors.
  static StatusOr<std::unique_ptr<FileReader>> Open(Env* env, const std::string& path);

  virtual ~FileReader() = default;

  uint64_t size() const { return size_; }
  const std::string& path() const { return path_; }

  // Reads up to `n` bytes at `offset` into `dst` (which has room for `n`), setting *read to
  // the count, which is less than `n` only at the end of the file. Internal on I/O errors.
  virtual Status ReadAt(uint64_t offset, size_t n, char* dst, size_t* read) const = 0;

  // Reads exactly `n` bytes at `offset`; Internal (naming the file) when it ends first.
  Status ReadExactly(uint64_t offset, size_t n, char* dst) const;

 protected:
  FileReader(std::string path, uint64_t size) : path_(std::move(path)), size_(size) {}

 private:
  std::string path_;
  uint64_t size_;
};

}  // namespace tailor::data
