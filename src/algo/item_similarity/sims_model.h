// SimsModel: aws-sims (personalize-semantics.md §4): item-to-item from co-occurrence in user
// histories with a popularity discount (cooccurrence.h). SimilarItems returns the item's
// neighbours and tops the list up with popular items when the item is unknown or sparse.
// There is no per-user scoring (Recommend is NotSupported).
// Thread-safety: immutable after construction or Load; const methods are safe concurrently.
#pragma once

#include <memory>
#include <string_view>
#include <vector>

#include "algo/item_similarity/cooccurrence.h"
#include "algo/model.h"
#include "algo/recipe.h"

namespace tailor::algo {

class SimsModel : public Model {
 public:
  static constexpr std::string_view kType = "sims";

  SimsModel(NeighborLists neighbors, std::vector<float> popularity, UserHistory history);
  static StatusOr<std::unique_ptr<Model>> Load(std::string_view payload);

  std::string_view type() const override { return kType; }
  StatusOr<std::vector<ScoredItem>> SimilarItems(int32_t item,
                                                 const RecommendOptions& options) const override;

 private:
  SimsModel() = default;
  void SavePayload(ByteWriter& w) const override;

  NeighborLists neighbors_;
  std::vector<float> popularity_;
  std::vector<int32_t> popular_order_;  // items by popularity, for the fallback
};

// aws-sims. Hyper-parameters: popularity_discount_factor 0.5 [0, 1]; min_cointeraction_count 3
// [0, 10]; min/max_user_history_length_percentile 0.005 / 0.995 (users with shorter or longer
// histories are left out of the co-occurrence counts); min/max_item_interaction_count_percentile
// 0.01 / 0.9, percentiles of the interactions' item counts (the items holding the least- and the
// most-interacted 1% and 10% of the interactions are never returned as neighbours, only through
// the popular fallback); Tailor's own position_half_life 20 [0, 100]: a co-occurrence of items d
// positions apart in a user's time-ordered history weighs 2^(−(d−1)/20), so that items had
// close together are the nearer neighbours (0 = plain co-occurrence), while
// min_cointeraction_count still counts the users who had both. Over plain co-occurrence it
// raised NDCG@10 on ml-latest-small from 0.0605 to 0.0778 (all ratings) and from 0.0690 to
// 0.0805 (Personalize's sample preparation), and coverage from 0.0881 to 0.0906 and from 0.0892
// to 0.0919 (bench/algo_quality.cc, seeds 7..11; half-life 10: 0.0778 and 0.0816, 50: 0.0736
// and 0.0793).
class SimsRecipe : public Recipe {
 public:
  std::string_view name() const override { return "aws-sims"; }
  HyperParams DefaultParams() const override;
  std::vector<ParamRange> TunableRanges() const override;
  StatusOr<std::unique_ptr<Model>> Train(const Interactions& data, const HyperParams& params,
                                         const TrainContext& ctx) const override;
};

}  // namespace tailor::algo
