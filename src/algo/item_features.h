// ItemFeatures: the items' categorical metadata as training sees it, each Items value (a genre,
// a studio) one feature id, so that recipes can place items with little history by what they
// share with others (iALS's metadata prior, ials_trainer.h). The caller (core's training job)
// maps the Items dataset's columns to ids; algo/ never sees the strings.
// Thread-safety: an immutable value once built; shared between the training splits.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "common/status.h"

namespace tailor::algo {

struct ItemFeatures {
  int32_t num_features = 0;
  // Item i's features are feature[indptr[i] .. indptr[i + 1]); num_items + 1 entries.
  std::vector<int64_t> indptr{0};
  std::vector<int32_t> feature;

  int32_t num_items() const { return static_cast<int32_t>(indptr.size()) - 1; }
  std::span<const int32_t> of(int32_t item) const {
    return {feature.data() + indptr[item], static_cast<size_t>(indptr[item + 1] - indptr[item])};
  }
  // Appends the next item's features (items are added in index order).
  void AddItem(std::span<const int32_t> features);
  // InvalidInput unless it covers exactly `num_items` items with ids in [0, num_features).
  Status Validate(int32_t num_items) const;
};

// The mean of the rows of `factors` (num_items × k) over the items carrying each feature, then
// per item the mean of its features' means: each item's prior, num_items × k floats (zero for an
// item without features, and a feature no item carries adds nothing).
std::vector<float> FeaturePriors(const ItemFeatures& features, std::span<const float> factors,
                                 int k);

}  // namespace tailor::algo
