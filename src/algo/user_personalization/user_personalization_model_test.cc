#include "algo/user_personalization/user_personalization_model.h"

#include <algorithm>
#include <cmath>
#include <random>

#include <gtest/gtest.h>

#include "algo/user_personalization/user_personalization_recipe.h"

namespace tailor::algo {
namespace {

// 800 users over 6,000 items (enough for the serving index) with Zipf-like popularity, each
// user drifting through a neighbourhood of items over time so the sequence component has signal.
Interactions ZipfData() {
  std::mt19937 rng(11);
  const int32_t users = 800, items = 6000;
  Interactions d;
  d.num_users = users;
  d.num_items = items;
  std::vector<double> weights(items);
  for (int32_t i = 0; i < items; ++i) weights[i] = 1.0 / std::pow(i + 1, 0.9);
  std::discrete_distribution<int32_t> popular(weights.begin(), weights.end());
  std::uniform_int_distribution<int32_t> near(-30, 30);
  for (int32_t u = 0; u < users; ++u) {
    int32_t at = popular(rng);
    for (int e = 0; e < 60; ++e) {
      const int32_t item = (e % 3 == 0) ? popular(rng) : std::clamp(at + near(rng), 0, items - 1);
      at = item;
      d.Add(u, item, 1'500'000'000 + int64_t(u) * 3600 + e * 600);
    }
  }
  return d;
}

std::unique_ptr<Model> Train(const Interactions& d) {
  auto m = UserPersonalizationRecipe().Train(
      d, HyperParams({{"factors", "16"}, {"iterations", "4"}}), TrainContext{});
  EXPECT_TRUE(m.ok()) << m.status().ToString();
  return m.ok() ? std::move(*m) : nullptr;
}

double Recall(const std::vector<ScoredItem>& got, const std::vector<ScoredItem>& want) {
  int hits = 0;
  for (const ScoredItem& w : want) {
    hits += std::count_if(got.begin(), got.end(),
                          [&](const ScoredItem& g) { return g.item == w.item; });
  }
  return want.empty() ? 1.0 : double(hits) / want.size();
}

// The indexed path answers like the full scan: the same items (up to the graph search's
// misses), softmax scores close to the exact ones, history and filters respected.
TEST(UserPersonalizationModelTest, ServingIndexAnswersLikeTheFullScan) {
  Interactions d = ZipfData();
  std::unique_ptr<Model> model = Train(d);
  ASSERT_NE(model, nullptr);
  auto* up = dynamic_cast<UserPersonalizationModel*>(model.get());
  ASSERT_NE(up, nullptr);
  EXPECT_EQ(up->serving_index(), nullptr);
  up->PrepareForServing();
  ASSERT_NE(up->serving_index(), nullptr);

  // A filter excluding every third item.
  std::vector<uint64_t> filter((d.num_items + 63) / 64, 0);
  for (int32_t i = 0; i < d.num_items; i += 3) filter[i >> 6] |= uint64_t(1) << (i & 63);

  double recall = 0, score_error = 0;
  int cases = 0;
  for (int32_t u = 0; u < 800; u += 8) {
    for (bool exclude_history : {false, true}) {
      RecommendOptions o{.num_results = 25,
                         .exclude_history = exclude_history,
                         .exclude = filter,
                         .softmax = true};
      auto indexed = model->Recommend({.user = u}, o);
      o.exact = true;
      auto exact = model->Recommend({.user = u}, o);
      ASSERT_TRUE(indexed.ok() && exact.ok());
      ASSERT_EQ(indexed->size(), 25u);
      for (const ScoredItem& s : *indexed) {
        EXPECT_FALSE(IsExcluded(filter, s.item));
        if (exclude_history) {
          auto row = model->history().row(u);
          EXPECT_EQ(std::count(row.begin(), row.end(), s.item), 0);
        }
      }
      recall += Recall(*indexed, *exact);
      if ((*indexed)[0].item == (*exact)[0].item) {
        score_error += std::abs((*indexed)[0].score - (*exact)[0].score) / (*exact)[0].score;
      } else {
        score_error += 1;
      }
      ++cases;
    }
  }
  EXPECT_GE(recall / cases, 0.97);
  EXPECT_LE(score_error / cases, 0.02);
  // Some answers came from the candidates, not all from the fallback scan.
  EXPECT_LT(up->full_scans(), cases);
}

// A user unseen in training, folded in from the query's items, goes through the index too.
TEST(UserPersonalizationModelTest, ServingIndexFoldsInUnseenUsers) {
  Interactions d = ZipfData();
  std::unique_ptr<Model> model = Train(d);
  ASSERT_NE(model, nullptr);
  model->PrepareForServing();
  const std::vector<int32_t> items = {100, 101, 103, 107, 2000};
  const std::vector<int64_t> ts = {1'600'000'000, 1'600'000'100, 1'600'000'200, 1'600'000'300,
                                   1'600'000'400};
  RecommendOptions o{.num_results = 10, .softmax = true};
  auto indexed = model->Recommend({.user = -1, .items = items, .timestamps = ts}, o);
  o.exact = true;
  auto exact = model->Recommend({.user = -1, .items = items, .timestamps = ts}, o);
  ASSERT_TRUE(indexed.ok() && exact.ok());
  EXPECT_GE(Recall(*indexed, *exact), 0.9);
  for (const ScoredItem& s : *indexed) EXPECT_EQ(std::count(items.begin(), items.end(), s.item), 0);
  EXPECT_TRUE(model->Recommend({.user = 900}, o).status().IsInvalidInput());
}

TEST(UserPersonalizationModelTest, SmallCataloguesKeepTheFullScan) {
  std::mt19937 rng(3);
  Interactions d;
  d.num_users = 50;
  d.num_items = 200;
  for (int e = 0; e < 2000; ++e) d.Add(rng() % 50, rng() % 200, e);
  std::unique_ptr<Model> model = Train(d);
  ASSERT_NE(model, nullptr);
  model->PrepareForServing();
  EXPECT_EQ(dynamic_cast<UserPersonalizationModel*>(model.get())->serving_index(), nullptr);
}

}  // namespace
}  // namespace tailor::algo
