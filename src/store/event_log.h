// EventLog: the durable, append-only log of opaque byte records that PutEvents writes to. An
// Append returns OK only once its records are on disk (fdatasync'ed); concurrent appends are
// group-committed, so one write and one sync cover every record waiting at that moment.
// AppendBatchAsync does the same without holding its caller's thread: the HTTP workers hand
// PutEvents to the log and answer when its callback runs.
// EventLogReader reads a log back in append order. Implementation: FileEventLog, a folder of
// numbered files in LevelDB's log framing (docs/formats/event_log.md).
// Thread-safety: EventLog's methods are safe to call from many threads at once. An
// EventLogReader is not thread-safe; use one per thread.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "common/status_or.h"

namespace tailor {
class Env;
}  // namespace tailor

namespace tailor::store {

struct EventLogOptions {
  // Once the current file holds at least this many bytes, the next commit goes to a new file.
  // Records never span files, so a file can exceed this by one commit group. Must be > 0.
  uint64_t max_file_size = uint64_t{64} << 20;
  // An opaque tag written in every file header and checked when reading, so that logs of
  // different content cannot be mixed up. store/ does not interpret it.
  uint32_t type_tag = 1;
};

// Counters since the log was opened, for metrics and benchmarks.
struct EventLogStats {
  uint64_t records = 0;      // records acknowledged
  uint64_t syncs = 0;        // commit groups, i.e. write + fdatasync rounds
  uint64_t file_number = 0;  // of the file being appended to
  // Bytes of a torn tail that opening the log cut off the last file (a crash mid-write).
  uint64_t recovered_dropped_bytes = 0;
};

class EventLog {
 public:
  virtual ~EventLog() = default;

  // Appends one record (any length, empty included) and returns once it is durable. OK means
  // the record survives a crash and will be read back after every record acknowledged before
  // this call began. Internal on an I/O error: the record may or may not be in the log, and the
  // log fails every later call with the same error, since after a failed fdatasync the file's
  // state is unknown; reopen it (which cuts off any torn tail) to go on.
  virtual Status Append(std::string_view record) = 0;

  // Appends `records` in order, adjacent (no other call's records between them), in one commit,
  // and returns once all are durable; one PutEvents call's events. An empty span returns OK (or
  // the log's earlier error). Errors as Append; after a crash during a call that had not
  // returned, any prefix of `records` may be in the log.
  // REQUIRES: the views stay valid until the call returns.
  virtual Status AppendBatch(std::span<const std::string_view> records) = 0;

  // AppendBatch without waiting: `done` gets what AppendBatch would return, once. It runs on
  // the log's writer thread after the commit, or at once on the calling thread when `records`
  // is empty or the log has failed. `done` should be quick (the next commit waits for it) and
  // must not destroy the log.
  using AppendCallback = std::function<void(Status)>;
  virtual void AppendBatchAsync(std::vector<std::string> records, AppendCallback done) = 0;

  virtual EventLogStats stats() const = 0;
};

struct EventLogReadOptions {
  // What to do with corruption in the middle of the log (damage that an intact record follows,
  // or any damage in a file other than the last): false (the default) makes Next() fail with
  // Internal naming the file and byte offset; true skips the damaged bytes, counts them in
  // skipped_bytes() and goes on with the next intact record. A torn tail at the end of the last
  // file is never an error: see dropped_bytes().
  bool skip_corruption = false;
  // Must equal the EventLogOptions::type_tag the log was written with.
  uint32_t type_tag = 1;
};

class EventLogReader {
 public:
  virtual ~EventLogReader() = default;

  // Reads the next record: returns true and points *record at its bytes, which stay valid until
  // the next call or the reader's destruction; returns false at the end of the log. Internal on
  // corruption (unless skipped, see EventLogReadOptions) or on a damaged or foreign file header,
  // and I/O errors as the Env reports them; an error then repeats on every later call.
  virtual StatusOr<bool> Next(std::string_view* record) = 0;

  // Bytes after the last complete record of the last file, left out as a torn tail (a partial
  // write cut short by a crash). Final once Next() has returned false.
  virtual uint64_t dropped_bytes() const = 0;
  // Bytes skipped as corruption; only ever non-zero with skip_corruption.
  virtual uint64_t skipped_bytes() const = 0;
};

// Opens the log in folder `dir` for appending, creating the folder and the first file if
// needed. The last file is scanned first: a torn tail is cut off (and counted in
// stats().recovered_dropped_bytes) so that new records follow the last complete one.
// Internal when the last file is corrupt in the middle, or its header is damaged or foreign
// (another type_tag); InvalidInput when options.max_file_size is 0. `env` must outlive the log.
// REQUIRES: no other EventLog, in this or another process, has `dir` open (not enforced).
StatusOr<std::unique_ptr<EventLog>> OpenFileEventLog(Env* env, const std::string& dir,
                                                     const EventLogOptions& options = {});

// Opens a reader over the log files that are in `dir` now, oldest first. Records appended while
// it reads may or may not be seen; a record being written as it reaches the end shows as
// dropped bytes. NotFound when `dir` does not exist; Internal when a file number in the middle
// of the sequence is missing. `env` must outlive the reader.
StatusOr<std::unique_ptr<EventLogReader>> OpenFileEventLogReader(
    Env* env, const std::string& dir, const EventLogReadOptions& options = {});

}  // namespace tailor::store
