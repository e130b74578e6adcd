// CategoricalFeatures: the categorical metadata of items or users as training sees it, each
// value (a genre, a studio, a membership tier) one feature id, so that recipes can place the
// items and users with little history by what they share with others (iALS's metadata prior,
// ials_trainer.h). The caller (core's training job) maps the Items or Users dataset's columns
// to ids; algo/ never sees the strings.
// Thread-safety: an immutable value once built; shared between the training splits.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "common/status.h"

namespace tailor::algo {

struct CategoricalFeatures {
  int32_t num_features = 0;
  // Row r's (item r's or user r's) features are feature[indptr[r] .. indptr[r + 1]);
  // num_rows + 1 entries.
  std::vector<int64_t> indptr{0};
  std::vector<int32_t> feature;

  int32_t num_rows() const { return static_cast<int32_t>(indptr.size()) - 1; }
  std::span<const int32_t> of(int32_t row) const {
    return {feature.data() + indptr[row], static_cast<size_t>(indptr[row + 1] - indptr[row])};
  }
  // Appends the next row's features (rows are added in index order).
  void AddRow(std::span<const int32_t> features);
  // InvalidInput unless it covers exactly `num_rows` rows with ids in [0, num_features).
  Status Validate(int32_t num_rows) const;
};

// The mean of the rows of `factors` (num_rows × k) over the rows carrying each feature, then
// per row the mean of its features' means: each row's prior, num_rows × k floats (zero for a
// row without features; a feature no row carries adds nothing).
std::vector<float> FeaturePriors(const CategoricalFeatures& features,
                                 std::span<const float> factors, int k);

}  // namespace tailor::algo
