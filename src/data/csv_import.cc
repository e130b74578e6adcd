// The parallel CSV-to-segment pipeline behind DatasetStore::ImportCsv.
//
// The calling thread reads the file in chunks of whole records (CsvChunker) and hands them to
// `threads` workers through a queue. A worker parses its chunk in place, checks every value
// against the schema and encodes it into column buffers; strings become codes of the worker's
// own dictionaries, so workers never share a lock per value. The calling thread takes finished
// chunks back strictly in file order, translates each worker's codes into one dictionary per
// column (only keys new in that chunk need a lookup) and appends the block to the segment.
// Taking chunks back in order makes the first error in the file the one reported, and bounds
// memory to the chunks in flight plus the dictionaries.
#include "data/csv_import.h"

#include <charconv>
#include <cmath>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <mutex>
#include <thread>

#include "data/csv_reader.h"
#include "data/file_reader.h"
#include "data/id_dictionary.h"
#include "data/segment.h"

namespace tailor::data {
namespace {

constexpr size_t kChunkBytes = 4 << 20;
// Value limits of personalize-semantics.md §3.1, in characters (code points).
constexpr size_t kMaxIdChars = 256;
constexpr size_t kMaxCategoricalChars = 1000;
// Longer text is truncated, not rejected (§3.1).
constexpr size_t kMaxTextChars = 20000;
constexpr int64_t kProgressEvery = 1000000;

enum class StringKind { kPlain, kId, kCategorical, kTextual };

struct ColumnPlan {
  const Field* field = nullptr;
  StringKind kind = StringKind::kPlain;
  size_t width = 4;
  int csv_index = -1;  // -1: absent from the CSV, so every row is null
};

struct Task {
  CsvChunk chunk;
  size_t start_offset = 0;  // where records start in chunk.data (past the header, if any)
  int64_t start_line = 1;
  // Written by the worker before `done`.
  int worker = -1;
  uint32_t rows = 0;
  std::vector<ColumnBuffer> columns;
  std::vector<std::vector<std::string_view>> new_keys;  // per column: keys first seen here
  Status status;
  bool done = false;
};

// Per-worker state: only its own thread touches the dictionaries.
struct Worker {
  std::vector<std::unique_ptr<IdDictionary>> dictionaries;  // per column; null if not a string
  std::vector<std::string_view> fields;
  // Per string column and row of the current chunk, the value to intern (null rows are
  // already coded in the column buffer).
  std::vector<std::vector<std::string_view>> pending;
  std::vector<uint64_t> hashes;
};

// Interns the pending strings of column `c` into the worker's dictionary and writes their
// codes. Interning a whole column at once lets the table's cache misses overlap: slots are
// prefetched kAhead keys before they are probed.
void InternPending(Worker* worker, size_t c, uint32_t rows, bool nullable, ColumnBuffer* out) {
  constexpr uint32_t kAhead = 8;
  IdDictionary& dictionary = *worker->dictionaries[c];
  const std::vector<std::string_view>& values = worker->pending[c];
  std::vector<uint64_t>& hashes = worker->hashes;
  hashes.resize(rows);
  for (uint32_t r = 0; r < rows; ++r) {
    if (nullable && out->validity[r] == 0) continue;
    hashes[r] = HashBytes(values[r].data(), values[r].size());
  }
  char* codes = out->values.data();
  uint32_t last_code = 0;
  for (uint32_t r = 0; r < rows; ++r) {
    if (r + kAhead < rows) dictionary.Prefetch(hashes[r + kAhead]);
    if (nullable && out->validity[r] == 0) continue;
    uint32_t code;
    // Files sorted by user (MovieLens is) repeat a USER_ID row after row: skip the probe.
    if (r > 0 && hashes[r] == hashes[r - 1] && values[r] == values[r - 1] &&
        (!nullable || out->validity[r - 1] != 0)) {
      code = last_code;
    } else {
      code = dictionary.Intern(values[r], hashes[r]);
    }
    last_code = code;
    std::memcpy(codes + 4 * static_cast<size_t>(r), &code, 4);
  }
}

std::string Quote(std::string_view value) {
  constexpr size_t kShown = 64;
  if (value.size() <= kShown) return "'" + std::string(value) + "'";
  return "'" + std::string(value.substr(0, kShown)) + "...'";
}

template <typename T>
bool ParseNumber(std::string_view text, T* out) {
  if (!text.empty() && text[0] == '+') text.remove_prefix(1);
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, *out);
  if (ec != std::errc() || ptr != end) return false;
  if constexpr (std::is_floating_point_v<T>) return std::isfinite(*out);
  return true;
}

// Cuts valid UTF-8 `text` to at most `max_chars` code points.
std::string_view TruncateUtf8(std::string_view text, size_t max_chars) {
  size_t chars = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80 && chars++ == max_chars) {
      return text.substr(0, i);
    }
  }
  return text;
}

class Importer {
 public:
  Importer(const Schema& schema, DatasetType type, const ImportOptions& options)
      : schema_(schema), type_(type), options_(options) {}

  StatusOr<CsvImportStats> Run(Env* env, const std::string& csv_path,
                               const std::string& segment_path);

 private:
  Status ParseHeader(Task* first);
  Status ParseChunk(Worker* worker, Task* task) const;
  Status ConvertValue(Worker* worker, size_t c, std::string_view value, uint32_t row,
                      ColumnBuffer* out, const CsvParser& parser) const;
  Status Merge(Task* task);
  void WorkerLoop(int id);
  bool Cancelled() const { return options_.cancel != nullptr && options_.cancel->load(); }

  const Schema& schema_;
  const DatasetType type_;
  const ImportOptions& options_;
  std::vector<ColumnPlan> plan_;                       // per schema field
  std::vector<std::string> header_;                    // CSV column names, for error messages
  std::vector<std::unique_ptr<IdDictionary>> global_;  // per column, merger-owned
  std::vector<std::vector<std::vector<uint32_t>>> to_global_;  // [worker][column][local code]
  std::unique_ptr<SegmentWriter> writer_;
  std::vector<Worker> workers_;
  int64_t rows_ = 0;
  int64_t next_progress_ = kProgressEvery;

  std::mutex mu_;
  std::condition_variable work_cv_;  // signals workers: a task or stop
  std::condition_variable done_cv_;  // signals the reader: a task finished
  // Protected by mu_.
  std::deque<Task*> queue_;
  bool stop_ = false;
};

Status Importer::ParseHeader(Task* first) {
  CsvChunk& chunk = first->chunk;
  size_t start = 0;
  // Spreadsheet exports often begin with a UTF-8 byte order mark; it is not part of the name.
  if (chunk.data.compare(0, 3, "\xEF\xBB\xBF") == 0) start = 3;
  CsvParser parser(chunk.data.data() + start, chunk.data.size() - start, chunk.first_line);
  std::vector<std::string_view> names;
  bool has_record = false;
  TAILOR_RETURN_IF_ERROR(parser.Next(&names, &has_record));
  if (!has_record) return Status::InvalidInput("The CSV file is empty: it has no header row");
  const int64_t header_line = parser.line();
  plan_.resize(schema_.fields.size());
  for (size_t f = 0; f < schema_.fields.size(); ++f) plan_[f].field = &schema_.fields[f];
  std::vector<std::string> unknown;
  for (size_t i = 0; i < names.size(); ++i) {
    std::string name(names[i]);
    header_.push_back(name);
    const Field* field = schema_.Find(name);
    if (field == nullptr) {
      unknown.push_back(name);
      continue;
    }
    ColumnPlan& plan = plan_[field - schema_.fields.data()];
    if (plan.csv_index >= 0) {
      return Status::InvalidInput("Line " + std::to_string(header_line) + ": column '" + name +
                                  "' appears more than once in the CSV header");
    }
    plan.csv_index = static_cast<int>(i);
  }
  std::string missing;
  for (const ColumnPlan& plan : plan_) {
    if (plan.csv_index < 0 && !plan.field->nullable) {
      missing += (missing.empty() ? "" : ", ") + plan.field->name;
    }
  }
  if (!missing.empty()) {
    return Status::InvalidInput("Input CSV is missing the following columns: [" + missing + "]");
  }
  if (!unknown.empty()) {
    return Status::InvalidInput("Column '" + unknown[0] +
                                "' in the CSV header is not a field of the schema");
  }
  for (ColumnPlan& plan : plan_) {
    plan.width = FieldWidth(plan.field->type);
    const std::string& name = plan.field->name;
    if (plan.field->type != FieldType::kString) continue;
    if (name == "USER_ID" || name == "ITEM_ID" || name == "ACTION_ID") {
      plan.kind = StringKind::kId;
    } else if (plan.field->categorical || name == "IMPRESSION") {
      plan.kind = StringKind::kCategorical;
    } else if (plan.field->textual) {
      plan.kind = StringKind::kTextual;
    }
  }
  first->start_offset = start + parser.offset();
  // The parser has consumed the header and its newline; count the lines it spanned.
  first->start_line = chunk.first_line +
                      std::count(chunk.data.data(), chunk.data.data() + first->start_offset, '\n');
  return Status::OK();
}

Status Importer::ConvertValue(Worker* worker, size_t c, std::string_view value, uint32_t row,
                              ColumnBuffer* out, const CsvParser& parser) const {
  const ColumnPlan& plan = plan_[c];
  const Field& field = *plan.field;
  char* dst = out->values.data() + static_cast<size_t>(row) * plan.width;
  auto error = [&](const std::string& what) {
    return Status::InvalidInput("Line " + std::to_string(parser.line()) + ", column '" +
                                field.name + "': " + what);
  };
  if (value.empty()) {
    if (!field.nullable) {
      return error(plan.kind == StringKind::kId ? "the id is empty"
                                                : "the value is empty, but the field is not "
                                                  "nullable");
    }
    out->validity[row] = 0;
    if (field.type == FieldType::kString) {
      std::memcpy(dst, &kNullCode, 4);
    } else {
      std::memset(dst, 0, plan.width);
    }
    return Status::OK();
  }
  if (field.nullable) out->validity[row] = 1;
  switch (field.type) {
    case FieldType::kString: {
      // Sizes are in bytes first: a value within the limit in bytes is within it in characters.
      if (plan.kind == StringKind::kId && value.size() > kMaxIdChars &&
          Utf8Length(value) > kMaxIdChars) {
        return error("the id is longer than 256 characters");
      }
      if (plan.kind == StringKind::kCategorical && value.size() > kMaxCategoricalChars &&
          Utf8Length(value) > kMaxCategoricalChars) {
        return error("the value is longer than 1000 characters");
      }
      if (plan.kind == StringKind::kTextual && value.size() > kMaxTextChars) {
        value = TruncateUtf8(value, kMaxTextChars);
      }
      // Interned later in a batch (InternPending), with prefetching.
      worker->pending[c][row] = value;
      return Status::OK();
    }
    case FieldType::kInt: {
      int32_t v;
      if (!ParseNumber(value, &v)) return error(Quote(value) + " is not a valid int");
      std::memcpy(dst, &v, 4);
      return Status::OK();
    }
    case FieldType::kLong: {
      int64_t v;
      if (!ParseNumber(value, &v)) return error(Quote(value) + " is not a valid long");
      std::memcpy(dst, &v, 8);
      return Status::OK();
    }
    case FieldType::kFloat: {
      float v;
      if (!ParseNumber(value, &v)) return error(Quote(value) + " is not a valid float");
      std::memcpy(dst, &v, 4);
      return Status::OK();
    }
    case FieldType::kDouble: {
      double v;
      if (!ParseNumber(value, &v)) return error(Quote(value) + " is not a valid double");
      std::memcpy(dst, &v, 8);
      return Status::OK();
    }
    case FieldType::kBoolean: {
      uint8_t v;
      if (value == "true") {
        v = 1;
      } else if (value == "false") {
        v = 0;
      } else {
        return error(Quote(value) + " is not a valid boolean; use true or false");
      }
      *dst = static_cast<char>(v);
      return Status::OK();
    }
  }
  return Status::OK();
}

Status Importer::ParseChunk(Worker* worker, Task* task) const {
  CsvChunk& chunk = task->chunk;
  CsvParser parser(chunk.data.data() + task->start_offset, chunk.data.size() - task->start_offset,
                   task->start_line);
  parser.set_column_names(&header_);
  // A chunk holds at most one record more than it has newlines, so size buffers once.
  const size_t capacity = static_cast<size_t>(chunk.num_lines) + 1;
  task->columns.resize(plan_.size());
  task->new_keys.resize(plan_.size());
  worker->pending.resize(plan_.size());
  std::vector<size_t> dictionary_sizes(plan_.size(), 0);
  for (size_t c = 0; c < plan_.size(); ++c) {
    ColumnBuffer& column = task->columns[c];
    column.values.resize(capacity * plan_[c].width);
    column.validity.resize(plan_[c].field->nullable ? capacity : 0);
    if (worker->dictionaries[c]) {
      dictionary_sizes[c] = worker->dictionaries[c]->size();
      worker->pending[c].resize(capacity);
    }
    task->new_keys[c].clear();
  }
  std::vector<std::string_view>& fields = worker->fields;
  uint32_t row = 0;
  while (true) {
    bool has_record = false;
    TAILOR_RETURN_IF_ERROR(parser.Next(&fields, &has_record));
    if (!has_record) break;
    if (fields.size() != header_.size()) {
      return Status::InvalidInput(
          "Line " + std::to_string(parser.line()) + ": expected " + std::to_string(header_.size()) +
          " values as in the header, found " + std::to_string(fields.size()));
    }
    for (size_t c = 0; c < plan_.size(); ++c) {
      const int index = plan_[c].csv_index;
      std::string_view value = index >= 0 ? fields[index] : std::string_view();
      TAILOR_RETURN_IF_ERROR(ConvertValue(worker, c, value, row, &task->columns[c], parser));
    }
    ++row;
  }
  task->rows = row;
  for (size_t c = 0; c < plan_.size(); ++c) {
    ColumnBuffer& column = task->columns[c];
    if (worker->dictionaries[c]) {
      InternPending(worker, c, row, plan_[c].field->nullable, &column);
    }
    column.values.resize(static_cast<size_t>(row) * plan_[c].width);
    if (!column.validity.empty()) column.validity.resize(row);
    if (const IdDictionary* dictionary = worker->dictionaries[c].get()) {
      for (size_t code = dictionary_sizes[c]; code < dictionary->size(); ++code) {
        task->new_keys[c].push_back(dictionary->key(static_cast<uint32_t>(code)));
      }
    }
  }
  return Status::OK();
}

void Importer::WorkerLoop(int id) {
  Worker* worker = &workers_[id];
  while (true) {
    Task* task;
    {
      std::unique_lock lock(mu_);
      work_cv_.wait(lock, [&] { return stop_ || !queue_.empty(); });
      if (stop_) return;
      task = queue_.front();
      queue_.pop_front();
    }
    task->worker = id;
    Status status = ParseChunk(worker, task);
    {
      std::lock_guard lock(mu_);
      task->status = std::move(status);
      task->done = true;
    }
    done_cv_.notify_all();
  }
}

Status Importer::Merge(Task* task) {
  for (size_t c = 0; c < plan_.size(); ++c) {
    if (!global_[c]) continue;
    std::vector<uint32_t>& to_global = to_global_[task->worker][c];
    for (std::string_view key : task->new_keys[c]) to_global.push_back(global_[c]->Intern(key));
    char* values = task->columns[c].values.data();
    for (uint32_t r = 0; r < task->rows; ++r) {
      uint32_t code;
      std::memcpy(&code, values + 4 * static_cast<size_t>(r), 4);
      if (code != kNullCode) code = to_global[code];
      std::memcpy(values + 4 * static_cast<size_t>(r), &code, 4);
    }
  }
  if (task->rows > 0) TAILOR_RETURN_IF_ERROR(writer_->AppendBlock(task->rows, task->columns));
  rows_ += task->rows;
  if (options_.progress && rows_ >= next_progress_) {
    options_.progress(rows_);
    next_progress_ = (rows_ / kProgressEvery + 1) * kProgressEvery;
  }
  return Status::OK();
}

StatusOr<CsvImportStats> Importer::Run(Env* env, const std::string& csv_path,
                                       const std::string& segment_path) {
  TAILOR_ASSIGN_OR_RETURN(auto file, FileReader::Open(env, csv_path));
  if (file->size() == 0) return Status::InvalidInput("The CSV file is empty: it has no header row");
  CsvChunker chunker(file.get(), kChunkBytes);

  auto first = std::make_unique<Task>();
  bool done = false;
  TAILOR_RETURN_IF_ERROR(chunker.Next(&first->chunk, &done));
  first->start_line = first->chunk.first_line;
  TAILOR_RETURN_IF_ERROR(ParseHeader(first.get()));

  std::vector<SegmentColumn> columns;
  for (const ColumnPlan& plan : plan_) {
    columns.push_back(SegmentColumn{plan.field->name, plan.field->type, plan.field->nullable});
  }
  TAILOR_ASSIGN_OR_RETURN(writer_, SegmentWriter::Create(env, segment_path, type_, columns));

  const int threads = std::max(1, options_.threads);
  workers_.resize(threads);
  to_global_.assign(threads, std::vector<std::vector<uint32_t>>(plan_.size()));
  global_.resize(plan_.size());
  for (size_t c = 0; c < plan_.size(); ++c) {
    if (plan_[c].field->type != FieldType::kString) continue;
    global_[c] = std::make_unique<IdDictionary>();
    for (Worker& worker : workers_) {
      worker.dictionaries.resize(plan_.size());
      worker.dictionaries[c] = std::make_unique<IdDictionary>();
    }
  }
  for (Worker& worker : workers_) worker.dictionaries.resize(plan_.size());

  std::vector<std::thread> threads_;
  for (int i = 0; i < threads; ++i) threads_.emplace_back([this, i] { WorkerLoop(i); });

  // Two chunks per worker keep every worker busy while the reader merges.
  const size_t max_in_flight = 2 * static_cast<size_t>(threads);
  std::deque<std::unique_ptr<Task>> in_flight;
  std::vector<std::unique_ptr<Task>> free_tasks;
  auto submit = [&](std::unique_ptr<Task> task) {
    {
      std::lock_guard lock(mu_);
      queue_.push_back(task.get());
    }
    in_flight.push_back(std::move(task));
    work_cv_.notify_one();
  };
  Status status;
  if (!done) submit(std::move(first));
  while (status.ok()) {
    while (!done && in_flight.size() < max_in_flight) {
      if (Cancelled()) break;
      std::unique_ptr<Task> task;
      if (free_tasks.empty()) {
        task = std::make_unique<Task>();
      } else {
        task = std::move(free_tasks.back());
        free_tasks.pop_back();
      }
      status = chunker.Next(&task->chunk, &done);
      if (!status.ok() || done) break;
      task->start_offset = 0;
      task->start_line = task->chunk.first_line;
      task->done = false;
      submit(std::move(task));
    }
    if (!status.ok()) break;
    if (Cancelled()) {
      status = Status::Unavailable("The import was cancelled");
      break;
    }
    if (in_flight.empty()) break;
    Task* front = in_flight.front().get();
    {
      std::unique_lock lock(mu_);
      done_cv_.wait(lock, [&] { return front->done; });
    }
    status = front->status;
    if (status.ok()) status = Merge(front);
    free_tasks.push_back(std::move(in_flight.front()));
    in_flight.pop_front();
  }
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  work_cv_.notify_all();
  for (std::thread& thread : threads_) thread.join();
  TAILOR_RETURN_IF_ERROR(status);

  if (rows_ == 0) return Status::InvalidInput("The CSV file has a header but no data rows");
  if ((type_ == DatasetType::kInteractions || type_ == DatasetType::kActionInteractions) &&
      rows_ < kMinInteractionRows) {
    return Status::InvalidInput(std::string(DatasetTypeName(type_)) + " imports need at least " +
                                std::to_string(kMinInteractionRows) + " rows; the file has " +
                                std::to_string(rows_));
  }
  std::vector<std::vector<std::string_view>> dictionaries(plan_.size());
  for (size_t c = 0; c < plan_.size(); ++c) {
    if (!global_[c]) continue;
    dictionaries[c].reserve(global_[c]->size());
    for (uint32_t code = 0; code < global_[c]->size(); ++code) {
      dictionaries[c].push_back(global_[c]->key(code));
    }
  }
  TAILOR_RETURN_IF_ERROR(writer_->Finish(dictionaries));
  if (options_.progress) options_.progress(rows_);
  return CsvImportStats{rows_, static_cast<int64_t>(chunker.bytes_read())};
}

}  // namespace

StatusOr<CsvImportStats> WriteSegmentFromCsv(Env* env, const std::string& csv_path,
                                             const Schema& schema, DatasetType type,
                                             const ImportOptions& options,
                                             const std::string& segment_path) {
  Importer importer(schema, type, options);
  return importer.Run(env, csv_path, segment_path);
}

}  // namespace tailor::data
