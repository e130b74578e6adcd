// RFC-4180 CSV chunking and parsing; see csv_reader.h.
#include "data/csv_reader.h"

#include <algorithm>
#include <array>
#include <cstring>

#include "data/file_reader.h"

namespace tailor::data {
namespace {

// Bytes that end or interrupt an unquoted field. A lookup table keeps the hot loop to one load
// and one branch per byte.
constexpr std::array<bool, 256> MakeSpecialTable() {
  std::array<bool, 256> table{};
  table[static_cast<unsigned char>(',')] = true;
  table[static_cast<unsigned char>('\n')] = true;
  table[static_cast<unsigned char>('\r')] = true;
  table[static_cast<unsigned char>('"')] = true;
  return table;
}
constexpr std::array<bool, 256> kSpecial = MakeSpecialTable();

// Counts '\n' bytes eight at a time: a byte of x = w ^ 0x0A.. is zero exactly where w has a
// newline, and the classic has-zero-byte trick marks those bytes' high bits without carries
// between bytes. std::count is not vectorized at -O2 and was a tenth of an import's time.
int64_t CountNewlines(const char* p, size_t n) {
  constexpr uint64_t kOnes = 0x0101010101010101ull;
  constexpr uint64_t kLow7 = 0x7F7F7F7F7F7F7F7Full;
  int64_t count = 0;
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t w;
    std::memcpy(&w, p + i, 8);
    const uint64_t x = w ^ (kOnes * '\n');
    const uint64_t t = ((x & kLow7) + kLow7) | x;
    count += __builtin_popcountll(~t & ~kLow7);
  }
  for (; i < n; ++i) count += p[i] == '\n';
  return count;
}

}  // namespace

bool IsValidUtf8(std::string_view text) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const auto* end = p + text.size();
  while (p < end) {
    unsigned char c = *p;
    if (c < 0x80) {
      ++p;
      continue;
    }
    int extra;
    uint32_t min;
    uint32_t cp;
    if ((c & 0xE0) == 0xC0) {
      extra = 1, min = 0x80, cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      extra = 2, min = 0x800, cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      extra = 3, min = 0x10000, cp = c & 0x07;
    } else {
      return false;
    }
    if (end - p <= extra) return false;
    for (int i = 1; i <= extra; ++i) {
      if ((p[i] & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (p[i] & 0x3F);
    }
    // Overlong forms, UTF-16 surrogates and code points past U+10FFFF are not UTF-8.
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    p += extra + 1;
  }
  return true;
}

size_t Utf8Length(std::string_view text) {
  size_t n = 0;
  for (char c : text) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

size_t CsvWholeRecordsPrefix(std::string_view data) {
  // Fast path: without quotes a newline always ends a record.
  if (std::memchr(data.data(), '"', data.size()) == nullptr) {
    const void* nl = ::memrchr(data.data(), '\n', data.size());
    return nl == nullptr ? 0 : static_cast<const char*>(nl) - data.data() + 1;
  }
  // The same quote rules as CsvParser: a quote opens a quoted field only at a field's start, and
  // inside quotes "" and \" (and \\) are escapes.
  bool in_quotes = false;
  bool field_start = true;
  size_t last = 0;
  const size_t n = data.size();
  for (size_t i = 0; i < n; ++i) {
    char c = data[i];
    if (in_quotes) {
      if (c == '"') {
        if (i + 1 < n && data[i + 1] == '"') {
          ++i;
        } else {
          in_quotes = false;
        }
      } else if (c == '\\' && i + 1 < n && (data[i + 1] == '"' || data[i + 1] == '\\')) {
        ++i;
      }
      continue;
    }
    if (c == '"' && field_start) {
      in_quotes = true;
      field_start = false;
    } else if (c == ',') {
      field_start = true;
    } else if (c == '\n') {
      last = i + 1;
      field_start = true;
    } else {
      field_start = false;
    }
  }
  return last;
}

// ---- CsvParser ----

CsvParser::CsvParser(char* data, size_t size, int64_t first_line, size_t max_record_bytes)
    : begin_(data),
      pos_(data),
      end_(data + size),
      line_(first_line),
      max_record_bytes_(max_record_bytes) {}

Status CsvParser::Error(size_t column, std::string_view what) const {
  std::string msg = "Line " + std::to_string(record_line_) + ", column ";
  if (column_names_ != nullptr && column < column_names_->size()) {
    msg += "'" + (*column_names_)[column] + "'";
  } else {
    msg += std::to_string(column + 1);
  }
  msg += ": ";
  msg += what;
  return Status::InvalidInput(msg);
}

Status CsvParser::Next(std::vector<std::string_view>* fields, bool* has_record) {
  fields->clear();
  // Blank lines carry no record.
  while (pos_ < end_) {
    if (*pos_ == '\n') {
      ++pos_;
      ++line_;
    } else if (*pos_ == '\r' && (pos_ + 1 == end_ || pos_[1] == '\n')) {
      ++pos_;
    } else {
      break;
    }
  }
  if (pos_ >= end_) {
    *has_record = false;
    return Status::OK();
  }
  *has_record = true;
  record_line_ = line_;
  char* const record_start = pos_;
  char* p = pos_;
  bool record_done = false;
  while (!record_done) {
    const size_t column = fields->size();
    std::string_view field;
    unsigned char high = 0;
    if (p < end_ && *p == '"') {
      ++p;
      char* out = p;
      char* const field_start = p;
      bool closed = false;
      while (p < end_) {
        char c = *p;
        if (c == '"') {
          if (p + 1 < end_ && p[1] == '"') {
            *out++ = '"';
            p += 2;
            continue;
          }
          ++p;
          closed = true;
          break;
        }
        if (c == '\\' && p + 1 < end_ && (p[1] == '"' || p[1] == '\\')) {
          *out++ = p[1];
          p += 2;
          continue;
        }
        if (c == '\n') ++line_;
        high |= static_cast<unsigned char>(c);
        *out++ = c;
        ++p;
      }
      if (!closed) return Error(column, "a quoted value is not closed");
      field = std::string_view(field_start, static_cast<size_t>(out - field_start));
      if (p < end_ && *p != ',' && *p != '\n' && !(*p == '\r' && (p + 1 == end_ || p[1] == '\n'))) {
        return Error(column, "unexpected character after a closing quote");
      }
    } else {
      char* const field_start = p;
      while (true) {
        while (p < end_ && !kSpecial[static_cast<unsigned char>(*p)]) {
          high |= static_cast<unsigned char>(*p);
          ++p;
        }
        if (p < end_ && *p == '"') {
          return Error(column, "a quote inside an unquoted value; quote the whole value");
        }
        // A bare '\r' (not before '\n') is data.
        if (p < end_ && *p == '\r' && p + 1 < end_ && p[1] != '\n') {
          ++p;
          continue;
        }
        break;
      }
      field = std::string_view(field_start, static_cast<size_t>(p - field_start));
    }
    if ((high & 0x80) != 0 && !IsValidUtf8(field)) return Error(column, "invalid UTF-8");
    fields->push_back(field);
    // Here p is at ',', '\r\n', '\n' or the end.
    if (p >= end_) {
      record_done = true;
    } else if (*p == ',') {
      ++p;
    } else {
      if (*p == '\r') ++p;
      if (p < end_) ++p;  // the '\n'
      ++line_;
      record_done = true;
    }
    if (static_cast<size_t>(p - record_start) > max_record_bytes_) {
      return Status::InvalidInput("Line " + std::to_string(record_line_) +
                                  ": the record is longer than " +
                                  std::to_string(max_record_bytes_) + " bytes");
    }
  }
  pos_ = p;
  return Status::OK();
}

// ---- CsvChunker ----

CsvChunker::CsvChunker(const FileReader* file, size_t chunk_bytes, size_t max_record_bytes)
    : file_(file), chunk_bytes_(chunk_bytes), max_record_bytes_(max_record_bytes) {}

Status CsvChunker::Next(CsvChunk* chunk, bool* done) {
  std::string& data = chunk->data;
  data.assign(carry_);
  carry_.clear();
  chunk->first_line = next_line_;
  chunk->file_offset = offset_ - data.size();
  chunk->num_lines = 0;
  while (true) {
    bool eof = offset_ >= file_->size();
    if (!eof) {
      size_t old = data.size();
      data.resize(old + chunk_bytes_);
      size_t got = 0;
      TAILOR_RETURN_IF_ERROR(file_->ReadAt(offset_, chunk_bytes_, data.data() + old, &got));
      data.resize(old + got);
      offset_ += got;
      eof = got == 0 || offset_ >= file_->size();
    }
    size_t cut = eof ? data.size() : CsvWholeRecordsPrefix(data);
    if (cut > 0 || eof) {
      carry_.assign(data, cut, std::string::npos);
      data.resize(cut);
      chunk->num_lines = CountNewlines(data.data(), data.size());
      next_line_ += chunk->num_lines;
      *done = data.empty();
      return Status::OK();
    }
    if (data.size() > max_record_bytes_) {
      return Status::InvalidInput(
          "Line " + std::to_string(next_line_) + ": the record is longer than " +
          std::to_string(max_record_bytes_) + " bytes (is a quoted value left open?)");
    }
  }
}

// ---- CsvReader ----

CsvReader::CsvReader(std::unique_ptr<FileReader> file) : file_(std::move(file)) {
  chunker_ = std::make_unique<CsvChunker>(file_.get(), 1 << 20);
}

CsvReader::~CsvReader() = default;

StatusOr<std::unique_ptr<CsvReader>> CsvReader::Open(Env* env, const std::string& path) {
  TAILOR_ASSIGN_OR_RETURN(auto file, FileReader::Open(env, path));
  return std::unique_ptr<CsvReader>(new CsvReader(std::move(file)));
}

Status CsvReader::Next(std::vector<std::string_view>* fields, bool* has_record) {
  *has_record = false;
  while (!done_) {
    if (parser_ != nullptr) {
      TAILOR_RETURN_IF_ERROR(parser_->Next(fields, has_record));
      if (*has_record) {
        line_ = parser_->line();
        return Status::OK();
      }
    }
    bool done = false;
    TAILOR_RETURN_IF_ERROR(chunker_->Next(&chunk_, &done));
    if (done) {
      done_ = true;
      break;
    }
    parser_ =
        std::make_unique<CsvParser>(chunk_.data.data(), chunk_.data.size(), chunk_.first_line);
    parser_->set_column_names(column_names_);
  }
  return Status::OK();
}

}  // namespace tailor::data
