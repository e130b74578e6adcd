// EaseModel: Embarrassingly Shallow Autoencoder (Steck 2019, "Embarrassingly Shallow
// Autoencoders for Sparse Data", eq. 8): with P = (XᵀX + λI)⁻¹, B = I − P·diag(1/diag(P)) with a
// zero diagonal, and a user's scores are x_u B. Dense in the item count, so training is limited
// to the `max_items` most popular items (others are never recommended); a user's history is
// taken from the query (any user is scored the same way, so fold-in is free).
// Thread-safety: immutable after construction or Load; const methods are safe concurrently.
#pragma once

#include <memory>
#include <string_view>
#include <vector>

#include "algo/model.h"
#include "algo/recipe.h"

namespace tailor::algo {

struct EaseOptions {
  float lambda = 500.0f;
  // Items with fewer unique users are left out of B.
  int min_item_users = 1;
  // The most popular items kept; above ~20 000 the dense B does not fit the memory budget.
  int max_items = 20000;
  // Recency decay of the query history's weights (newest event weight 1); 0 = off.
  double half_life_events = 0;
  int num_threads = 1;
};

class EaseModel : public Model {
 public:
  static constexpr std::string_view kType = "ease";

  // Trains on binary X (a user interacted with an item or not).
  static StatusOr<std::unique_ptr<EaseModel>> Train(const Interactions& data,
                                                    const EaseOptions& options);
  static StatusOr<std::unique_ptr<Model>> Load(std::string_view payload);

  std::string_view type() const override { return kType; }
  Status ScoreItems(const UserQuery& query, std::span<float> scores) const override;
  StatusOr<std::vector<ScoredItem>> SimilarItems(int32_t item,
                                                 const RecommendOptions& options) const override;

 private:
  EaseModel() = default;
  void SavePayload(ByteWriter& w) const override;
  void IndexItems();

  double half_life_events_ = 0;
  std::vector<int32_t> kept_;    // model column -> item
  std::vector<int32_t> column_;  // item -> model column, or -1
  std::vector<float> b_;         // kept × kept, row-major
};

// The EASE recipe (not a Personalize recipe name; used by AutoML and as a baseline).
// Hyper-parameters: lambda [1, 1e6], min_item_users [1, 1000], max_items [1, 50000],
// recency_half_life_events [0, 1e6].
class EaseRecipe : public Recipe {
 public:
  std::string_view name() const override { return "tailor-ease"; }
  HyperParams DefaultParams() const override;
  // lambda (the ridge penalty, log scale) and the recency half-life of the query history.
  std::vector<ParamRange> TunableRanges() const override;
  StatusOr<std::unique_ptr<Model>> Train(const Interactions& data, const HyperParams& params,
                                         const TrainContext& ctx) const override;
};

// Parses the EASE hyper-parameters above.
StatusOr<EaseOptions> ParseEaseOptions(const HyperParams& params);

}  // namespace tailor::algo
