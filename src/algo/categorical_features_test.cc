#include "algo/categorical_features.h"

#include <gtest/gtest.h>

#include "algo/interaction_matrix.h"

namespace tailor::algo {
namespace {

// Items 0 and 1 carry feature 0, items 1 and 2 feature 1, item 3 none.
CategoricalFeatures FourItems() {
  CategoricalFeatures f;
  f.num_features = 2;
  f.AddRow(std::vector<int32_t>{0});
  f.AddRow(std::vector<int32_t>{0, 1});
  f.AddRow(std::vector<int32_t>{1});
  f.AddRow(std::vector<int32_t>{});
  return f;
}

TEST(CategoricalFeaturesTest, PriorIsTheMeanOfTheFeatureMeans) {
  const CategoricalFeatures f = FourItems();
  // k = 2; the rows of items 0..3.
  const std::vector<float> factors = {2, 0, 4, 2, 0, 6, 9, 9};
  const std::vector<float> prior = FeaturePriors(f, factors, 2);
  // Feature 0: mean of items 0 and 1 = (3, 1); feature 1: mean of items 1 and 2 = (2, 4).
  const std::vector<float> want = {3, 1, 2.5f, 2.5f, 2, 4, 0, 0};
  ASSERT_EQ(prior.size(), want.size());
  for (size_t j = 0; j < want.size(); ++j) EXPECT_FLOAT_EQ(prior[j], want[j]) << j;
}

TEST(CategoricalFeaturesTest, ValidateNamesTheMismatch) {
  const CategoricalFeatures f = FourItems();
  EXPECT_TRUE(f.Validate(4).ok());
  EXPECT_NE(f.Validate(5).message().find("cover 4 rows"), std::string::npos);
  CategoricalFeatures bad = FourItems();
  bad.num_features = 1;
  EXPECT_NE(bad.Validate(4).message().find("feature id 1"), std::string::npos);
  // Interactions carries them and checks them with the rest.
  Interactions d;
  d.num_users = 1;
  d.num_items = 5;
  d.Add(0, 4, 0);
  d.item_features = std::make_shared<CategoricalFeatures>(FourItems());
  EXPECT_TRUE(d.Validate().IsInvalidInput());
}

}  // namespace
}  // namespace tailor::algo
