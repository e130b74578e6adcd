// FilterIndex: what a filter is evaluated against, indexed once: a catalogue (the model's items,
// users or actions in dense-index order), its metadata table, and for item and action filters
// the Users table that IF CurrentUser reads. Build one per loaded model snapshot (and again when
// the metadata changes) and share it between all of a campaign's filters (FilterEvaluator).
// Thread-safety: immutable after construction; const methods are safe from any thread.
#pragma once

#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "common/status.h"
#include "common/status_or.h"
#include "serve/filter/filter_expression.h"

namespace tailor::data {
struct DatasetTable;
struct InteractionTable;
}  // namespace tailor::data

namespace tailor::serve {

class TableIndex;
struct UserEventIndex;

class FilterIndex {
 public:
  // For ItemID filters. `item_ids[i]` is the ITEM_ID of dense item index i (the model's order;
  // each id once; read only during the call). `items` (the Items dataset) and `users` (the Users
  // dataset, for IF CurrentUser) may be null when the dataset group has none; a filter that needs a
  // missing one fails in FilterEvaluator::Create. Items missing from `items` never match an Items
  // condition. InvalidInput when a table lacks its id column (ITEM_ID / USER_ID).
  static StatusOr<std::unique_ptr<FilterIndex>> ForItems(
      std::span<const std::string> item_ids, std::shared_ptr<const data::DatasetTable> items,
      std::shared_ptr<const data::DatasetTable> users);

  // For ActionID filters: as ForItems, with the Actions dataset (ACTION_ID). The requesting
  // user's action interactions come with each request.
  static StatusOr<std::unique_ptr<FilterIndex>> ForActions(
      std::span<const std::string> action_ids, std::shared_ptr<const data::DatasetTable> actions,
      std::shared_ptr<const data::DatasetTable> users);

  // For UserID filters (user segments). `user_ids[i]` is the USER_ID of dense user index i.
  // `users` (may be null) is the Users dataset. `interactions` (may be null; read only during
  // the call) gives, for Interactions conditions, which users have interactions of each event
  // type: all of them, not only the latest 100. InvalidInput when `users` lacks USER_ID.
  static StatusOr<std::unique_ptr<FilterIndex>> ForUsers(
      std::span<const std::string> user_ids, std::shared_ptr<const data::DatasetTable> users,
      const data::InteractionTable* interactions);

  ~FilterIndex();
  FilterIndex(const FilterIndex&) = delete;
  FilterIndex& operator=(const FilterIndex&) = delete;

  // Which filters this index serves.
  FilterTarget target() const { return target_; }
  // The number of catalogue entries; bitsets have BitsetWords(size()) = ceil(size / 64) words.
  size_t size() const { return size_; }

  // Layer-internal, for FilterEvaluator and tests. Each is null when its data was not given.
  // The catalogue's own metadata (Items, Actions or Users), indexed by column.
  const TableIndex* entities() const { return entities_.get(); }
  // Item and action filters: the Users table, rows only (for CurrentUser).
  const TableIndex* requesting_users() const { return requesting_users_.get(); }
  // User filters: the users with interactions of each event type.
  const UserEventIndex* user_events() const { return user_events_.get(); }

 private:
  FilterIndex() = default;
  // ForItems and ForActions: the catalogue's table indexed by column, plus Users rows.
  static StatusOr<std::unique_ptr<FilterIndex>> BuildCatalogue(
      FilterTarget target, std::span<const std::string> ids,
      std::shared_ptr<const data::DatasetTable> entities, std::string_view entity_id_column,
      std::shared_ptr<const data::DatasetTable> users);

  FilterTarget target_ = FilterTarget::kItemId;
  size_t size_ = 0;
  std::unique_ptr<const TableIndex> entities_;
  std::unique_ptr<const TableIndex> requesting_users_;
  std::unique_ptr<const UserEventIndex> user_events_;
};

}  // namespace tailor::serve
