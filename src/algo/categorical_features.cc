#include "algo/categorical_features.h"

#include <string>

namespace tailor::algo {

void CategoricalFeatures::AddRow(std::span<const int32_t> features) {
  feature.insert(feature.end(), features.begin(), features.end());
  indptr.push_back(static_cast<int64_t>(feature.size()));
}

Status CategoricalFeatures::Validate(int32_t expected_rows) const {
  if (indptr.empty() || indptr.front() != 0 ||
      indptr.back() != static_cast<int64_t>(feature.size())) {
    return Status::InvalidInput("features: malformed offsets");
  }
  if (num_rows() != expected_rows) {
    return Status::InvalidInput("features cover " + std::to_string(num_rows()) +
                                " rows, the interactions " + std::to_string(expected_rows));
  }
  for (int32_t f : feature) {
    if (f < 0 || f >= num_features) {
      return Status::InvalidInput("feature id " + std::to_string(f) + " is outside [0, " +
                                  std::to_string(num_features) + ")");
    }
  }
  return Status::OK();
}

std::vector<float> FeaturePriors(const CategoricalFeatures& features,
                                 std::span<const float> factors, int k) {
  const int32_t n = features.num_rows();
  std::vector<double> sum(static_cast<size_t>(features.num_features) * k, 0.0);
  std::vector<int64_t> count(static_cast<size_t>(features.num_features), 0);
  for (int32_t i = 0; i < n; ++i) {
    const float* y = factors.data() + static_cast<int64_t>(i) * k;
    for (int32_t f : features.of(i)) {
      double* s = sum.data() + static_cast<int64_t>(f) * k;
      for (int a = 0; a < k; ++a) s[a] += y[a];
      ++count[f];
    }
  }
  std::vector<float> prior(static_cast<size_t>(n) * k, 0.0f);
  for (int32_t i = 0; i < n; ++i) {
    std::span<const int32_t> fs = features.of(i);
    if (fs.empty()) continue;
    float* m = prior.data() + static_cast<int64_t>(i) * k;
    const double share = 1.0 / static_cast<double>(fs.size());
    for (int32_t f : fs) {
      const double* s = sum.data() + static_cast<int64_t>(f) * k;
      const double scale = share / static_cast<double>(count[f]);
      for (int a = 0; a < k; ++a) m[a] += static_cast<float>(s[a] * scale);
    }
  }
  return prior;
}

}  // namespace tailor::algo
