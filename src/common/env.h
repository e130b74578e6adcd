// Env: the only door to the clock, sleeping and the file system (style.md X4), so tests can
// substitute time and inject I/O faults through EnvWrapper. Env::Default() is the POSIX one.
// Thread-safety: every method of every Env is safe to call from any thread.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "common/status_or.h"

namespace tailor {

// A file being written sequentially. Not thread-safe: one writer at a time.
class WritableFile {
 public:
  virtual ~WritableFile() = default;
  virtual Status Append(std::string_view data) = 0;
  // Flushes buffered data and fsyncs it.
  virtual Status Sync() = 0;
  // Flushes and closes; further calls fail.
  virtual Status Close() = 0;
};

// A file being read sequentially. Not thread-safe: one reader at a time.
class SequentialFile {
 public:
  virtual ~SequentialFile() = default;
  // Reads up to `n` bytes into `scratch` and returns how many were read; 0 at the end of the
  // file. REQUIRES: scratch holds at least n bytes.
  virtual StatusOr<size_t> Read(size_t n, char* scratch) = 0;
};

class Env {
 public:
  virtual ~Env() = default;

  // The process-wide POSIX Env. Never deleted.
  static Env* Default();

  // Wall-clock time in microseconds since the Unix epoch.
  virtual int64_t NowMicros() = 0;
  virtual void SleepForMicros(int64_t micros) = 0;

  // Reads the whole file. NotFound when it does not exist.
  virtual StatusOr<std::string> ReadFile(const std::string& path) = 0;
  // Writes `data` to a temporary beside `path`, fsyncs, renames over `path` and fsyncs the
  // folder, so readers see either the old or the new content, also after a crash.
  virtual Status WriteFileAtomically(const std::string& path, std::string_view data) = 0;
  // Opens `path` for reading from the start. NotFound when it does not exist.
  virtual StatusOr<std::unique_ptr<SequentialFile>> NewSequentialFile(const std::string& path) = 0;
  // Opens `path` for writing, truncating it.
  virtual StatusOr<std::unique_ptr<WritableFile>> NewWritableFile(const std::string& path) = 0;
  // Opens `path` for writing at its end, keeping its content; creates it (empty) when missing.
  virtual StatusOr<std::unique_ptr<WritableFile>> NewAppendableFile(const std::string& path) = 0;
  // Cuts the file down to its first `size` bytes and fsyncs it. InvalidInput when the file is
  // shorter than `size`; NotFound when it does not exist.
  virtual Status TruncateFile(const std::string& path, uint64_t size) = 0;
  virtual Status Rename(const std::string& from, const std::string& to) = 0;
  // fsyncs a folder so that renames and creations inside it are durable.
  virtual Status SyncDir(const std::string& path) = 0;
  virtual bool FileExists(const std::string& path) = 0;
  virtual StatusOr<uint64_t> FileSize(const std::string& path) = 0;
  // Creates the folder and its parents; OK when it exists.
  virtual Status CreateDirs(const std::string& path) = 0;
  // Removes a file or a folder tree; OK when it does not exist.
  virtual Status RemoveAll(const std::string& path) = 0;
  // Names (not paths) of the entries of a folder, sorted.
  virtual StatusOr<std::vector<std::string>> ListDir(const std::string& path) = 0;

  // Seconds since the epoch, with a fraction, as the wire protocol shows timestamps.
  double NowSeconds() { return static_cast<double>(NowMicros()) / 1e6; }
};

// Forwards every call to a target Env; subclass it to override one call in a test.
class EnvWrapper : public Env {
 public:
  explicit EnvWrapper(Env* target) : target_(target) {}
  int64_t NowMicros() override { return target_->NowMicros(); }
  void SleepForMicros(int64_t micros) override { target_->SleepForMicros(micros); }
  StatusOr<std::string> ReadFile(const std::string& path) override {
    return target_->ReadFile(path);
  }
  Status WriteFileAtomically(const std::string& path, std::string_view data) override {
    return target_->WriteFileAtomically(path, data);
  }
  StatusOr<std::unique_ptr<SequentialFile>> NewSequentialFile(const std::string& path) override {
    return target_->NewSequentialFile(path);
  }
  StatusOr<std::unique_ptr<WritableFile>> NewWritableFile(const std::string& path) override {
    return target_->NewWritableFile(path);
  }
  StatusOr<std::unique_ptr<WritableFile>> NewAppendableFile(const std::string& path) override {
    return target_->NewAppendableFile(path);
  }
  Status TruncateFile(const std::string& path, uint64_t size) override {
    return target_->TruncateFile(path, size);
  }
  Status Rename(const std::string& from, const std::string& to) override {
    return target_->Rename(from, to);
  }
  Status SyncDir(const std::string& path) override { return target_->SyncDir(path); }
  bool FileExists(const std::string& path) override { return target_->FileExists(path); }
  StatusOr<uint64_t> FileSize(const std::string& path) override { return target_->FileSize(path); }
  Status CreateDirs(const std::string& path) override { return target_->CreateDirs(path); }
  Status RemoveAll(const std::string& path) override { return target_->RemoveAll(path); }
  StatusOr<std::vector<std::string>> ListDir(const std::string& path) override {
    return target_->ListDir(path);
  }

 private:
  Env* target_;
};

}  // namespace tailor
