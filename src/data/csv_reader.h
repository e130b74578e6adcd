// Streaming RFC-4180 CSV reading for imports (personalize-semantics.md §3.2), in three parts:
//   CsvChunker  reads a file in large chunks that end on record boundaries, so chunks can be
//               parsed on several threads; it tracks the line each chunk starts on.
//   CsvParser   splits one chunk into records and fields in place: fields are string_views
//               into the chunk, and escapes ("" and \") are removed by rewriting the bytes.
//   CsvReader   the two together, for callers that want records one at a time.
// Records may span lines (newlines inside quotes); a line is a physical line, 1-based, and a
// record's line is the one it starts on. '\n' and "\r\n" end records; blank lines are skipped.
// Every field is checked to be UTF-8. A record longer than kMaxCsvRecordBytes is an error
// naming its line, so memory stays bounded whatever the input.
// Thread-safety: none of these classes is thread-safe; use one per thread.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/env.h"
#include "common/status.h"
#include "common/status_or.h"

namespace tailor::data {

class FileReader;

// Longest record accepted. Personalize's longest values are 20 000-character text fields
// (up to 80 KB of UTF-8) and 100 metadata columns of 1000-character categoricals, so 1 MiB
// leaves ample room while a runaway quote or a binary file fails fast.
inline constexpr size_t kMaxCsvRecordBytes = 1 << 20;

// A run of whole records from a file.
struct CsvChunk {
  std::string data;        // whole records; may be rewritten in place by CsvParser
  int64_t first_line = 1;  // line of the first byte of `data`
  int64_t num_lines = 0;   // '\n' count in `data`
  uint64_t file_offset = 0;
};

class CsvParser {
 public:
  // Parses `size` bytes at `data`, which hold whole records (the last may lack its newline).
  // `data` must stay alive and unmoved while fields are used; it is modified in place.
  CsvParser(char* data, size_t size, int64_t first_line,
            size_t max_record_bytes = kMaxCsvRecordBytes);

  // Names used in error messages ("column 'TIMESTAMP'"); without them errors say
  // "column 3". Borrowed: must outlive the parser.
  void set_column_names(const std::vector<std::string>* names) { column_names_ = names; }

  // Parses the next record into *fields (cleared first), sets *has_record to false at the end.
  // InvalidInput naming the line (and column) for an unclosed quote, a stray character after a
  // closing quote, a quote inside an unquoted field, invalid UTF-8 or an overlong record.
  // Fields point into the chunk and stay valid as long as it does.
  Status Next(std::vector<std::string_view>* fields, bool* has_record);

  // Line on which the last record returned starts.
  int64_t line() const { return record_line_; }
  // Bytes consumed so far.
  size_t offset() const { return static_cast<size_t>(pos_ - begin_); }

 private:
  Status Error(size_t column, std::string_view what) const;

  char* begin_;
  char* pos_;
  char* end_;
  int64_t line_;
  int64_t record_line_ = 0;
  size_t max_record_bytes_;
  const std::vector<std::string>* column_names_ = nullptr;
};

class CsvChunker {
 public:
  // Reads `file` (borrowed; must outlive the chunker) in chunks of about `chunk_bytes`.
  CsvChunker(const FileReader* file, size_t chunk_bytes,
             size_t max_record_bytes = kMaxCsvRecordBytes);

  // Fills *chunk with the next whole records, reusing its buffer; *done is set at the end of
  // the file (then *chunk is empty). InvalidInput naming the line when a record exceeds the
  // cap; Internal on read errors.
  Status Next(CsvChunk* chunk, bool* done);

  uint64_t bytes_read() const { return offset_; }

 private:
  const FileReader* file_;
  size_t chunk_bytes_;
  size_t max_record_bytes_;
  uint64_t offset_ = 0;  // file offset of the next unread byte
  int64_t next_line_ = 1;
  std::string carry_;  // a partial record left over from the previous chunk
};

// Returns the length of the longest prefix of `data` made of whole records, given that `data`
// starts at a record boundary: one past the last '\n' outside quotes, or 0 when there is none.
// Exposed for tests.
size_t CsvWholeRecordsPrefix(std::string_view data);

// True when `text` is valid UTF-8.
bool IsValidUtf8(std::string_view text);
// Number of code points in valid UTF-8 `text`.
size_t Utf8Length(std::string_view text);

class CsvReader {
 public:
  // NotFound when the file is missing.
  static StatusOr<std::unique_ptr<CsvReader>> Open(Env* env, const std::string& path);
  ~CsvReader();

  void set_column_names(const std::vector<std::string>* names) {
    column_names_ = names;
    if (parser_ != nullptr) parser_->set_column_names(names);
  }

  // Next record, as CsvParser::Next. Fields stay valid until the next call.
  Status Next(std::vector<std::string_view>* fields, bool* has_record);
  int64_t line() const { return line_; }

 private:
  explicit CsvReader(std::unique_ptr<FileReader> file);

  std::unique_ptr<FileReader> file_;
  std::unique_ptr<CsvChunker> chunker_;
  CsvChunk chunk_;
  std::unique_ptr<CsvParser> parser_;
  const std::vector<std::string>* column_names_ = nullptr;
  int64_t line_ = 0;
  bool done_ = false;
};

}  // namespace tailor::data
