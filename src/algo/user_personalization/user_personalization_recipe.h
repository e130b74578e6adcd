// UserPersonalizationRecipe: aws-user-personalization (also registered as
// aws-personalized-ranking and aws-item-affinity, which use the same model through Rank and
// Segment). Trains iALS, the time-windowed co-occurrence table and the per-item event-day index
// behind UserPersonalizationModel.
// Hyper-parameters: every iALS one (als/ials_recipe.h); the blend: als_weight, sequence_weight,
// sequence_window, sequence_position_half_life, sequence_min_count, sequence_discount,
// sequence_forward_only, sequence_history, sequence_half_life, neighbor_weight, neighbor_count,
// neighbor_history, neighbor_window (the neighbours' votes, sequence_neighbors.h; weight 0 turns
// them off), popularity_weight, popularity_window_days, ease_weight, ease_lambda,
// ease_min_item_users, ease_max_items (EASE is off by default and, when on, limited to the
// ease_max_items most popular items, since its item×item matrix is dense); and
// Personalize's own names: hidden_dimension (= factors), recency_mask (false turns off the
// recency components), bptt, min/max_user_history_length_percentile (accepted, ignored).
// Thread-safety: stateless.
#pragma once

#include <string>

#include "algo/recipe.h"

namespace tailor::algo {

class UserPersonalizationRecipe : public Recipe {
 public:
  explicit UserPersonalizationRecipe(std::string name = "aws-user-personalization")
      : name_(std::move(name)) {}
  std::string_view name() const override { return name_; }
  HyperParams DefaultParams() const override;
  std::vector<ParamRange> TunableRanges() const override;
  StatusOr<std::unique_ptr<Model>> Train(const Interactions& data, const HyperParams& params,
                                         const TrainContext& ctx) const override;

 private:
  std::string name_;
};

}  // namespace tailor::algo
