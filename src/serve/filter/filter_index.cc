#include "serve/filter/filter_index.h"

#include <utility>

#include "data/table.h"
#include "serve/filter/column_index.h"

namespace tailor::serve {

FilterIndex::~FilterIndex() = default;

StatusOr<std::unique_ptr<FilterIndex>> FilterIndex::BuildCatalogue(
    FilterTarget target, std::span<const std::string> ids,
    std::shared_ptr<const data::DatasetTable> entities, std::string_view entity_id_column,
    std::shared_ptr<const data::DatasetTable> users) {
  std::unique_ptr<FilterIndex> index(new FilterIndex());
  index->target_ = target;
  index->size_ = ids.size();
  if (entities) {
    TAILOR_ASSIGN_OR_RETURN(index->entities_,
                            TableIndex::Build(std::move(entities), entity_id_column, ids,
                                              /*index_columns=*/true));
  }
  if (users) {
    TAILOR_ASSIGN_OR_RETURN(index->requesting_users_,
                            TableIndex::Build(std::move(users), "USER_ID", {},
                                              /*index_columns=*/false));
  }
  return index;
}

StatusOr<std::unique_ptr<FilterIndex>> FilterIndex::ForItems(
    std::span<const std::string> item_ids, std::shared_ptr<const data::DatasetTable> items,
    std::shared_ptr<const data::DatasetTable> users) {
  return BuildCatalogue(FilterTarget::kItemId, item_ids, std::move(items), "ITEM_ID",
                        std::move(users));
}

StatusOr<std::unique_ptr<FilterIndex>> FilterIndex::ForActions(
    std::span<const std::string> action_ids, std::shared_ptr<const data::DatasetTable> actions,
    std::shared_ptr<const data::DatasetTable> users) {
  return BuildCatalogue(FilterTarget::kActionId, action_ids, std::move(actions), "ACTION_ID",
                        std::move(users));
}

StatusOr<std::unique_ptr<FilterIndex>> FilterIndex::ForUsers(
    std::span<const std::string> user_ids, std::shared_ptr<const data::DatasetTable> users,
    const data::InteractionTable* interactions) {
  std::unique_ptr<FilterIndex> index(new FilterIndex());
  index->target_ = FilterTarget::kUserId;
  index->size_ = user_ids.size();
  if (users) {
    TAILOR_ASSIGN_OR_RETURN(index->entities_, TableIndex::Build(std::move(users), "USER_ID",
                                                                user_ids, /*index_columns=*/true));
  }
  if (interactions != nullptr) {
    index->user_events_ =
        std::make_unique<const UserEventIndex>(UserEventIndex::Build(user_ids, *interactions));
  }
  return index;
}

}  // namespace tailor::serve
