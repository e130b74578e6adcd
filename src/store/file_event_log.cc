#include "store/file_event_log.h"

#include <algorithm>
#include <system_error>
#include <utility>

#include "common/await.h"
#include "store/log_format.h"

namespace tailor::store {
namespace {

// Numbers of the log files in `dir`, ascending; other names are ignored.
StatusOr<std::vector<uint64_t>> ListLogFiles(Env* env, const std::string& dir) {
  TAILOR_ASSIGN_OR_RETURN(std::vector<std::string> names, env->ListDir(dir));
  std::vector<uint64_t> numbers;
  for (const std::string& name : names) {
    uint64_t number = 0;
    if (log::ParseLogFileName(name, &number)) numbers.push_back(number);
  }
  std::sort(numbers.begin(), numbers.end());
  return numbers;
}

std::string CorruptionMessage(const std::string& path, const log::FileReader::Damage& damage) {
  return "event log file " + path + " is corrupt at byte offset " + std::to_string(damage.begin) +
         " (" + damage.reason + "); " + std::to_string(damage.end - damage.begin) +
         " bytes up to offset " + std::to_string(damage.end) + " are unreadable";
}

// Creates (truncating) log file `number` with its header, durably: file and folder synced.
StatusOr<std::unique_ptr<log::Writer>> CreateLogFile(Env* env, const std::string& dir,
                                                     uint64_t number, uint32_t type_tag) {
  std::string path = log::LogFileName(dir, number);
  TAILOR_ASSIGN_OR_RETURN(std::unique_ptr<WritableFile> file, env->NewWritableFile(path));
  TAILOR_RETURN_IF_ERROR(file->Append(
      log::EncodeFileHeader(log::FileHeader{.type_tag = type_tag, .file_number = number})));
  TAILOR_RETURN_IF_ERROR(file->Sync());
  TAILOR_RETURN_IF_ERROR(env->SyncDir(dir));
  return std::make_unique<log::Writer>(std::move(file), log::kFileHeaderSize);
}

}  // namespace

StatusOr<std::unique_ptr<FileEventLog>> FileEventLog::Open(Env* env, const std::string& dir,
                                                           const EventLogOptions& options) {
  if (options.max_file_size == 0) {
    return Status::InvalidInput("event log max_file_size must be greater than 0");
  }
  TAILOR_RETURN_IF_ERROR(env->CreateDirs(dir));
  TAILOR_ASSIGN_OR_RETURN(std::vector<uint64_t> numbers, ListLogFiles(env, dir));
  if (numbers.empty()) {
    TAILOR_ASSIGN_OR_RETURN(auto writer, CreateLogFile(env, dir, 1, options.type_tag));
    return Make(env, dir, options, std::move(writer), 1, /*dropped=*/0);
  }

  // Recovery: scan the last file to its last complete record. Only the last file can have a
  // torn tail, because the log rolls to a new file only after a successful sync.
  uint64_t number = numbers.back();
  std::string path = log::LogFileName(dir, number);
  TAILOR_ASSIGN_OR_RETURN(std::unique_ptr<SequentialFile> in, env->NewSequentialFile(path));
  log::FileReader reader(std::move(in), path);
  TAILOR_ASSIGN_OR_RETURN(log::FileReader::HeaderResult header,
                          reader.ReadHeader(options.type_tag, number));
  std::unique_ptr<log::Writer> writer;
  uint64_t dropped = 0;
  if (header == log::FileReader::HeaderResult::kIncomplete) {
    // The crash came while this file was being created; it holds no record.
    dropped = reader.bytes_read();
    TAILOR_ASSIGN_OR_RETURN(writer, CreateLogFile(env, dir, number, options.type_tag));
  } else {
    while (true) {
      std::string_view record;
      TAILOR_ASSIGN_OR_RETURN(log::FileReader::Result r, reader.Next(&record));
      if (r == log::FileReader::Result::kRecord) continue;
      if (r == log::FileReader::Result::kCorruption) {
        return Status::Internal("cannot open the event log for appending: " +
                                CorruptionMessage(path, reader.corruption()));
      }
      break;
    }
    uint64_t end = reader.consumed_end();
    dropped = reader.bytes_read() - end;
    if (dropped > 0) TAILOR_RETURN_IF_ERROR(env->TruncateFile(path, end));
    TAILOR_ASSIGN_OR_RETURN(std::unique_ptr<WritableFile> file, env->NewAppendableFile(path));
    writer = std::make_unique<log::Writer>(std::move(file), end);
  }
  return Make(env, dir, options, std::move(writer), number, dropped);
}

StatusOr<std::unique_ptr<FileEventLog>> FileEventLog::Make(Env* env, const std::string& dir,
                                                           const EventLogOptions& options,
                                                           std::unique_ptr<log::Writer> writer,
                                                           uint64_t file_number, uint64_t dropped) {
  try {
    std::unique_ptr<FileEventLog> log(
        new FileEventLog(env, dir, options, std::move(writer), file_number, dropped));
    return log;
  } catch (const std::system_error& e) {
    return Status::Internal(std::string("cannot start the event log's writer thread: ") + e.what());
  }
}

FileEventLog::FileEventLog(Env* env, std::string dir, const EventLogOptions& options,
                           std::unique_ptr<log::Writer> writer, uint64_t file_number,
                           uint64_t dropped)
    : env_(env),
      dir_(std::move(dir)),
      options_(options),
      writer_(std::move(writer)),
      file_number_(file_number) {
  stats_.file_number = file_number;
  stats_.recovered_dropped_bytes = dropped;
  writer_thread_ = std::thread([this] { RunWriter(); });
}

FileEventLog::~FileEventLog() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  queued_cv_.notify_one();
  writer_thread_.join();
  // Every acknowledged record is already synced; a close error loses nothing acknowledged.
  if (writer_) (void)writer_->Close();
}

Status FileEventLog::Append(std::string_view record) {
  return AppendBatch(std::span<const std::string_view>(&record, 1));
}

Status FileEventLog::AppendBatch(std::span<const std::string_view> records) {
  return Await<Status>([&](auto done) {
    AppendBatchAsync(std::vector<std::string>(records.begin(), records.end()), std::move(done));
  });
}

void FileEventLog::AppendBatchAsync(std::vector<std::string> records, AppendCallback done) {
  Pending pending{.records = std::move(records), .done = std::move(done)};
  for (const std::string& record : pending.records) pending.bytes += record.size();
  Status refused;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (pending.records.empty() || !error_.ok()) {
      refused = error_;
    } else {
      queue_.push_back(std::move(pending));
      // The writer is the only waiter; it may still be committing, and then finds this call
      // queued when it looks again.
      queued_cv_.notify_one();
      return;
    }
  }
  pending.done(refused);
}

void FileEventLog::RunWriter() {
  std::vector<Pending> group;
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    queued_cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) return;  // stopping, with nothing left to commit
    // Take every queued call, up to kMaxGroupBytes (but at least one), into one commit; calls
    // that queue meanwhile form the next.
    group.clear();
    size_t bytes = 0;
    uint64_t num_records = 0;
    while (!queue_.empty() && (group.empty() || bytes + queue_.front().bytes <= kMaxGroupBytes)) {
      bytes += queue_.front().bytes;
      num_records += queue_.front().records.size();
      group.push_back(std::move(queue_.front()));
      queue_.pop_front();
    }
    committing_ = group.size();
    Status s = error_;
    if (s.ok()) {
      lock.unlock();
      s = WriteGroup(group);
      lock.lock();
      if (s.ok()) {
        stats_.records += num_records;
        stats_.syncs += 1;
        stats_.file_number = file_number_;
      } else {
        error_ = s;
      }
    }
    lock.unlock();
    for (Pending& pending : group) pending.done(s);
    // The callbacks go now, not when the next group forms: what they hold (an HTTP session
    // waiting for its answer, say) must not outlive the answer while the log is idle.
    group.clear();
    lock.lock();
    committing_ = 0;
  }
}

Status FileEventLog::WriteGroup(const std::vector<Pending>& group) {
  if (writer_->file_size() >= options_.max_file_size) {
    // The current file is complete and synced; new records go to the next one.
    TAILOR_RETURN_IF_ERROR(writer_->Close());
    writer_.reset();
    TAILOR_ASSIGN_OR_RETURN(writer_,
                            CreateLogFile(env_, dir_, file_number_ + 1, options_.type_tag));
    ++file_number_;
  }
  for (const Pending& pending : group) {
    for (const std::string& record : pending.records) {
      TAILOR_RETURN_IF_ERROR(writer_->AddRecord(record));
    }
  }
  return writer_->Sync();
}

EventLogStats FileEventLog::stats() const {
  std::lock_guard<std::mutex> lock(mu_);
  return stats_;
}

size_t FileEventLog::TEST_QueuedWriters() const {
  std::lock_guard<std::mutex> lock(mu_);
  return queue_.size() + committing_;
}

StatusOr<std::unique_ptr<FileEventLogReader>> FileEventLogReader::Open(
    Env* env, const std::string& dir, const EventLogReadOptions& options) {
  TAILOR_ASSIGN_OR_RETURN(std::vector<uint64_t> numbers, ListLogFiles(env, dir));
  for (size_t i = 1; i < numbers.size(); ++i) {
    if (numbers[i] != numbers[i - 1] + 1) {
      return Status::Internal("event log " + dir + " lacks file " +
                              log::LogFileName(dir, numbers[i - 1] + 1) +
                              ", between two files it holds");
    }
  }
  return std::unique_ptr<FileEventLogReader>(
      new FileEventLogReader(env, dir, options, std::move(numbers)));
}

FileEventLogReader::FileEventLogReader(Env* env, std::string dir,
                                       const EventLogReadOptions& options,
                                       std::vector<uint64_t> file_numbers)
    : env_(env), dir_(std::move(dir)), options_(options), file_numbers_(std::move(file_numbers)) {}

StatusOr<bool> FileEventLogReader::Next(std::string_view* record) {
  if (!error_.ok()) return error_;
  StatusOr<bool> r = NextImpl(record);
  if (!r.ok()) error_ = r.status();
  return r;
}

Status FileEventLogReader::OnCorruption(const std::string& path,
                                        const log::FileReader::Damage& damage) {
  if (!options_.skip_corruption) return Status::Internal(CorruptionMessage(path, damage));
  skipped_bytes_ += damage.end - damage.begin;
  return Status::OK();
}

StatusOr<bool> FileEventLogReader::NextImpl(std::string_view* record) {
  while (true) {
    if (!current_) {
      if (next_file_ == file_numbers_.size()) return false;
      uint64_t number = file_numbers_[next_file_++];
      current_is_last_ = next_file_ == file_numbers_.size();
      std::string path = log::LogFileName(dir_, number);
      TAILOR_ASSIGN_OR_RETURN(std::unique_ptr<SequentialFile> file, env_->NewSequentialFile(path));
      current_ = std::make_unique<log::FileReader>(std::move(file), path);
      TAILOR_ASSIGN_OR_RETURN(log::FileReader::HeaderResult header,
                              current_->ReadHeader(options_.type_tag, number));
      if (header == log::FileReader::HeaderResult::kIncomplete) {
        uint64_t size = current_->bytes_read();
        current_.reset();
        if (current_is_last_) {
          dropped_bytes_ = size;  // a crash while the file was being created
          return false;
        }
        log::FileReader::Damage damage{0, size, "incomplete file header"};
        TAILOR_RETURN_IF_ERROR(OnCorruption(path, damage));
        continue;
      }
    }
    TAILOR_ASSIGN_OR_RETURN(log::FileReader::Result r, current_->Next(record));
    switch (r) {
      case log::FileReader::Result::kRecord:
        return true;
      case log::FileReader::Result::kCorruption:
        TAILOR_RETURN_IF_ERROR(OnCorruption(current_->path(), current_->corruption()));
        continue;
      case log::FileReader::Result::kEnd:
        if (current_is_last_) {
          dropped_bytes_ = current_->bytes_read() - current_->consumed_end();
          current_.reset();
          return false;
        }
        // Files before the last were complete when the log rolled past them, so a damaged
        // tail there is corruption, not a crash.
        if (current_->tail_damaged()) {
          TAILOR_RETURN_IF_ERROR(OnCorruption(current_->path(), current_->tail_damage()));
        }
        current_.reset();
        continue;
    }
  }
}

StatusOr<std::unique_ptr<EventLog>> OpenFileEventLog(Env* env, const std::string& dir,
                                                     const EventLogOptions& options) {
  TAILOR_ASSIGN_OR_RETURN(std::unique_ptr<FileEventLog> log, FileEventLog::Open(env, dir, options));
  return std::unique_ptr<EventLog>(std::move(log));
}

StatusOr<std::unique_ptr<EventLogReader>> OpenFileEventLogReader(
    Env* env, const std::string& dir, const EventLogReadOptions& options) {
  TAILOR_ASSIGN_OR_RETURN(std::unique_ptr<FileEventLogReader> reader,
                          FileEventLogReader::Open(env, dir, options));
  return std::unique_ptr<EventLogReader>(std::move(reader));
}

}  // namespace tailor::store
