// DatasetStore: the durable rows of one dataset, as immutable columnar segment files listed by
// a manifest (docs/formats/segment.md). An import writes a new segment and then swaps the
// manifest atomically, so a failed or interrupted import leaves the dataset exactly as it was
// and a restart sees the last committed state without re-importing.
// Thread-safety: all methods are safe to call concurrently; imports into one dataset are
// serialized by the store.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "common/env.h"
#include "common/status.h"
#include "common/status_or.h"
#include "data/schema.h"
#include "data/table.h"

namespace tailor::data {

enum class ImportMode { kFull, kIncremental };

struct ImportOptions {
  ImportMode mode = ImportMode::kFull;
  // Called now and then (about every million rows, and at the end) with rows read so far.
  std::function<void(int64_t rows_done)> progress;
  // When set and becoming true, the import stops with Unavailable and nothing is committed.
  const std::atomic<bool>* cancel = nullptr;
  // Parser threads.
  int threads = 2;
};

struct ImportResult {
  int64_t rows = 0;        // rows committed by this import
  int64_t bytes_read = 0;  // size of the CSV read
};

class DatasetStore {
 public:
  // Opens the dataset stored under folder `dir` (created if needed) with the dataset's schema
  // and type. Borrowed `env` must outlive the store.
  static StatusOr<std::unique_ptr<DatasetStore>> Open(Env* env, const std::string& dir,
                                                      const Schema& schema, DatasetType type);

  virtual ~DatasetStore() = default;

  // Streams the CSV at `csv_path` (a header row naming schema fields in any order; RFC 4180
  // quoting; "" or \" escapes), checks every row against the schema, dictionary-encodes ids and
  // strings, writes a segment and commits it: kFull replaces all earlier imported rows,
  // kIncremental appends (for Items and Users a later row replaces an earlier one with the same
  // id). On error nothing changes and the Status is InvalidInput with a message naming the
  // file's line and column (missing/unknown column, wrong type, bad UTF-8, empty file, too
  // few rows...), NotFound for a missing file, Unavailable when cancelled.
  virtual StatusOr<ImportResult> ImportCsv(const std::string& csv_path,
                                           const ImportOptions& options) = 0;

  // Committed row count across all segments.
  virtual int64_t num_rows() const = 0;

  // Whether any import has been committed (INCREMENTAL needs an earlier import).
  virtual bool has_imports() const = 0;

  // Reads every committed interaction back, merged across segments in import order, with
  // dense user, item and event-type indices. InvalidInput when the dataset's schema lacks
  // USER_ID, ITEM_ID or TIMESTAMP; Internal when a segment is unreadable or corrupt.
  // Runs concurrently with an import (which waits for it before deleting replaced segments).
  virtual StatusOr<InteractionTable> LoadInteractions() const = 0;

  // Reads every committed row back, one column per schema field. For Items and Users a later
  // row replaces an earlier one with the same id (ITEM_ID / USER_ID), within an import and
  // across imports; the survivors keep the order of their last occurrence. Internal when a
  // segment is unreadable or corrupt.
  virtual StatusOr<DatasetTable> ReadTable() const = 0;
};

}  // namespace tailor::data
