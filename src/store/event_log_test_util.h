// Helpers shared by the event log tests: a temp-folder fixture, a read-everything helper and
// FaultEnv, an EnvWrapper that can fail or hold up fdatasync. Test-only; not in tailor_store.
// Thread-safety: FaultEnv is safe from any thread; the rest is for the test's main thread.
#pragma once

#include <algorithm>
#include <condition_variable>
#include <filesystem>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "common/env.h"
#include "store/event_log.h"

namespace tailor::store::testing {

// What reading a whole log gave.
struct ReadResult {
  Status status;
  std::vector<std::string> records;  // those read before the end or the error
  uint64_t dropped_bytes = 0;
  uint64_t skipped_bytes = 0;
};

inline ReadResult ReadAll(Env* env, const std::string& dir, EventLogReadOptions options = {}) {
  ReadResult out;
  auto reader = OpenFileEventLogReader(env, dir, options);
  if (!reader.ok()) {
    out.status = reader.status();
    return out;
  }
  while (true) {
    std::string_view record;
    StatusOr<bool> more = (*reader)->Next(&record);
    if (!more.ok()) {
      out.status = more.status();
      break;
    }
    if (!*more) break;
    out.records.emplace_back(record);
  }
  out.dropped_bytes = (*reader)->dropped_bytes();
  out.skipped_bytes = (*reader)->skipped_bytes();
  return out;
}

// A record of `n` bytes whose content depends on `seed`, so misplaced bytes show.
inline std::string TestRecord(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::string s(n, '\0');
  for (char& c : s) c = static_cast<char>('a' + rng() % 26);
  return s;
}

// Writes `data` to `path` without syncing: the tests make thousands of files that need not
// survive a crash.
inline void WriteFileNoSync(Env* env, const std::string& path, std::string_view data) {
  auto file = env->NewWritableFile(path);
  ASSERT_TRUE(file.ok()) << file.status().ToString();
  ASSERT_TRUE((*file)->Append(data).ok());
  ASSERT_TRUE((*file)->Close().ok());
}

// Wraps every writable file so that Sync() can be made to fail, or be held until released.
class FaultEnv : public EnvWrapper {
 public:
  explicit FaultEnv(Env* target) : EnvWrapper(target) {}

  StatusOr<std::unique_ptr<WritableFile>> NewWritableFile(const std::string& path) override {
    TAILOR_ASSIGN_OR_RETURN(auto file, EnvWrapper::NewWritableFile(path));
    return std::unique_ptr<WritableFile>(std::make_unique<File>(this, std::move(file)));
  }
  StatusOr<std::unique_ptr<WritableFile>> NewAppendableFile(const std::string& path) override {
    TAILOR_ASSIGN_OR_RETURN(auto file, EnvWrapper::NewAppendableFile(path));
    return std::unique_ptr<WritableFile>(std::make_unique<File>(this, std::move(file)));
  }

  // Every Sync() from now on fails (true) or works (false).
  void set_fail_sync(bool fail) {
    std::lock_guard<std::mutex> lock(mu_);
    fail_sync_ = fail;
  }
  // While held, Sync() blocks before syncing; WaitUntilSyncHeld returns once one is blocked.
  void HoldSyncs() {
    std::lock_guard<std::mutex> lock(mu_);
    hold_ = true;
  }
  void WaitUntilSyncHeld() {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [this] { return num_held_ > 0; });
  }
  void ReleaseSyncs() {
    std::lock_guard<std::mutex> lock(mu_);
    hold_ = false;
    cv_.notify_all();
  }

 private:
  class File final : public WritableFile {
   public:
    File(FaultEnv* env, std::unique_ptr<WritableFile> target)
        : env_(env), target_(std::move(target)) {}
    Status Append(std::string_view data) override { return target_->Append(data); }
    Status Sync() override {
      TAILOR_RETURN_IF_ERROR(env_->BeforeSync());
      return target_->Sync();
    }
    Status Close() override { return target_->Close(); }

   private:
    FaultEnv* env_;
    std::unique_ptr<WritableFile> target_;
  };

  Status BeforeSync() {
    std::unique_lock<std::mutex> lock(mu_);
    if (fail_sync_) return Status::Internal("injected fdatasync failure");
    if (hold_) {
      ++num_held_;
      cv_.notify_all();
      cv_.wait(lock, [this] { return !hold_; });
      --num_held_;
    }
    return Status::OK();
  }

  std::mutex mu_;
  std::condition_variable cv_;
  bool fail_sync_ = false;
  bool hold_ = false;
  int num_held_ = 0;
};

// Serves one file as only its first size() bytes, from memory, and every other call from the
// target: a test can read a log cut at thousands of offsets without writing thousands of files.
class CutFileEnv : public EnvWrapper {
 public:
  CutFileEnv(Env* target, std::string path, std::string content)
      : EnvWrapper(target), path_(std::move(path)), content_(std::move(content)) {}

  void set_size(size_t size) { size_ = size; }

  StatusOr<std::unique_ptr<SequentialFile>> NewSequentialFile(const std::string& path) override {
    if (path != path_) return EnvWrapper::NewSequentialFile(path);
    return std::unique_ptr<SequentialFile>(
        std::make_unique<MemoryFile>(std::string_view(content_).substr(0, size_)));
  }

 private:
  class MemoryFile final : public SequentialFile {
   public:
    explicit MemoryFile(std::string_view data) : data_(data) {}
    StatusOr<size_t> Read(size_t n, char* scratch) override {
      n = std::min(n, data_.size());
      data_.copy(scratch, n);
      data_.remove_prefix(n);
      return n;
    }

   private:
    std::string_view data_;
  };

  const std::string path_;
  const std::string content_;
  size_t size_ = 0;
};

// A fresh temp folder per test; the log goes in its "log" subfolder.
class EventLogTestBase : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = (std::filesystem::temp_directory_path() /
             ("tailor_event_log_test_" + std::to_string(std::random_device{}())))
                .string();
    dir_ = root_ + "/log";
    ASSERT_TRUE(env_->CreateDirs(root_).ok());
  }
  void TearDown() override { ASSERT_TRUE(env_->RemoveAll(root_).ok()); }

  std::unique_ptr<EventLog> OpenLog(EventLogOptions options = {}, Env* env = nullptr) {
    auto log = OpenFileEventLog(env ? env : env_, dir_, options);
    EXPECT_TRUE(log.ok()) << log.status().ToString();
    return log.ok() ? std::move(log).value() : nullptr;
  }
  std::string FirstFile() const { return dir_ + "/00000001.log"; }

  Env* env_ = Env::Default();
  std::string root_;
  std::string dir_;
};

}  // namespace tailor::store::testing
