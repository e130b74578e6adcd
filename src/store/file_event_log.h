// FileEventLog and FileEventLogReader: the EventLog in a folder of numbered files
// (docs/formats/event_log.md). Appends are group-committed by one writer thread that owns the
// file: calls queue their records, and the writer takes everything queued, writes it, fdatasyncs
// once and then runs each call's callback with the result. A thread of its own, rather than
// LevelDB's leader among the callers, lets callers that cannot wait (the HTTP workers) append
// too; the synchronous calls wait on their callback. Other layers use event_log.h; this header
// is for store/ and its tests. Thread-safety: FileEventLog as EventLog (any thread); the reader is
// single-threaded.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "common/env.h"
#include "common/status.h"
#include "common/status_or.h"
#include "store/event_log.h"
#include "store/log_reader.h"
#include "store/log_writer.h"

namespace tailor::store {

class FileEventLog final : public EventLog {
 public:
  // A commit group stops growing at this many payload bytes (but always takes one call): it
  // bounds one commit's work and how much a crash mid-commit can tear.
  static constexpr size_t kMaxGroupBytes = size_t{1} << 20;

  // See OpenFileEventLog in event_log.h.
  static StatusOr<std::unique_ptr<FileEventLog>> Open(Env* env, const std::string& dir,
                                                      const EventLogOptions& options);

  // Commits what is queued, runs its callbacks and stops the writer thread.
  // REQUIRES: no Append, AppendBatch or AppendBatchAsync call is in progress.
  ~FileEventLog() override;

  Status Append(std::string_view record) override;
  Status AppendBatch(std::span<const std::string_view> records) override;
  void AppendBatchAsync(std::vector<std::string> records, AppendCallback done) override;
  EventLogStats stats() const override;

  // How many calls are queued, the ones committing included; lets a test see that callers have
  // joined the queue behind a commit it holds up.
  size_t TEST_QueuedWriters() const;

 private:
  // One call's records and its callback.
  struct Pending {
    std::vector<std::string> records;
    size_t bytes = 0;
    AppendCallback done;
  };

  // Constructs the log and starts its writer thread; Internal when the thread cannot start.
  static StatusOr<std::unique_ptr<FileEventLog>> Make(Env* env, const std::string& dir,
                                                      const EventLogOptions& options,
                                                      std::unique_ptr<log::Writer> writer,
                                                      uint64_t file_number, uint64_t dropped);
  FileEventLog(Env* env, std::string dir, const EventLogOptions& options,
               std::unique_ptr<log::Writer> writer, uint64_t file_number, uint64_t dropped);

  // The writer thread: commits queued groups until stopping_ and the queue is empty.
  void RunWriter();
  // Frames, writes and fdatasyncs `group`'s records, rolling to a new file first when the
  // current one is full. Called on the writer thread with mu_ released.
  Status WriteGroup(const std::vector<Pending>& group);

  Env* const env_;
  const std::string dir_;
  const EventLogOptions options_;

  // Protected by mu_. (Not GUARDED_BY: libstdc++'s std::mutex carries no capability
  // annotation, so clang would reject the attribute; the rest of the tree does the same.)
  mutable std::mutex mu_;
  std::condition_variable queued_cv_;  // signalled when a call is queued or stopping_ is set
  std::deque<Pending> queue_;
  size_t committing_ = 0;  // calls in the commit under way, for TEST_QueuedWriters
  bool stopping_ = false;
  Status error_;  // sticky: the first failed commit's error
  EventLogStats stats_;

  // Touched only by the writer thread (and by the destructor once it has joined).
  std::unique_ptr<log::Writer> writer_;
  uint64_t file_number_;

  std::thread writer_thread_;  // last: it starts once every member above is constructed
};

class FileEventLogReader final : public EventLogReader {
 public:
  // See OpenFileEventLogReader in event_log.h.
  static StatusOr<std::unique_ptr<FileEventLogReader>> Open(Env* env, const std::string& dir,
                                                            const EventLogReadOptions& options);

  StatusOr<bool> Next(std::string_view* record) override;
  uint64_t dropped_bytes() const override { return dropped_bytes_; }
  uint64_t skipped_bytes() const override { return skipped_bytes_; }

 private:
  FileEventLogReader(Env* env, std::string dir, const EventLogReadOptions& options,
                     std::vector<uint64_t> file_numbers);

  StatusOr<bool> NextImpl(std::string_view* record);
  // Fails with Internal, or counts the damage as skipped, per options_.skip_corruption.
  Status OnCorruption(const std::string& path, const log::FileReader::Damage& damage);

  Env* const env_;
  const std::string dir_;
  const EventLogReadOptions options_;
  const std::vector<uint64_t> file_numbers_;  // ascending, consecutive
  size_t next_file_ = 0;                      // index into file_numbers_ of the next to open
  std::unique_ptr<log::FileReader> current_;  // null between files
  bool current_is_last_ = false;
  Status error_;  // sticky
  uint64_t dropped_bytes_ = 0;
  uint64_t skipped_bytes_ = 0;
};

}  // namespace tailor::store
