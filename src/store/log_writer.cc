#include "store/log_writer.h"

#include <algorithm>

#include "common/check.h"
#include "store/crc32c.h"

namespace tailor::store::log {

Writer::Writer(std::unique_ptr<WritableFile> file, uint64_t file_size)
    : file_(std::move(file)), file_size_(file_size), block_offset_(file_size % kBlockSize) {
  TAILOR_CHECK(file_size >= kFileHeaderSize);
  for (uint8_t t = 0; t <= kMaxRecordType; ++t) {
    char c = static_cast<char>(t);
    type_crc_[t] = crc32c::Extend(0, &c, 1);
  }
}

Status Writer::AddRecord(std::string_view record) {
  const char* ptr = record.data();
  size_t left = record.size();
  bool begin = true;
  // An empty record still gets one (empty) FULL fragment, hence do/while.
  do {
    size_t leftover = kBlockSize - block_offset_;
    if (leftover < kHeaderSize) {
      // Too small for a fragment header: pad the block with zeros, as LevelDB does.
      static constexpr char kZeros[kHeaderSize] = {};
      if (leftover > 0) TAILOR_RETURN_IF_ERROR(file_->Append(std::string_view(kZeros, leftover)));
      file_size_ += leftover;
      block_offset_ = 0;
    }
    size_t avail = kBlockSize - block_offset_ - kHeaderSize;
    size_t n = std::min(left, avail);
    bool end = n == left;
    RecordType type = begin && end ? RecordType::kFull
                      : begin      ? RecordType::kFirst
                      : end        ? RecordType::kLast
                                   : RecordType::kMiddle;
    TAILOR_RETURN_IF_ERROR(EmitFragment(type, ptr, n));
    ptr += n;
    left -= n;
    begin = false;
  } while (left > 0);
  return Status::OK();
}

Status Writer::EmitFragment(RecordType type, const char* data, size_t n) {
  TAILOR_CHECK(n <= 0xffff && block_offset_ + kHeaderSize + n <= kBlockSize);
  char header[kHeaderSize];
  auto t = static_cast<uint8_t>(type);
  PutFixed32(header, crc32c::Mask(crc32c::Extend(type_crc_[t], data, n)));
  PutFixed16(header + 4, static_cast<uint16_t>(n));
  header[6] = static_cast<char>(t);
  TAILOR_RETURN_IF_ERROR(file_->Append(std::string_view(header, kHeaderSize)));
  TAILOR_RETURN_IF_ERROR(file_->Append(std::string_view(data, n)));
  block_offset_ += kHeaderSize + n;
  file_size_ += kHeaderSize + n;
  return Status::OK();
}

}  // namespace tailor::store::log
