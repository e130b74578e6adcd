// The segment-and-manifest DatasetStore (docs/formats/segment.md describes both files).
//
// Commit protocol: the import writes `seg-<generation>.tsg.tmp`, fsyncs it, renames it to
// `seg-<generation>.tsg`, fsyncs the folder, then replaces MANIFEST atomically. Until that last
// step the old manifest is in force, so a crash or error anywhere leaves the previous state;
// files the manifest does not list are garbage and removed when the store is next opened.
#include "data/dataset_store.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <deque>
#include <mutex>
#include <shared_mutex>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "data/csv_import.h"
#include "data/csv_writer.h"
#include "data/id_dictionary.h"
#include "data/segment.h"

namespace tailor::data {
namespace {

using Json = nlohmann::json;

constexpr char kManifestName[] = "MANIFEST";
constexpr int kManifestVersion = 1;
// An Items or Users dataset with more segments than this after an incremental import is
// rewritten as one (PutItems and PutUsers commit one small segment per call; without this every
// read would open thousands of files and keep every superseded row).
constexpr size_t kCompactAfterSegments = 16;

// Writes `table` as a CSV that WriteSegmentFromCsv reads back to the same rows.
std::string TableAsCsv(const DatasetTable& table) {
  std::string out;
  for (size_t f = 0; f < table.columns.size(); ++f) {
    if (f > 0) out.push_back(',');
    AppendCsvField(out, table.columns[f].field.name);
  }
  out.push_back('\n');
  for (size_t row = 0; row < static_cast<size_t>(table.num_rows); ++row) {
    for (size_t f = 0; f < table.columns.size(); ++f) {
      if (f > 0) out.push_back(',');
      const TableColumn& c = table.columns[f];
      if (!c.valid[row]) continue;  // an empty field reads back as null
      switch (c.field.type) {
        case FieldType::kString:
          AppendCsvField(out, c.StringAt(row));
          break;
        case FieldType::kInt:
        case FieldType::kLong:
          out += std::to_string(c.ints[row]);
          break;
        case FieldType::kBoolean:
          out += c.ints[row] != 0 ? "true" : "false";
          break;
        case FieldType::kFloat:
        case FieldType::kDouble:
          out += fmt::format("{}", c.doubles[row]);  // shortest form that reads back exactly
          break;
      }
    }
    out.push_back('\n');
  }
  return out;
}

struct SegmentEntry {
  std::string file;  // name inside the dataset folder
  int64_t rows = 0;
};

std::string SegmentName(int64_t generation) {
  char name[32];
  std::snprintf(name, sizeof(name), "seg-%08lld.tsg", static_cast<long long>(generation));
  return name;
}

// Maps the codes of one segment's dictionary onto a dictionary merged across segments.
std::vector<uint32_t> MergeDictionary(const std::vector<std::string>& segment_keys,
                                      IdDictionary* merged) {
  std::vector<uint32_t> map(segment_keys.size());
  for (size_t i = 0; i < segment_keys.size(); ++i) map[i] = merged->Intern(segment_keys[i]);
  return map;
}

std::vector<std::string> DictionaryKeys(const IdDictionary& dictionary) {
  std::vector<std::string> keys;
  keys.reserve(dictionary.size());
  for (uint32_t code = 0; code < dictionary.size(); ++code) {
    keys.emplace_back(dictionary.key(code));
  }
  return keys;
}

class SegmentDatasetStore final : public DatasetStore {
 public:
  SegmentDatasetStore(Env* env, std::string dir, Schema schema, DatasetType type)
      : env_(env), dir_(std::move(dir)), schema_(std::move(schema)), type_(type) {}

  Status Load();

  StatusOr<ImportResult> ImportCsv(const std::string& csv_path,
                                   const ImportOptions& options) override;
  int64_t num_rows() const override {
    std::shared_lock lock(mu_);
    int64_t rows = 0;
    for (const SegmentEntry& segment : segments_) rows += segment.rows;
    return rows;
  }
  bool has_imports() const override {
    std::shared_lock lock(mu_);
    return generation_ > 0;
  }
  StatusOr<InteractionTable> LoadInteractions() const override;
  StatusOr<DatasetTable> ReadTable() const override;

 private:
  // Rewrites the newest segments as one holding what they read back as (a later row with the
  // same id replaces an earlier one), and commits the shorter list. Size-tiered: it merges the
  // tail that starts after the last segment holding more rows than all later ones together
  // (at least the newer half), so a big base segment is rewritten only once the small ones add
  // up to it. REQUIRES: import_mu_ held.
  Status Compact();
  // Writes a segment from `csv_path` and commits segments_[0, keep) followed by it; the segments
  // after `keep` are deleted. Internal when expected_rows >= 0 and the segment holds another
  // number of rows. Nothing changes on error. REQUIRES: import_mu_ held.
  StatusOr<ImportResult> CommitCsv(const std::string& csv_path, const ImportOptions& options,
                                   size_t keep, int64_t expected_rows = -1);
  // ReadTable over `segments`. REQUIRES: mu_ held (shared) or import_mu_ held.
  StatusOr<DatasetTable> ReadSegments(const std::vector<SegmentEntry>& segments) const;
  std::string PathOf(const std::string& name) const { return dir_ + "/" + name; }
  Status WriteManifest(int64_t generation, const std::vector<SegmentEntry>& segments);
  // Opens a committed segment, checking that it belongs to this dataset.
  StatusOr<std::unique_ptr<SegmentReader>> OpenSegment(const SegmentEntry& entry,
                                                       bool verify_crc) const;
  // For each schema field, the index of the segment column with its name, or -1.
  StatusOr<std::vector<int>> MatchColumns(const SegmentReader& reader) const;

  Env* const env_;
  const std::string dir_;
  const Schema schema_;
  const DatasetType type_;

  // Serializes imports: one writer of segments and manifests at a time.
  std::mutex import_mu_;
  // Guards the committed state below. Readers (LoadInteractions, ReadTable) hold it shared for
  // their whole read, so a FULL import cannot delete the segments they are reading.
  mutable std::shared_mutex mu_;
  int64_t generation_ = 0;  // 0: nothing committed yet
  std::vector<SegmentEntry> segments_;
};

Status SegmentDatasetStore::Load() {
  TAILOR_RETURN_IF_ERROR(env_->CreateDirs(dir_));
  const std::string manifest_path = PathOf(kManifestName);
  if (env_->FileExists(manifest_path)) {
    TAILOR_ASSIGN_OR_RETURN(std::string text, env_->ReadFile(manifest_path));
    try {
      Json manifest = Json::parse(text);
      if (manifest.at("version").get<int>() != kManifestVersion) {
        return Status::Internal("manifest " + manifest_path + " has an unsupported version");
      }
      if (manifest.at("type").get<std::string>() != DatasetTypeName(type_)) {
        return Status::Internal("manifest " + manifest_path + " belongs to another dataset type");
      }
      generation_ = manifest.at("generation").get<int64_t>();
      for (const Json& segment : manifest.at("segments")) {
        segments_.push_back(
            SegmentEntry{segment.at("file").get<std::string>(), segment.at("rows").get<int64_t>()});
      }
    } catch (const Json::exception& e) {
      return Status::Internal("manifest " + manifest_path + " is corrupt: " + e.what());
    }
    // A corrupt segment must fail loudly rather than silently lose rows.
    for (const SegmentEntry& segment : segments_) {
      TAILOR_RETURN_IF_ERROR(OpenSegment(segment, /*verify_crc=*/true).status());
    }
  }
  // Remove leftovers of imports that failed or crashed before their manifest swap, and
  // segments a FULL import replaced but did not get to delete.
  TAILOR_ASSIGN_OR_RETURN(auto names, env_->ListDir(dir_));
  for (const std::string& name : names) {
    if (name.rfind("seg-", 0) != 0) continue;
    bool live = false;
    for (const SegmentEntry& segment : segments_) live |= segment.file == name;
    if (!live) (void)env_->RemoveAll(PathOf(name));
  }
  return Status::OK();
}

StatusOr<std::unique_ptr<SegmentReader>> SegmentDatasetStore::OpenSegment(const SegmentEntry& entry,
                                                                          bool verify_crc) const {
  const std::string path = PathOf(entry.file);
  auto reader = SegmentReader::Open(env_, path, verify_crc);
  if (!reader.ok()) {
    Status s = reader.status();
    // A listed segment that vanished is corruption of the dataset, not a missing resource.
    if (s.IsNotFound())
      return Status::Internal("segment " + path + " listed in the manifest is missing");
    return s;
  }
  if ((*reader)->type() != type_ || (*reader)->num_rows() != entry.rows) {
    return Status::Internal("segment " + path + " does not match the manifest");
  }
  return reader;
}

Status SegmentDatasetStore::WriteManifest(int64_t generation,
                                          const std::vector<SegmentEntry>& segments) {
  Json manifest = {{"version", kManifestVersion},
                   {"type", std::string(DatasetTypeName(type_))},
                   {"generation", generation},
                   {"segments", Json::array()}};
  for (const SegmentEntry& segment : segments) {
    manifest["segments"].push_back({{"file", segment.file}, {"rows", segment.rows}});
  }
  return env_->WriteFileAtomically(PathOf(kManifestName), manifest.dump(1));
}

StatusOr<ImportResult> SegmentDatasetStore::ImportCsv(const std::string& csv_path,
                                                      const ImportOptions& options) {
  std::lock_guard import_lock(import_mu_);
  size_t keep = 0;
  if (options.mode == ImportMode::kIncremental) {
    std::shared_lock lock(mu_);
    keep = segments_.size();
  }
  TAILOR_ASSIGN_OR_RETURN(const ImportResult result, CommitCsv(csv_path, options, keep));
  if ((type_ == DatasetType::kItems || type_ == DatasetType::kUsers) &&
      options.mode == ImportMode::kIncremental && segments_.size() > kCompactAfterSegments) {
    // The import is committed whatever happens here; a failed compaction leaves the segments
    // as they are and is tried again after the next import.
    Status compacted = Compact();
    if (!compacted.ok()) {
      spdlog::warn("dataset {}: compacting {} segments failed: {}", dir_, segments_.size(),
                   compacted.ToString());
    }
  }
  return result;
}

StatusOr<ImportResult> SegmentDatasetStore::CommitCsv(const std::string& csv_path,
                                                      const ImportOptions& options, size_t keep,
                                                      int64_t expected_rows) {
  int64_t generation;
  {
    std::shared_lock lock(mu_);
    generation = generation_ + 1;
  }
  const std::string name = SegmentName(generation);
  const std::string tmp_path = PathOf(name + ".tmp");
  auto stats = WriteSegmentFromCsv(env_, csv_path, schema_, type_, options, tmp_path);
  if (!stats.ok()) {
    (void)env_->RemoveAll(tmp_path);
    return stats.status();
  }
  if (expected_rows >= 0 && stats->rows != expected_rows) {
    (void)env_->RemoveAll(tmp_path);
    return Status::Internal("compaction read back a different number of rows");
  }
  if (options.cancel != nullptr && options.cancel->load()) {
    (void)env_->RemoveAll(tmp_path);
    return Status::Unavailable("The import was cancelled");
  }
  Status s = env_->Rename(tmp_path, PathOf(name));
  if (s.ok()) s = env_->SyncDir(dir_);
  if (!s.ok()) {
    (void)env_->RemoveAll(tmp_path);
    (void)env_->RemoveAll(PathOf(name));
    return s;
  }

  std::unique_lock lock(mu_);
  std::vector<SegmentEntry> next(segments_.begin(), segments_.begin() + keep);
  next.push_back(SegmentEntry{name, stats->rows});
  s = WriteManifest(generation, next);
  if (!s.ok()) {
    // The old manifest may or may not have been replaced; only a reopen can tell, so keep
    // the new segment file (Load removes it if it is not listed).
    return s;
  }
  generation_ = generation;
  // Delete replaced segments under the lock, so no reader is still using them.
  for (size_t k = keep; k < segments_.size(); ++k) (void)env_->RemoveAll(PathOf(segments_[k].file));
  segments_ = std::move(next);
  return ImportResult{stats->rows, stats->bytes_read};
}

Status SegmentDatasetStore::Compact() {
  // Only imports change the segment list, and this one holds import_mu_.
  std::vector<SegmentEntry> segments;
  {
    std::shared_lock lock(mu_);
    segments = segments_;
  }
  std::vector<int64_t> later(segments.size() + 1, 0);  // rows in segments after index k
  for (size_t k = segments.size(); k-- > 0;) later[k] = later[k + 1] + segments[k].rows;
  size_t first = 0;
  while (first + 1 < segments.size() && segments[first].rows > later[first + 1]) ++first;
  // Sizes that halve from one segment to the next would leave nothing to merge: take at least
  // the newer half.
  first = std::min(first, segments.size() / 2);
  const std::vector<SegmentEntry> merged(segments.begin() + first, segments.end());
  TAILOR_ASSIGN_OR_RETURN(DatasetTable table, ReadSegments(merged));
  const std::string csv_path = PathOf("seg-compact.csv.tmp");
  Status s = env_->WriteFileAtomically(csv_path, TableAsCsv(table));
  if (s.ok()) {
    ImportOptions options;
    options.mode = ImportMode::kFull;
    options.threads = 1;
    s = CommitCsv(csv_path, options, first, table.num_rows).status();
  }
  (void)env_->RemoveAll(csv_path);
  return s;
}

StatusOr<std::vector<int>> SegmentDatasetStore::MatchColumns(const SegmentReader& reader) const {
  std::vector<int> match(schema_.fields.size(), -1);
  for (size_t f = 0; f < schema_.fields.size(); ++f) {
    const Field& field = schema_.fields[f];
    for (size_t c = 0; c < reader.columns().size(); ++c) {
      const SegmentColumn& column = reader.columns()[c];
      if (column.name != field.name) continue;
      if (column.type != field.type) {
        return Status::Internal("segment column '" + column.name + "' has type " +
                                std::string(FieldTypeName(column.type)) + " but the schema says " +
                                std::string(FieldTypeName(field.type)));
      }
      match[f] = static_cast<int>(c);
    }
  }
  return match;
}

// Reads code `row` of a string column and maps it to the merged dictionary; Internal when the
// code is out of range (the CRC is checked at open, but not again on every read).
inline Status MapCode(const ColumnBuffer& column, size_t row, const std::vector<uint32_t>& map,
                      uint32_t* out) {
  uint32_t code;
  std::memcpy(&code, column.values.data() + 4 * row, 4);
  if (code == kNullCode) {
    *out = kNullCode;
    return Status::OK();
  }
  if (code >= map.size()) return Status::Internal("segment holds a dictionary code out of range");
  *out = map[code];
  return Status::OK();
}

StatusOr<InteractionTable> SegmentDatasetStore::LoadInteractions() const {
  for (const char* required : {"USER_ID", "ITEM_ID", "TIMESTAMP"}) {
    if (schema_.Find(required) == nullptr) {
      return Status::InvalidInput(std::string("the dataset's schema has no ") + required +
                                  " field, so it holds no interactions");
    }
  }
  std::shared_lock lock(mu_);
  InteractionTable table;
  int64_t total = 0;
  for (const SegmentEntry& segment : segments_) total += segment.rows;
  const bool has_event_type = schema_.Find("EVENT_TYPE") != nullptr;
  const bool has_event_value = schema_.Find("EVENT_VALUE") != nullptr;
  table.users.reserve(total);
  table.items.reserve(total);
  table.timestamps.reserve(total);
  if (has_event_type) table.event_type_per_row.reserve(total);
  if (has_event_value) table.event_values.reserve(total);
  IdDictionary users, items, event_types;
  std::deque<IdDictionary> context_values;  // IdDictionary does not move
  for (const Field& field : schema_.fields) {
    if (IsContextField(field)) {
      table.context_columns.push_back({.name = field.name, .values = {}, .value_per_row = {}});
      table.context_columns.back().value_per_row.reserve(total);
      context_values.emplace_back();
    }
  }
  std::vector<ColumnBuffer> buffers;
  for (const SegmentEntry& segment : segments_) {
    TAILOR_ASSIGN_OR_RETURN(auto reader, OpenSegment(segment, /*verify_crc=*/false));
    auto column_of = [&](const char* name) {
      for (size_t c = 0; c < reader->columns().size(); ++c) {
        if (reader->columns()[c].name == name) return static_cast<int>(c);
      }
      return -1;
    };
    const int user_col = column_of("USER_ID");
    const int item_col = column_of("ITEM_ID");
    const int ts_col = column_of("TIMESTAMP");
    const int type_col = column_of("EVENT_TYPE");
    const int value_col = column_of("EVENT_VALUE");
    if (user_col < 0 || item_col < 0 || ts_col < 0 ||
        reader->columns()[user_col].type != FieldType::kString ||
        reader->columns()[item_col].type != FieldType::kString ||
        reader->columns()[ts_col].type != FieldType::kLong ||
        (type_col >= 0 && reader->columns()[type_col].type != FieldType::kString)) {
      return Status::Internal("segment " + segment.file + " lacks the interaction columns");
    }
    const auto user_map = MergeDictionary(reader->dictionary(user_col), &users);
    const auto item_map = MergeDictionary(reader->dictionary(item_col), &items);
    std::vector<uint32_t> type_map;
    if (type_col >= 0) type_map = MergeDictionary(reader->dictionary(type_col), &event_types);
    // Per context column: its position in the segment (-1: absent, all null) and code map.
    std::vector<int> context_col(table.context_columns.size(), -1);
    std::vector<std::vector<uint32_t>> context_map(table.context_columns.size());
    for (size_t c = 0; c < table.context_columns.size(); ++c) {
      context_col[c] = column_of(table.context_columns[c].name.c_str());
      if (context_col[c] >= 0 && reader->columns()[context_col[c]].type == FieldType::kString) {
        context_map[c] = MergeDictionary(reader->dictionary(context_col[c]), &context_values[c]);
      } else {
        context_col[c] = -1;
      }
    }
    const FieldType value_type =
        value_col >= 0 ? reader->columns()[value_col].type : FieldType::kFloat;
    for (size_t b = 0; b < reader->num_blocks(); ++b) {
      TAILOR_RETURN_IF_ERROR(reader->ReadBlock(b, &buffers));
      const size_t rows = reader->block_rows(b);
      for (size_t r = 0; r < rows; ++r) {
        uint32_t user = kNullCode;
        uint32_t item = kNullCode;
        TAILOR_RETURN_IF_ERROR(MapCode(buffers[user_col], r, user_map, &user));
        TAILOR_RETURN_IF_ERROR(MapCode(buffers[item_col], r, item_map, &item));
        if (user == kNullCode || item == kNullCode) {
          return Status::Internal("segment " + segment.file + " holds a null id");
        }
        table.users.push_back(user);
        table.items.push_back(item);
        int64_t ts;
        std::memcpy(&ts, buffers[ts_col].values.data() + 8 * r, 8);
        table.timestamps.push_back(ts);
        if (has_event_type) {
          uint32_t code = InteractionTable::kNoEventType;
          if (type_col >= 0) TAILOR_RETURN_IF_ERROR(MapCode(buffers[type_col], r, type_map, &code));
          table.event_type_per_row.push_back(code);
        }
        if (has_event_value) {
          float value = std::nanf("");
          if (value_col >= 0) {
            const ColumnBuffer& column = buffers[value_col];
            if (column.validity.empty() || column.validity[r] != 0) {
              if (value_type == FieldType::kDouble) {
                double v;
                std::memcpy(&v, column.values.data() + 8 * r, 8);
                value = static_cast<float>(v);
              } else if (value_type == FieldType::kFloat) {
                std::memcpy(&value, column.values.data() + 4 * r, 4);
              }
            }
          }
          table.event_values.push_back(value);
        }
        for (size_t c = 0; c < table.context_columns.size(); ++c) {
          uint32_t code = InteractionTable::kNoEventType;
          if (context_col[c] >= 0) {
            TAILOR_RETURN_IF_ERROR(MapCode(buffers[context_col[c]], r, context_map[c], &code));
          }
          table.context_columns[c].value_per_row.push_back(code);
        }
      }
    }
  }
  for (size_t c = 0; c < table.context_columns.size(); ++c) {
    table.context_columns[c].values = DictionaryKeys(context_values[c]);
  }
  table.user_ids = DictionaryKeys(users);
  table.item_ids = DictionaryKeys(items);
  table.event_types = DictionaryKeys(event_types);
  return table;
}

StatusOr<DatasetTable> SegmentDatasetStore::ReadTable() const {
  std::shared_lock lock(mu_);
  return ReadSegments(segments_);
}

StatusOr<DatasetTable> SegmentDatasetStore::ReadSegments(
    const std::vector<SegmentEntry>& segments) const {
  DatasetTable table;
  const size_t num_fields = schema_.fields.size();
  table.columns.resize(num_fields);
  std::vector<std::unique_ptr<IdDictionary>> merged(num_fields);
  for (size_t f = 0; f < num_fields; ++f) {
    table.columns[f].field = schema_.fields[f];
    if (schema_.fields[f].type == FieldType::kString) {
      merged[f] = std::make_unique<IdDictionary>();
    }
  }
  std::vector<ColumnBuffer> buffers;
  for (const SegmentEntry& segment : segments) {
    TAILOR_ASSIGN_OR_RETURN(auto reader, OpenSegment(segment, /*verify_crc=*/false));
    TAILOR_ASSIGN_OR_RETURN(std::vector<int> match, MatchColumns(*reader));
    std::vector<std::vector<uint32_t>> maps(num_fields);
    for (size_t f = 0; f < num_fields; ++f) {
      if (merged[f] && match[f] >= 0)
        maps[f] = MergeDictionary(reader->dictionary(match[f]), merged[f].get());
    }
    for (size_t b = 0; b < reader->num_blocks(); ++b) {
      TAILOR_RETURN_IF_ERROR(reader->ReadBlock(b, &buffers));
      const size_t rows = reader->block_rows(b);
      for (size_t f = 0; f < num_fields; ++f) {
        TableColumn& out = table.columns[f];
        const FieldType type = schema_.fields[f].type;
        for (size_t r = 0; r < rows; ++r) {
          bool valid = match[f] >= 0;
          const ColumnBuffer* in = valid ? &buffers[match[f]] : nullptr;
          if (valid && !in->validity.empty()) valid = in->validity[r] != 0;
          out.valid.push_back(valid ? 1 : 0);
          const char* p = valid ? in->values.data() + r * FieldWidth(type) : nullptr;
          switch (type) {
            case FieldType::kString: {
              uint32_t code = kNullCode;
              if (valid) TAILOR_RETURN_IF_ERROR(MapCode(*in, r, maps[f], &code));
              out.codes.push_back(code);
              break;
            }
            case FieldType::kInt: {
              int32_t v = 0;
              if (valid) std::memcpy(&v, p, 4);
              out.ints.push_back(v);
              break;
            }
            case FieldType::kLong: {
              int64_t v = 0;
              if (valid) std::memcpy(&v, p, 8);
              out.ints.push_back(v);
              break;
            }
            case FieldType::kBoolean:
              out.ints.push_back(valid ? (*p != 0) : 0);
              break;
            case FieldType::kFloat: {
              float v = std::nanf("");
              if (valid) std::memcpy(&v, p, 4);
              out.doubles.push_back(v);
              break;
            }
            case FieldType::kDouble: {
              double v = std::nan("");
              if (valid) std::memcpy(&v, p, 8);
              out.doubles.push_back(v);
              break;
            }
          }
        }
      }
      table.num_rows += static_cast<int64_t>(rows);
    }
  }
  for (size_t f = 0; f < num_fields; ++f) {
    if (merged[f]) table.columns[f].dictionary = DictionaryKeys(*merged[f]);
  }

  // Items and Users: keep only the last row of each id (§3.2).
  const char* id_name = type_ == DatasetType::kItems   ? "ITEM_ID"
                        : type_ == DatasetType::kUsers ? "USER_ID"
                                                       : nullptr;
  const int id_field = [&] {
    for (size_t f = 0; f < num_fields; ++f) {
      if (id_name != nullptr && schema_.fields[f].name == id_name &&
          schema_.fields[f].type == FieldType::kString) {
        return static_cast<int>(f);
      }
    }
    return -1;
  }();
  if (id_field < 0) return table;
  const std::vector<uint32_t>& ids = table.columns[id_field].codes;
  std::vector<int64_t> last(table.columns[id_field].dictionary.size(), -1);
  for (size_t r = 0; r < ids.size(); ++r) {
    if (ids[r] != kNullCode) last[ids[r]] = static_cast<int64_t>(r);
  }
  std::vector<uint8_t> keep(ids.size(), 0);
  int64_t kept = 0;
  for (size_t r = 0; r < ids.size(); ++r) {
    keep[r] = ids[r] != kNullCode && last[ids[r]] == static_cast<int64_t>(r);
    kept += keep[r];
  }
  if (kept == table.num_rows) return table;
  auto compact = [&keep](auto* values) {
    if (values->empty()) return;
    size_t w = 0;
    for (size_t r = 0; r < values->size(); ++r) {
      if (keep[r]) (*values)[w++] = (*values)[r];
    }
    values->resize(w);
  };
  for (TableColumn& column : table.columns) {
    compact(&column.codes);
    compact(&column.ints);
    compact(&column.doubles);
    compact(&column.valid);
  }
  table.num_rows = kept;
  return table;
}

}  // namespace

StatusOr<std::unique_ptr<DatasetStore>> DatasetStore::Open(Env* env, const std::string& dir,
                                                           const Schema& schema, DatasetType type) {
  auto store = std::make_unique<SegmentDatasetStore>(env, dir, schema, type);
  TAILOR_RETURN_IF_ERROR(store->Load());
  return std::unique_ptr<DatasetStore>(std::move(store));
}

}  // namespace tailor::data
