// WriteSegmentFromCsv: the parse-validate-encode half of DatasetStore::ImportCsv. Streams a CSV
// through CsvChunker, parses and checks chunks on `options.threads` threads with per-thread
// dictionaries, merges their codes in file order into one dictionary per string column and
// writes the rows as a segment file. Committing the segment (manifest swap) is the store's job.
// Thread-safety: a free function; concurrent calls must write different segment paths.
#pragma once

#include <cstdint>
#include <string>

#include "common/env.h"
#include "common/status_or.h"
#include "data/dataset_store.h"
#include "data/schema.h"

namespace tailor::data {

struct CsvImportStats {
  int64_t rows = 0;
  int64_t bytes_read = 0;
};

// Reads `csv_path` and writes a finished (fsynced, closed) segment at `segment_path`. On error
// the segment file may be left behind partially written; the caller removes it. Errors are
// those of DatasetStore::ImportCsv.
StatusOr<CsvImportStats> WriteSegmentFromCsv(Env* env, const std::string& csv_path,
                                             const Schema& schema, DatasetType type,
                                             const ImportOptions& options,
                                             const std::string& segment_path);

// Fewest rows an Interactions import may have (personalize-semantics.md §3.2).
inline constexpr int64_t kMinInteractionRows = 1000;

}  // namespace tailor::data
