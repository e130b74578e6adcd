// Serving-time filter state of one Deployment (a solution version's snapshot): what filters are
// evaluated against (the FilterIndex over the model's items with the dataset group's Items and
// Users tables, and each user's latest interactions per event type), and the FilterEvaluator
// of every filter used with that snapshot. Core-internal: filters.cc builds it, runtime.cc uses
// it through ControlPlane::FilterExclusion.
// Thread-safety: a FilterSnapshot is immutable once built; FilterCache is guarded by its mutex.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/string_map.h"
#include "serve/filter/filter_evaluator.h"
#include "serve/filter/filter_index.h"
#include "serve/metadata/item_tokens.h"

namespace tailor::core {

// The Interactions dataset, reduced to what Interactions conditions may see (§9): for each
// user of the dataset, the latest 100 interactions per event type. Row r of user_rows[user id]
// spans [indptr[r], indptr[r + 1]) of items / event_types (items the model knows) and
// [new_indptr[r], new_indptr[r + 1]) of new_items / new_event_types (items new since the
// training, kept by id: whether one has an Items row is read at request time, since PutItems
// can give it one without this being rebuilt).
struct UserInteractions {
  std::vector<std::string> event_type_names;  // event type index -> EVENT_TYPE as imported
  std::unordered_map<std::string, uint32_t> user_rows;
  std::vector<int64_t> indptr{0};
  std::vector<int32_t> items;         // the model's dense item index
  std::vector<uint32_t> event_types;  // index into event_type_names; kNoEventType = none
  std::vector<std::string> new_item_ids;
  std::vector<int64_t> new_indptr{0};
  std::vector<uint32_t> new_items;  // index into new_item_ids
  std::vector<uint32_t> new_event_types;
  static constexpr uint32_t kNoEventType = UINT32_MAX;
};

// The data a deployment's filters read, as of one filter data generation.
struct FilterSnapshot {
  // ControlPlane::filter_data_generation_ read before the data was: a later import, PutItems
  // or PutUsers makes the snapshot stale.
  uint64_t generation = 0;
  // ControlPlane::interactions_generation_ read before the interactions were: the next
  // snapshot reuses `interactions` (the costly part: every imported interaction, sorted) when
  // only Items or Users changed.
  uint64_t interactions_generation = 0;
  // Empty (never null) when the snapshot was built without them: has_interactions says which.
  std::shared_ptr<const UserInteractions> interactions;
  bool has_interactions = false;
  // Over the model's items, then the Items rows the model does not know (new since the
  // training), so that filters also decide for those; never null.
  std::shared_ptr<const serve::FilterIndex> index;
  // Those rows' ITEM_IDs → their index in `index`'s catalogue (from the model's item count on).
  StringMap<int32_t> new_item_index;
  // The last entry of `index`'s catalogue, one without an Items row: how a filter judges an
  // item new since the training that has none (one seen only in events), whose metadata
  // conditions then match nothing.
  int32_t rowless_item = -1;
  // The Items dataset (null when the group has none) and ITEM_ID → its row, for
  // metadataColumns.
  std::shared_ptr<const data::DatasetTable> items_table;
  std::unordered_map<std::string, int64_t> item_rows;
  // Per Items row, the model's index of its item (-1 for an item the model does not know), so
  // that exploration and ItemTokens walk the rows without a lookup by id; filled whenever
  // items_table has an ITEM_ID column.
  std::vector<int32_t> item_row_model_index;
  // The Items rows' categorical metadata as tokens, for items the model does not know (SIMS
  // for a new item, exploration's choice of new items); null without an Items dataset.
  std::shared_ptr<const serve::ItemTokens> item_tokens;
  // The Users dataset (null when the group has none) and USER_ID → its row, for the metadata
  // of users without history.
  std::shared_ptr<const data::DatasetTable> users_table;
  std::unordered_map<std::string, int64_t> users_table_rows;
};

// One filter bound to a snapshot. A filter deleted and re-created under the same name gets a new
// creation time, which tells the cache that the expression may differ.
struct CachedFilter {
  int64_t created_micros = 0;
  std::shared_ptr<const serve::FilterEvaluator> evaluator;
};

struct FilterCache {
  std::mutex mu;
  // Protected by mu: the current snapshot (null before the first filtered request) and, for it,
  // filter ARN -> evaluator.
  std::shared_ptr<const FilterSnapshot> snapshot;
  std::map<std::string, CachedFilter, std::less<>> filters;
};

}  // namespace tailor::core
