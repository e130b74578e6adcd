// log::FileReader reads the records of one event log file in order and tells a torn tail (damage
// that no intact fragment follows) from corruption in the middle (damage followed by an intact
// fragment), per docs/formats/event_log.md "Recovery". FileEventLog's reader and its recovery
// on open decide what each means. Thread-safety: not thread-safe; one caller at a time.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "common/env.h"
#include "common/status.h"
#include "common/status_or.h"
#include "store/log_format.h"

namespace tailor::store::log {

class FileReader {
 public:
  enum class HeaderResult {
    kOk,          // a valid header; records follow
    kIncomplete,  // the file is shorter than a header, or holds only a damaged one
  };
  enum class Result {
    kRecord,      // a record was read
    kCorruption,  // damage with an intact fragment after it; see corruption()
    kEnd,         // end of file; tail_damaged() says whether a torn tail was left out
  };
  struct Damage {
    uint64_t begin = 0;  // file offset of the first damaged byte
    uint64_t end = 0;    // offset of the next intact record's first fragment, or end of file
    std::string reason;  // e.g. "checksum mismatch"
  };

  FileReader(std::unique_ptr<SequentialFile> file, std::string path);
  FileReader(const FileReader&) = delete;
  FileReader& operator=(const FileReader&) = delete;

  // Reads the file header. Internal when the magic or CRC is wrong and records follow, or when
  // the version, type tag or file number differ from those expected; I/O errors as Env gives
  // them. REQUIRES: called once, before Next().
  StatusOr<HeaderResult> ReadHeader(uint32_t type_tag, uint64_t file_number);

  // Reads the next record into *record, which stays valid until the next call. After
  // kCorruption the reader has resynchronized: calling Next() again goes on after the damage.
  // After kEnd every further call returns kEnd. Errors: I/O errors as Env gives them.
  StatusOr<Result> Next(std::string_view* record);

  // The damage that the last kCorruption reported.
  const Damage& corruption() const { return corruption_; }
  // After kEnd: whether damage at the end of the file had no intact fragment after it (a torn
  // tail), and where it starts.
  bool tail_damaged() const { return tail_damaged_; }
  const Damage& tail_damage() const { return tail_damage_; }
  // Offset just past the last byte accounted for: the end of the last record read, or of the
  // last damage that kCorruption reported. After kEnd, bytes from here on were left out.
  uint64_t consumed_end() const { return consumed_end_; }
  // Bytes read from the file so far; after kEnd, its size.
  uint64_t bytes_read() const { return buffer_offset_ + buffer_.size(); }
  const std::string& path() const { return path_; }

 private:
  struct Fragment {
    RecordType type = RecordType::kZero;
    std::string_view payload;  // points into buffer_
    uint64_t offset = 0;       // of its header
    uint64_t end = 0;          // just past its payload
  };
  enum class FragmentResult { kOk, kBad, kEof };

  // Reads the next fragment. kBad sets bad_offset_ / bad_reason_ and skips the damaged bytes.
  StatusOr<FragmentResult> ReadFragment(Fragment* fragment);
  // Replaces buffer_ with the file's bytes up to the next block boundary.
  Status Fill();
  // Records damage starting at `offset`, unless earlier damage is still open.
  void MarkDamage(uint64_t offset, std::string_view reason);
  // Closes the open damage as corruption ending at `end`.
  Result ReportCorruption(uint64_t end);
  FragmentResult Bad(uint64_t offset, std::string reason, size_t skip);

  std::unique_ptr<SequentialFile> file_;
  std::string path_;

  std::string buffer_;  // file bytes [buffer_offset_, buffer_offset_ + size)
  uint64_t buffer_offset_ = 0;
  size_t pos_ = 0;      // next unread byte of buffer_
  bool eof_ = false;    // buffer_ ends at the end of the file
  bool ended_ = false;  // Next() returned kEnd

  // The record being assembled from FIRST/MIDDLE fragments.
  bool in_record_ = false;
  uint64_t record_offset_ = 0;
  std::string scratch_;

  // A fragment read ahead that ended damage; Next() returns it before reading on.
  bool has_pending_ = false;
  Fragment pending_;

  // Open damage: seen, but not yet known to be a torn tail or corruption.
  bool damaged_ = false;
  bool damage_proven_ = false;  // an intact fragment followed it
  Damage damage_;
  uint64_t bad_offset_ = 0;  // set by ReadFragment's kBad
  std::string bad_reason_;

  Damage corruption_;
  bool tail_damaged_ = false;
  Damage tail_damage_;
  uint64_t consumed_end_ = 0;
};

}  // namespace tailor::store::log
