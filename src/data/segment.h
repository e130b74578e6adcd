// Segment files: the immutable columnar files a DatasetStore keeps its rows in
// (docs/formats/segment.md). A SegmentWriter streams blocks of rows to a file and ends it with
// the column list, the string dictionaries and a CRC32 over everything between header and
// trailer; a SegmentReader checks the frame and CRC and hands blocks back.
// Thread-safety: neither class is thread-safe; use one object per thread.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/env.h"
#include "common/status.h"
#include "common/status_or.h"
#include "data/schema.h"

namespace tailor::data {

class FileReader;

inline constexpr char kSegmentMagic[8] = {'T', 'L', 'R', 'S', 'E', 'G', '0', '1'};
inline constexpr uint32_t kSegmentFormatVersion = 1;
// String columns hold dictionary codes; this code marks a null.
inline constexpr uint32_t kNullCode = UINT32_MAX;

struct SegmentColumn {
  std::string name;
  FieldType type = FieldType::kString;
  bool nullable = false;
};

// Bytes per value of a column: 4 for string codes, int and float; 8 for long and double; 1 for
// boolean.
size_t FieldWidth(FieldType type);
// The on-disk tag of a dataset type (1 = Interactions ... 5 = Action_Interactions).
uint32_t DatasetTypeTag(DatasetType type);

// One column of one block: `validity` holds one byte per row (1 = present) for nullable
// columns and is empty otherwise; `values` holds rows × FieldWidth bytes, little-endian.
struct ColumnBuffer {
  std::vector<uint8_t> validity;
  std::vector<char> values;

  void clear() {
    validity.clear();
    values.clear();
  }
};

class SegmentWriter {
 public:
  // Creates (truncating) the file at `path`. Borrowed `env` must outlive the writer.
  static StatusOr<std::unique_ptr<SegmentWriter>> Create(Env* env, const std::string& path,
                                                         DatasetType type,
                                                         std::vector<SegmentColumn> columns);

  // Appends a block of `rows` rows. REQUIRES: one buffer per column, each sized for `rows`.
  Status AppendBlock(uint32_t rows, const std::vector<ColumnBuffer>& columns);

  // Writes the dictionaries (one list per column, empty for non-string columns; codes index
  // them), the trailer, then fsyncs and closes. The writer is unusable afterwards.
  Status Finish(const std::vector<std::vector<std::string_view>>& dictionaries);

  int64_t num_rows() const { return num_rows_; }
  uint64_t bytes_written() const { return offset_; }

 private:
  SegmentWriter(std::unique_ptr<WritableFile> file, std::vector<SegmentColumn> columns)
      : file_(std::move(file)), columns_(std::move(columns)) {}
  Status Write(std::string_view bytes, bool in_payload);

  std::unique_ptr<WritableFile> file_;
  std::vector<SegmentColumn> columns_;
  std::vector<std::pair<uint64_t, uint32_t>> blocks_;  // (offset, rows)
  uint64_t offset_ = 0;
  uint32_t crc_ = 0;
  int64_t num_rows_ = 0;
};

class SegmentReader {
 public:
  // Opens and checks the frame (magic, version, trailer); with `verify_crc` also reads the whole
  // file and checks its CRC. Internal naming the file when it is corrupt; NotFound if missing.
  static StatusOr<std::unique_ptr<SegmentReader>> Open(Env* env, const std::string& path,
                                                       bool verify_crc);
  ~SegmentReader();

  DatasetType type() const { return type_; }
  const std::vector<SegmentColumn>& columns() const { return columns_; }
  int64_t num_rows() const { return num_rows_; }
  size_t num_blocks() const { return blocks_.size(); }
  uint32_t block_rows(size_t block) const { return blocks_[block].second; }
  // The dictionary of string column `column` (empty for other columns).
  const std::vector<std::string>& dictionary(size_t column) const { return dictionaries_[column]; }

  // Reads block `block` into *columns (one buffer per column). Internal when it is corrupt.
  Status ReadBlock(size_t block, std::vector<ColumnBuffer>* columns) const;

 private:
  SegmentReader() = default;
  Status ParseMeta(std::string_view meta);

  std::unique_ptr<FileReader> file_;
  DatasetType type_ = DatasetType::kInteractions;
  std::vector<SegmentColumn> columns_;
  std::vector<std::pair<uint64_t, uint32_t>> blocks_;
  std::vector<std::vector<std::string>> dictionaries_;
  uint64_t meta_offset_ = 0;
  int64_t num_rows_ = 0;
};

}  // namespace tailor::data
