// IalsModel: user and item factors from implicit ALS (least_squares.h). Scores are x_u·y_i; a
// user unseen in training is folded in by solving their least-squares problem exactly against
// the fixed item factors, and a known user with new events by a few CG steps from their trained
// vector: the real-time event path. Also answers SimilarItems (cosine of item factors) and Segment
// (item affinity: users with the highest x_u·y_i). Thread-safety: immutable after construction or
// Load; const methods are safe concurrently.
#pragma once

#include <memory>
#include <string_view>
#include <vector>

#include "algo/model.h"

namespace tailor::algo::als {

struct IalsConfig {
  int factors = 64;
  float regularization = 1.0f;
  float alpha = 1.0f;
  // Recency decay of confidence within a user's history (MatrixBuildOptions); 0 = off.
  double half_life_seconds = 0;
  double half_life_events = 0;
};

class IalsModel : public Model {
 public:
  static constexpr std::string_view kType = "ials";

  IalsModel(const IalsConfig& config, int32_t num_items, UserHistory history,
            std::vector<float> user_factors, std::vector<float> item_factors);
  // Reads a payload written by SavePayload (after the envelope). Internal when corrupt.
  static StatusOr<std::unique_ptr<Model>> Load(std::string_view payload);

  std::string_view type() const override { return kType; }
  Status ScoreItems(const UserQuery& query, std::span<float> scores) const override;
  StatusOr<std::vector<ScoredItem>> SimilarItems(int32_t item,
                                                 const RecommendOptions& options) const override;
  StatusOr<std::vector<ScoredItem>> Segment(int32_t item, int32_t num_users) const override;

  // The user's factor vector: the trained one, or the fold-in solution when the query carries
  // items. REQUIRES: CheckQuery(query) is OK.
  std::vector<float> UserVector(const UserQuery& query) const;
  // scores[i] = x · y_i for every item (x has factors() floats): the serving hot path.
  void ScoreVector(std::span<const float> x, std::span<float> scores) const;
  // The variance of x · y_i over the items, in closed form from the Gramian (xᵀ(YᵀY/n)x −
  // (x·ȳ)²), so that it costs factors² rather than a pass over the catalogue.
  double ScoreVariance(std::span<const float> x) const;
  const IalsConfig& config() const { return config_; }
  std::span<const float> item_factors() const { return item_factors_; }
  std::span<const float> user_factors() const { return user_factors_; }
  // |y_i| per item.
  std::span<const float> item_norms() const { return item_norms_; }

 private:
  IalsModel() = default;
  void SavePayload(ByteWriter& w) const override;
  void Init();

  IalsConfig config_;
  std::vector<float> user_factors_;  // num_users × factors
  std::vector<float> item_factors_;  // num_items × factors
  std::vector<float> yty_;           // YᵀY + λI, recomputed on load
  std::vector<float> item_norms_;
  std::vector<double> item_mean_;  // ȳ, for ScoreVariance
};

}  // namespace tailor::algo::als
