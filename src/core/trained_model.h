// TrainedModel: what a solution version's training leaves behind and a campaign serves — the
// algo::Model plus the string ids of its dense user and item indices — and its durable form,
// the solution version artifact (docs/formats/model_artifact.md).
// Thread-safety: immutable once built or loaded; const access is safe from many threads.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/status_or.h"

namespace tailor::algo {
class ContextLift;
class Model;
class RecipeRegistry;
}  // namespace tailor::algo

namespace tailor::core {

struct TrainedModel {
  std::string recipe_name;            // e.g. "aws-user-personalization"
  std::vector<std::string> user_ids;  // dense user index -> USER_ID
  std::vector<std::string> item_ids;  // dense item index -> ITEM_ID
  // The model's event type index -> EVENT_TYPE (SelectedEvents::event_types).
  std::vector<std::string> event_types;
  std::shared_ptr<const algo::Model> model;
  // How the Interactions context columns go with the items; null when the recipe does not use
  // context or the dataset has no context column.
  std::shared_ptr<const algo::ContextLift> context;
  // The same counts over the Users dataset's categorical columns (the value of each event's
  // user), for users without history; null when there are none.
  std::shared_ptr<const algo::ContextLift> user_metadata;

  // Filled by BuildIndexes(): id -> dense index.
  std::unordered_map<std::string, int32_t> user_index;
  std::unordered_map<std::string, int32_t> item_index;

  void BuildIndexes();
  // -1 when unknown.
  int32_t UserIndex(std::string_view id) const;
  int32_t ItemIndex(std::string_view id) const;
  // The model's index of an event type; 255, which the types past the 255th share, when it did
  // not train on it.
  uint8_t EventTypeIndex(std::string_view event_type) const;
};

// Serialises `trained` (its model included) as a solution version artifact.
StatusOr<std::string> SerializeTrainedModel(const TrainedModel& trained);

// Reads an artifact written by SerializeTrainedModel, with `registry` loading the inner model,
// and builds the indexes. Internal naming the problem when the bytes are corrupt.
StatusOr<std::shared_ptr<const TrainedModel>> ParseTrainedModel(
    const algo::RecipeRegistry& registry, std::string_view bytes);

}  // namespace tailor::core
