#include "store/log_reader.h"

#include <algorithm>

#include "store/crc32c.h"

namespace tailor::store::log {

FileReader::FileReader(std::unique_ptr<SequentialFile> file, std::string path)
    : file_(std::move(file)), path_(std::move(path)) {}

StatusOr<FileReader::HeaderResult> FileReader::ReadHeader(uint32_t type_tag, uint64_t file_number) {
  buffer_.assign(kFileHeaderSize, '\0');
  size_t got = 0;
  while (got < kFileHeaderSize) {
    TAILOR_ASSIGN_OR_RETURN(size_t n, file_->Read(kFileHeaderSize - got, buffer_.data() + got));
    if (n == 0) break;
    got += n;
  }
  buffer_.resize(got);
  pos_ = got;
  if (got < kFileHeaderSize) {
    eof_ = true;
    ended_ = true;
    return HeaderResult::kIncomplete;
  }
  FileHeader header;
  Status s = DecodeFileHeader(buffer_, path_, &header);
  if (!s.ok()) {
    // A crash while a new file's header was being written leaves a damaged header and nothing
    // after it; a damaged header with records after it is corruption.
    TAILOR_RETURN_IF_ERROR(Fill());
    if (!buffer_.empty()) return s;
    ended_ = true;
    return HeaderResult::kIncomplete;
  }
  if (header.version != kFormatVersion) {
    return Status::Internal("event log file " + path_ + " has format version " +
                            std::to_string(header.version) + "; this build reads version " +
                            std::to_string(kFormatVersion));
  }
  if (header.type_tag != type_tag) {
    return Status::Internal("event log file " + path_ + " holds type tag " +
                            std::to_string(header.type_tag) + ", expected " +
                            std::to_string(type_tag));
  }
  if (header.file_number != file_number) {
    return Status::Internal("event log file " + path_ + " says it is file number " +
                            std::to_string(header.file_number));
  }
  consumed_end_ = kFileHeaderSize;
  return HeaderResult::kOk;
}

Status FileReader::Fill() {
  uint64_t next = buffer_offset_ + buffer_.size();
  size_t want = kBlockSize - static_cast<size_t>(next % kBlockSize);
  buffer_.resize(want);
  size_t got = 0;
  while (got < want) {
    TAILOR_ASSIGN_OR_RETURN(size_t n, file_->Read(want - got, buffer_.data() + got));
    if (n == 0) break;
    got += n;
  }
  buffer_.resize(got);
  buffer_offset_ = next;
  pos_ = 0;
  eof_ = got < want;
  return Status::OK();
}

FileReader::FragmentResult FileReader::Bad(uint64_t offset, std::string reason, size_t skip) {
  bad_offset_ = offset;
  bad_reason_ = std::move(reason);
  pos_ = std::min(buffer_.size(), pos_ + skip);
  return FragmentResult::kBad;
}

StatusOr<FileReader::FragmentResult> FileReader::ReadFragment(Fragment* fragment) {
  while (true) {
    uint64_t offset = buffer_offset_ + pos_;
    size_t avail = buffer_.size() - pos_;
    size_t block_left = kBlockSize - static_cast<size_t>(offset % kBlockSize);
    if (block_left < kHeaderSize) {
      pos_ = buffer_.size();  // the zero padding at a block's end
      avail = 0;
    }
    if (avail == 0) {
      if (eof_) return FragmentResult::kEof;
      TAILOR_RETURN_IF_ERROR(Fill());
      continue;
    }
    if (avail < kHeaderSize) return Bad(offset, "truncated fragment header", avail);  // at EOF
    const char* h = buffer_.data() + pos_;
    size_t length = GetFixed16(h + 4);
    auto type = static_cast<uint8_t>(h[6]);
    if (kHeaderSize + length > avail) {
      // Without a usable length nothing after this header in the block can be found; the next
      // block starts with a fragment header again (LevelDB skips the same way).
      return Bad(offset,
                 eof_ && kHeaderSize + length <= block_left
                     ? "truncated fragment"
                     : "fragment length runs past the end of its block",
                 avail);
    }
    // A mismatch with a plausible length is most likely damage inside the payload, so go on
    // right after it: the fragments behind it in the block are then still found, which both
    // proves the damage is not a torn tail and lets skip_corruption keep their records.
    if (crc32c::Unmask(GetFixed32(h)) != crc32c::Extend(0, h + 6, 1 + length)) {
      return Bad(offset, "checksum mismatch", kHeaderSize + length);
    }
    if (type == 0 || type > kMaxRecordType) {
      return Bad(offset, "unknown fragment type " + std::to_string(type), kHeaderSize + length);
    }
    fragment->type = static_cast<RecordType>(type);
    fragment->payload = std::string_view(h + kHeaderSize, length);
    fragment->offset = offset;
    fragment->end = offset + kHeaderSize + length;
    pos_ += kHeaderSize + length;
    return FragmentResult::kOk;
  }
}

void FileReader::MarkDamage(uint64_t offset, std::string_view reason) {
  if (damaged_) return;
  damaged_ = true;
  damage_proven_ = false;
  damage_ = Damage{offset, offset, std::string(reason)};
}

FileReader::Result FileReader::ReportCorruption(uint64_t end) {
  corruption_ = damage_;
  corruption_.end = end;
  damaged_ = false;
  damage_proven_ = false;
  consumed_end_ = end;
  return Result::kCorruption;
}

StatusOr<FileReader::Result> FileReader::Next(std::string_view* record) {
  if (ended_) return Result::kEnd;
  while (true) {
    Fragment f;
    FragmentResult r = FragmentResult::kOk;
    if (has_pending_) {
      f = pending_;
      has_pending_ = false;
    } else {
      TAILOR_ASSIGN_OR_RETURN(r, ReadFragment(&f));
    }

    if (r == FragmentResult::kEof) {
      if (in_record_) {
        MarkDamage(record_offset_, "the file ends inside a record");
        in_record_ = false;
      }
      if (damaged_ && damage_proven_) return ReportCorruption(bytes_read());
      if (damaged_) {
        // Nothing intact follows the damage: a write that a crash cut short.
        tail_damaged_ = true;
        tail_damage_ = damage_;
        tail_damage_.end = bytes_read();
        damaged_ = false;
      }
      ended_ = true;
      return Result::kEnd;
    }
    if (r == FragmentResult::kBad) {
      MarkDamage(in_record_ ? record_offset_ : bad_offset_, bad_reason_);
      in_record_ = false;
      continue;
    }

    bool starts = f.type == RecordType::kFull || f.type == RecordType::kFirst;
    if (starts && in_record_) {
      MarkDamage(record_offset_, "a record lacks its last fragment");
      in_record_ = false;
    }
    if (damaged_) {
      // An intact fragment after damage shows the damage is not a torn tail. Orphaned MIDDLE and
      // LAST fragments belong to the damaged region; the next record starts at FULL or FIRST.
      if (!starts) {
        damage_proven_ = true;
        continue;
      }
      pending_ = f;
      has_pending_ = true;
      return ReportCorruption(f.offset);
    }

    switch (f.type) {
      case RecordType::kFull:
        consumed_end_ = f.end;
        *record = f.payload;
        return Result::kRecord;
      case RecordType::kFirst:
        in_record_ = true;
        record_offset_ = f.offset;
        scratch_.assign(f.payload);
        continue;
      case RecordType::kMiddle:
      case RecordType::kLast:
        if (!in_record_) {
          MarkDamage(f.offset, "a fragment lacks its first fragment");
          continue;
        }
        scratch_.append(f.payload);
        if (f.type == RecordType::kMiddle) continue;
        in_record_ = false;
        consumed_end_ = f.end;
        *record = scratch_;
        return Result::kRecord;
      case RecordType::kZero:
        break;  // ReadFragment never returns it
    }
  }
}

}  // namespace tailor::store::log
