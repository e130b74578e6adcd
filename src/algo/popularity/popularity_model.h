// PopularityModel: aws-popularity-count (personalize-semantics.md §4): every user gets the same
// list, items ranked by the number of unique users who interacted with them. Also the fallback
// that related-items recipes use for unknown or sparse items.
// Thread-safety: immutable after construction or Load; const methods are safe concurrently.
#pragma once

#include <memory>
#include <string_view>
#include <vector>

#include "algo/model.h"
#include "algo/recipe.h"

namespace tailor::algo {

class PopularityModel : public Model {
 public:
  static constexpr std::string_view kType = "popularity";

  // Counts unique users per item in `user_item` (CSR from BuildUserItemMatrix).
  explicit PopularityModel(const CsrMatrix& user_item);
  static StatusOr<std::unique_ptr<Model>> Load(std::string_view payload);

  std::string_view type() const override { return kType; }
  // Scores are the unique-user counts; the query's history does not change them.
  Status ScoreItems(const UserQuery& query, std::span<float> scores) const override;
  const std::vector<float>& counts() const { return counts_; }

 private:
  PopularityModel() = default;
  void SavePayload(ByteWriter& w) const override;

  std::vector<float> counts_;
};

// The aws-popularity-count recipe. Accepts no hyper-parameters.
class PopularityCountRecipe : public Recipe {
 public:
  std::string_view name() const override { return "aws-popularity-count"; }
  HyperParams DefaultParams() const override { return {}; }
  StatusOr<std::unique_ptr<Model>> Train(const Interactions& data, const HyperParams& params,
                                         const TrainContext& ctx) const override;
};

}  // namespace tailor::algo
