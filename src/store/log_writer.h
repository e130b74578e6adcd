// log::Writer frames records into one event log file: LevelDB's 32 KiB blocks of CRC32C'd
// fragments (docs/formats/event_log.md). It only appends; durability (Sync), grouping and
// rotation are FileEventLog's. Thread-safety: not thread-safe; one caller at a time.
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>

#include "common/env.h"
#include "common/status.h"
#include "store/log_format.h"

namespace tailor::store::log {

class Writer {
 public:
  // Appends to `file`, whose current length is `file_size` bytes (header included).
  // REQUIRES: file_size >= kFileHeaderSize and the file ends at a record boundary.
  Writer(std::unique_ptr<WritableFile> file, uint64_t file_size);
  Writer(const Writer&) = delete;
  Writer& operator=(const Writer&) = delete;

  // Frames `record` (any length, empty included) as one FULL fragment or as FIRST, MIDDLE...,
  // LAST fragments, and hands them to the file; they are durable only after Sync(). On an error
  // the file may hold part of the record, and the writer must not be used further.
  Status AddRecord(std::string_view record);

  // Writes out what the file buffers and fdatasyncs it.
  Status Sync() { return file_->Sync(); }
  Status Close() { return file_->Close(); }

  // Bytes in the file, counting those AddRecord handed over but not yet synced.
  uint64_t file_size() const { return file_size_; }

 private:
  Status EmitFragment(RecordType type, const char* data, size_t n);

  std::unique_ptr<WritableFile> file_;
  uint64_t file_size_;
  size_t block_offset_;  // file_size_ % kBlockSize
  // CRC32C of each type byte, precomputed: a fragment's CRC covers its type and payload.
  uint32_t type_crc_[kMaxRecordType + 1];
};

}  // namespace tailor::store::log
