// Item exploration for user-personalization campaigns (campaignConfig.itemExplorationConfig,
// personalize-semantics.md §7). The candidates, in this order:
//   1. new items: rows of the Items dataset the model has not trained on (PutItems or a later
//      import), those the request's filter keeps (FilterExclusionResult::KeepsNewItem). With
//      personal scores the ones whose metadata the user's scores favour come first
//      (serve/metadata/item_tokens.h; an item without known metadata counts as the user's
//      mean score), then the newest CREATION_TIMESTAMP;
//   2. the model's cold items: young (CREATION_TIMESTAMP within explorationItemAgeCutOff days
//      of now) or rarely seen (fewer than kRareUsers users in training), best-scored first.
// They take the slots that serve/exploration/exploration.h spreads through the answer; the
// filter and the items already in the answer are respected.
#include "serve/exploration/exploration.h"

#include <algorithm>
#include <cmath>
#include <unordered_set>

#include "algo/model.h"
#include "core/control_plane.h"
#include "core/filter_cache.h"
#include "data/table.h"

namespace tailor::core {
namespace {

// Items seen by fewer users than this in training count as rarely seen.
constexpr float kRareUsers = 5;

}  // namespace

StatusOr<ControlPlane::ExplorationResult> ControlPlane::Explore(
    const ServingCampaign& served, std::span<const float> scores,
    const FilterExclusionResult& filter, size_t num_results, std::vector<algo::ScoredItem>* top) {
  const std::vector<uint64_t>& exclude = filter.bits;
  ExplorationResult result;
  const size_t slots = serve::ExplorationSlots(num_results, served.exploration_weight);
  if (slots == 0) return result;
  const Deployment& d = *served.deployment;
  TAILOR_ASSIGN_OR_RETURN(const std::shared_ptr<const FilterSnapshot> snapshot,
                          MetadataSnapshot(d));
  const data::DatasetTable* items = snapshot->items_table.get();
  const data::TableColumn* ids = items != nullptr ? items->Find("ITEM_ID") : nullptr;
  const data::TableColumn* created = items != nullptr ? items->Find("CREATION_TIMESTAMP") : nullptr;
  if (created != nullptr && created->ints.empty()) created = nullptr;
  const int64_t now_seconds = env_->NowMicros() / 1000000;
  const int64_t young_after =
      now_seconds - static_cast<int64_t>(served.exploration_age_cutoff_days * 86400);

  std::vector<std::string> new_items;
  std::vector<uint8_t> young(static_cast<size_t>(d.model->model->num_items()), 0);
  if (ids != nullptr) {
    // The user's mean score of each metadata token, and overall (for items without any).
    std::vector<float> token_means;
    float mean_score = 0;
    if (!scores.empty() && snapshot->item_tokens != nullptr) {
      token_means = snapshot->item_tokens->TokenMeans(scores);
      double sum = 0;
      for (float s : scores) sum += s;
      mean_score = static_cast<float>(sum / static_cast<double>(scores.size()));
    }
    struct Fresh {
      float predicted;
      int64_t created;
      std::string id;
    };
    std::vector<Fresh> fresh;
    for (size_t row = 0; row < static_cast<size_t>(items->num_rows); ++row) {
      const std::string_view id = ids->StringAt(row);
      const int64_t ts = created != nullptr && created->valid[row] ? created->ints[row] : 0;
      const int32_t item = snapshot->item_row_model_index[row];
      if (item < 0) {
        if (!filter.KeepsNewItem(id)) continue;
        float predicted = 0;
        if (!token_means.empty()) {
          predicted = serve::ItemTokens::Predict(
              snapshot->item_tokens->TokensOfRow(static_cast<int64_t>(row)), token_means);
          if (!std::isfinite(predicted)) predicted = mean_score;
        }
        fresh.push_back({predicted, ts, std::string(id)});
      } else if (created != nullptr && created->valid[row] && ts >= young_after) {
        young[static_cast<size_t>(item)] = 1;
      }
    }
    std::sort(fresh.begin(), fresh.end(), [](const Fresh& a, const Fresh& b) {
      if (a.predicted != b.predicted) return a.predicted > b.predicted;
      return a.created != b.created ? a.created > b.created : a.id < b.id;
    });
    for (Fresh& f : fresh) {
      if (new_items.size() == slots) break;
      new_items.push_back(std::move(f.id));
    }
  }
  std::unordered_set<int32_t> listed;
  for (const algo::ScoredItem& s : *top) listed.insert(s.item);
  std::vector<algo::ScoredItem> cold;
  for (int32_t i = 0; i < d.model->model->num_items(); ++i) {
    if (listed.count(i) > 0 || algo::IsExcluded(exclude, i)) continue;
    if (young[static_cast<size_t>(i)] || d.popularity[static_cast<size_t>(i)] < kRareUsers) {
      cold.push_back({i, scores.empty() ? d.popularity[static_cast<size_t>(i)] : scores[i]});
    }
  }
  const size_t cold_slots = slots - new_items.size();
  std::partial_sort(cold.begin(), cold.begin() + std::min(cold_slots, cold.size()), cold.end(),
                    [](const algo::ScoredItem& a, const algo::ScoredItem& b) {
                      return a.score != b.score ? a.score > b.score : a.item < b.item;
                    });
  cold.resize(std::min(cold_slots, cold.size()));

  // The model's items go into `top`, the new ones are spliced in by the caller at the positions
  // left for them (the model's own choices shift down; the list keeps num_results entries).
  const size_t explored = new_items.size() + cold.size();
  if (explored == 0) return result;
  const size_t list_size = std::max(num_results, top->size());
  std::vector<size_t> positions = serve::ExplorationPositions(list_size, explored);
  std::vector<algo::ScoredItem> merged;
  size_t next_own = 0, next_cold = 0, next_new = 0, p = 0;
  for (size_t pos = 0; pos < list_size; ++pos) {
    if (p < positions.size() && positions[p] == pos) {
      ++p;
      // New items first (they have no other way in), then the model's cold items.
      if (next_new < new_items.size()) {
        result.new_items.push_back({pos, new_items[next_new++]});
        continue;
      }
      if (next_cold < cold.size()) {
        merged.push_back(cold[next_cold++]);
        continue;
      }
    }
    if (next_own < top->size()) merged.push_back((*top)[next_own++]);
  }
  *top = std::move(merged);
  return result;
}

}  // namespace tailor::core
