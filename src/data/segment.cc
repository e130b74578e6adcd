// Segment file writing and reading; the byte layout is specified in docs/formats/segment.md.
#include "data/segment.h"

#include <algorithm>
#include <bit>
#include <cstring>

#include <zlib.h>

#include "data/file_reader.h"

namespace tailor::data {
namespace {

// The format is little-endian; values are copied with memcpy, which is only right on
// little-endian hosts (every platform we build for).
static_assert(std::endian::native == std::endian::little, "segment.cc assumes little-endian");

constexpr size_t kHeaderSize = 16;
constexpr size_t kTrailerSize = 24;

uint32_t Crc32(uint32_t crc, std::string_view bytes) {
  // zlib's length is a uInt; feed huge spans in pieces.
  while (!bytes.empty()) {
    size_t n = std::min<size_t>(bytes.size(), 1u << 30);
    crc = static_cast<uint32_t>(
        ::crc32(crc, reinterpret_cast<const Bytef*>(bytes.data()), static_cast<uInt>(n)));
    bytes.remove_prefix(n);
  }
  return crc;
}

template <typename T>
void Put(std::string* out, T value) {
  out->append(reinterpret_cast<const char*>(&value), sizeof(T));
}

// A bounds-checked cursor over the meta section: a corrupt length never reads out of range.
class Decoder {
 public:
  explicit Decoder(std::string_view data) : data_(data) {}
  template <typename T>
  bool Get(T* value) {
    if (data_.size() < sizeof(T)) return false;
    std::memcpy(value, data_.data(), sizeof(T));
    data_.remove_prefix(sizeof(T));
    return true;
  }
  bool GetBytes(size_t n, std::string_view* out) {
    if (data_.size() < n) return false;
    *out = data_.substr(0, n);
    data_.remove_prefix(n);
    return true;
  }
  bool empty() const { return data_.empty(); }

 private:
  std::string_view data_;
};

StatusOr<DatasetType> TypeFromTag(uint32_t tag) {
  switch (tag) {
    case 1:
      return DatasetType::kInteractions;
    case 2:
      return DatasetType::kItems;
    case 3:
      return DatasetType::kUsers;
    case 4:
      return DatasetType::kActions;
    case 5:
      return DatasetType::kActionInteractions;
  }
  return Status::Internal("unknown dataset type tag " + std::to_string(tag));
}

}  // namespace

size_t FieldWidth(FieldType type) {
  switch (type) {
    case FieldType::kString:
    case FieldType::kInt:
    case FieldType::kFloat:
      return 4;
    case FieldType::kLong:
    case FieldType::kDouble:
      return 8;
    case FieldType::kBoolean:
      return 1;
  }
  return 4;
}

uint32_t DatasetTypeTag(DatasetType type) {
  switch (type) {
    case DatasetType::kInteractions:
      return 1;
    case DatasetType::kItems:
      return 2;
    case DatasetType::kUsers:
      return 3;
    case DatasetType::kActions:
      return 4;
    case DatasetType::kActionInteractions:
      return 5;
  }
  return 0;
}

// ---- SegmentWriter ----

StatusOr<std::unique_ptr<SegmentWriter>> SegmentWriter::Create(Env* env, const std::string& path,
                                                               DatasetType type,
                                                               std::vector<SegmentColumn> columns) {
  TAILOR_ASSIGN_OR_RETURN(auto file, env->NewWritableFile(path));
  std::unique_ptr<SegmentWriter> writer(new SegmentWriter(std::move(file), std::move(columns)));
  std::string header(kSegmentMagic, sizeof(kSegmentMagic));
  Put<uint32_t>(&header, kSegmentFormatVersion);
  Put<uint32_t>(&header, DatasetTypeTag(type));
  TAILOR_RETURN_IF_ERROR(writer->Write(header, /*in_payload=*/false));
  return writer;
}

Status SegmentWriter::Write(std::string_view bytes, bool in_payload) {
  if (in_payload) crc_ = Crc32(crc_, bytes);
  offset_ += bytes.size();
  return file_->Append(bytes);
}

Status SegmentWriter::AppendBlock(uint32_t rows, const std::vector<ColumnBuffer>& columns) {
  TAILOR_CHECK(columns.size() == columns_.size());
  blocks_.emplace_back(offset_, rows);
  num_rows_ += rows;
  std::string head;
  Put<uint32_t>(&head, rows);
  TAILOR_RETURN_IF_ERROR(Write(head, true));
  for (size_t c = 0; c < columns.size(); ++c) {
    const ColumnBuffer& column = columns[c];
    TAILOR_CHECK(column.values.size() == rows * FieldWidth(columns_[c].type));
    if (columns_[c].nullable) {
      TAILOR_CHECK(column.validity.size() == rows);
      TAILOR_RETURN_IF_ERROR(Write(
          std::string_view(reinterpret_cast<const char*>(column.validity.data()), rows), true));
    }
    TAILOR_RETURN_IF_ERROR(
        Write(std::string_view(column.values.data(), column.values.size()), true));
  }
  return Status::OK();
}

Status SegmentWriter::Finish(const std::vector<std::vector<std::string_view>>& dictionaries) {
  TAILOR_CHECK(dictionaries.size() == columns_.size());
  const uint64_t meta_offset = offset_;
  std::string meta;
  Put<uint32_t>(&meta, static_cast<uint32_t>(columns_.size()));
  for (const SegmentColumn& column : columns_) {
    Put<uint16_t>(&meta, static_cast<uint16_t>(column.name.size()));
    meta.append(column.name);
    Put<uint8_t>(&meta, static_cast<uint8_t>(column.type));
    Put<uint8_t>(&meta, column.nullable ? 1 : 0);
  }
  Put<uint64_t>(&meta, static_cast<uint64_t>(num_rows_));
  Put<uint32_t>(&meta, static_cast<uint32_t>(blocks_.size()));
  for (const auto& [offset, rows] : blocks_) {
    Put<uint64_t>(&meta, offset);
    Put<uint32_t>(&meta, rows);
  }
  for (const auto& dictionary : dictionaries) {
    Put<uint32_t>(&meta, static_cast<uint32_t>(dictionary.size()));
    for (std::string_view key : dictionary) {
      Put<uint32_t>(&meta, static_cast<uint32_t>(key.size()));
      meta.append(key);
      if (meta.size() > (1 << 20)) {
        TAILOR_RETURN_IF_ERROR(Write(meta, true));
        meta.clear();
      }
    }
  }
  TAILOR_RETURN_IF_ERROR(Write(meta, true));
  std::string trailer;
  Put<uint64_t>(&trailer, meta_offset);
  Put<uint32_t>(&trailer, crc_);
  Put<uint32_t>(&trailer, 0);
  trailer.append(kSegmentMagic, sizeof(kSegmentMagic));
  TAILOR_RETURN_IF_ERROR(Write(trailer, false));
  TAILOR_RETURN_IF_ERROR(file_->Sync());
  return file_->Close();
}

// ---- SegmentReader ----

SegmentReader::~SegmentReader() = default;

StatusOr<std::unique_ptr<SegmentReader>> SegmentReader::Open(Env* env, const std::string& path,
                                                             bool verify_crc) {
  std::unique_ptr<SegmentReader> reader(new SegmentReader());
  TAILOR_ASSIGN_OR_RETURN(reader->file_, FileReader::Open(env, path));
  const FileReader& file = *reader->file_;
  auto corrupt = [&path](std::string_view why) {
    return Status::Internal("segment " + path + " is corrupt: " + std::string(why));
  };
  const uint64_t size = file.size();
  if (size < kHeaderSize + kTrailerSize) return corrupt("too short");
  char header[kHeaderSize];
  char trailer[kTrailerSize];
  TAILOR_RETURN_IF_ERROR(file.ReadExactly(0, kHeaderSize, header));
  TAILOR_RETURN_IF_ERROR(file.ReadExactly(size - kTrailerSize, kTrailerSize, trailer));
  if (std::memcmp(header, kSegmentMagic, 8) != 0 ||
      std::memcmp(trailer + 16, kSegmentMagic, 8) != 0) {
    return corrupt("bad magic number");
  }
  uint32_t version;
  uint32_t tag;
  std::memcpy(&version, header + 8, 4);
  std::memcpy(&tag, header + 12, 4);
  if (version != kSegmentFormatVersion) {
    return corrupt("format version " + std::to_string(version) + " is not supported");
  }
  TAILOR_ASSIGN_OR_RETURN(reader->type_, TypeFromTag(tag));
  uint32_t stored_crc;
  std::memcpy(&reader->meta_offset_, trailer, 8);
  std::memcpy(&stored_crc, trailer + 8, 4);
  const uint64_t payload_end = size - kTrailerSize;
  if (reader->meta_offset_ < kHeaderSize || reader->meta_offset_ > payload_end) {
    return corrupt("bad meta offset");
  }
  if (verify_crc) {
    uint32_t crc = 0;
    std::string buffer(4 << 20, '\0');
    for (uint64_t offset = kHeaderSize; offset < payload_end;) {
      size_t n = std::min<uint64_t>(buffer.size(), payload_end - offset);
      TAILOR_RETURN_IF_ERROR(file.ReadExactly(offset, n, buffer.data()));
      crc = Crc32(crc, std::string_view(buffer.data(), n));
      offset += n;
    }
    if (crc != stored_crc) return corrupt("CRC32 mismatch");
  }
  std::string meta(payload_end - reader->meta_offset_, '\0');
  TAILOR_RETURN_IF_ERROR(file.ReadExactly(reader->meta_offset_, meta.size(), meta.data()));
  Status s = reader->ParseMeta(meta);
  if (!s.ok()) return corrupt(s.message());
  return reader;
}

Status SegmentReader::ParseMeta(std::string_view meta) {
  Decoder in(meta);
  uint32_t num_columns;
  if (!in.Get(&num_columns) || num_columns > 10000) return Status::Internal("bad column count");
  for (uint32_t i = 0; i < num_columns; ++i) {
    uint16_t name_len;
    std::string_view name;
    uint8_t type;
    uint8_t nullable;
    if (!in.Get(&name_len) || !in.GetBytes(name_len, &name) || !in.Get(&type) ||
        !in.Get(&nullable) || type > static_cast<uint8_t>(FieldType::kBoolean)) {
      return Status::Internal("bad column list");
    }
    columns_.push_back(
        SegmentColumn{std::string(name), static_cast<FieldType>(type), nullable != 0});
  }
  uint64_t num_rows;
  uint32_t num_blocks;
  if (!in.Get(&num_rows) || !in.Get(&num_blocks)) return Status::Internal("bad block list");
  num_rows_ = static_cast<int64_t>(num_rows);
  uint64_t total = 0;
  for (uint32_t i = 0; i < num_blocks; ++i) {
    uint64_t offset;
    uint32_t rows;
    if (!in.Get(&offset) || !in.Get(&rows) || offset < kHeaderSize || offset >= meta_offset_) {
      return Status::Internal("bad block list");
    }
    blocks_.emplace_back(offset, rows);
    total += rows;
  }
  if (total != num_rows) return Status::Internal("block row counts do not add up");
  dictionaries_.resize(num_columns);
  for (uint32_t c = 0; c < num_columns; ++c) {
    uint32_t count;
    if (!in.Get(&count) || count > meta.size()) return Status::Internal("bad dictionary");
    dictionaries_[c].reserve(count);
    for (uint32_t i = 0; i < count; ++i) {
      uint32_t len;
      std::string_view key;
      if (!in.Get(&len) || !in.GetBytes(len, &key)) return Status::Internal("bad dictionary");
      dictionaries_[c].emplace_back(key);
    }
  }
  if (!in.empty()) return Status::Internal("trailing bytes after the dictionaries");
  return Status::OK();
}

Status SegmentReader::ReadBlock(size_t block, std::vector<ColumnBuffer>* columns) const {
  const auto [offset, rows] = blocks_[block];
  uint64_t bytes = 4;
  for (const SegmentColumn& column : columns_) {
    bytes += static_cast<uint64_t>(rows) * (FieldWidth(column.type) + (column.nullable ? 1 : 0));
  }
  if (offset + bytes > meta_offset_) {
    return Status::Internal("segment " + file_->path() + " is corrupt: block " +
                            std::to_string(block) + " runs past its end");
  }
  uint32_t stored_rows;
  TAILOR_RETURN_IF_ERROR(file_->ReadExactly(offset, 4, reinterpret_cast<char*>(&stored_rows)));
  if (stored_rows != rows) {
    return Status::Internal("segment " + file_->path() + " is corrupt: block " +
                            std::to_string(block) + " row count mismatch");
  }
  columns->resize(columns_.size());
  uint64_t pos = offset + 4;
  for (size_t c = 0; c < columns_.size(); ++c) {
    ColumnBuffer& out = (*columns)[c];
    out.validity.resize(columns_[c].nullable ? rows : 0);
    if (columns_[c].nullable) {
      TAILOR_RETURN_IF_ERROR(
          file_->ReadExactly(pos, rows, reinterpret_cast<char*>(out.validity.data())));
      pos += rows;
    }
    out.values.resize(static_cast<size_t>(rows) * FieldWidth(columns_[c].type));
    TAILOR_RETURN_IF_ERROR(file_->ReadExactly(pos, out.values.size(), out.values.data()));
    pos += out.values.size();
  }
  return Status::OK();
}

}  // namespace tailor::data
