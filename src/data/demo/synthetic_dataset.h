// Synthetic demo data: writes Personalize-shaped interactions, items and users CSVs (plus their
// Avro schemas) that look like a film catalogue, for `tailor quickstart` and the benchmarks.
// The data has Zipf-like item popularity, heavy-tailed user activity, per-user genre tastes
// (so a recommender has something to learn), per-user increasing timestamps and items that
// appear over time. The output is a pure function of SyntheticOptions.
// Thread-safety: WriteSyntheticDataset is a free function with no shared state; concurrent
// calls are safe when they write to different folders.
#pragma once

#include <cstdint>
#include <string>

#include "common/env.h"
#include "common/status.h"
#include "common/status_or.h"

namespace tailor::data {

struct SyntheticOptions {
  // Number of distinct users in users.csv. Every user gets at least one interaction when
  // num_interactions >= num_users. REQUIRES: > 0.
  int64_t num_users = 2000;
  // Number of items in items.csv. REQUIRES: > 0.
  int64_t num_items = 1500;
  // Rows of interactions.csv, exactly. REQUIRES: >= 0.
  int64_t num_interactions = 100000;
  // Same seed and options, same bytes. All randomness comes from std::mt19937_64 (fully
  // specified by the standard) through our own distribution code, not std::*_distribution,
  // whose output differs between standard libraries; what could still differ across platforms
  // is the last bit of libm's log/exp/pow/cos, which may move a rare row.
  uint64_t seed = 42;
  // First possible interaction time, epoch seconds (default 2019-01-01T00:00:00Z).
  int64_t start_time = 1546300800;
  // Interactions fall in [start_time, start_time + span_seconds). REQUIRES: > 0.
  int64_t span_seconds = 3 * 365 * 86400;
  // Exponent s of the item popularity law: the item of popularity rank r (0-based) has weight
  // 1 / (r + 1)^s. 0 is uniform; about 1 resembles MovieLens. REQUIRES: >= 0.
  double item_zipf_exponent = 1.0;
  // Sigma of the log-normal from which each user's share of the interactions is drawn: 0 gives
  // every user the same count; 1.2 gives MovieLens-like heavy users. REQUIRES: >= 0.
  double user_activity_skew = 1.2;
  // Whether to write items.csv and users.csv.
  bool write_items = true;
  bool write_users = true;
};

// What a demo source wrote. Paths are absolute; a file's path is "" when it was not written.
struct DemoDatasetFiles {
  std::string interactions_csv, items_csv, users_csv;
  // Avro schema JSON texts for CreateSchema, matching the CSV headers; "" when the CSV is "".
  std::string interactions_schema, items_schema, users_schema;
  // Rows of interactions.csv and items.csv; num_users is the number of distinct users (rows of
  // users.csv when written, else distinct USER_IDs in the interactions).
  int64_t num_interactions = 0, num_items = 0, num_users = 0;
};

// Creates folder `dir` if needed and writes into it:
//   interactions.csv  USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE,EVENT_VALUE
//                     ids "u<n>" and "i<n>" (1-based); EVENT_TYPE is "click" (value 1),
//                     "watch" (value = fraction watched, 0.05..1) or "rating" (0.5..5 stars);
//                     rows grouped by user, timestamps non-decreasing within a user, and never
//                     before the item's CREATION_TIMESTAMP.
//   items.csv         ITEM_ID,GENRES,YEAR,CREATION_TIMESTAMP  (GENRES: 1-3 of 18 film genres
//                     joined by '|'; about 40% of items exist before start_time, the rest are
//                     created during the span)
//   users.csv         USER_ID,AGE_GROUP,COUNTRY
// Existing files of those names are overwritten; nothing is fsynced (it is throw-away demo
// data). Returns the paths, schemas and counts. InvalidInput naming the option when an option
// breaks its REQUIRES; the Env's error (Internal, ...) when a file cannot be written, in which
// case partial files may remain.
StatusOr<DemoDatasetFiles> WriteSyntheticDataset(Env* env, const std::string& dir,
                                                 const SyntheticOptions& options);

}  // namespace tailor::data
