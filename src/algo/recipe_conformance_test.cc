// T3: one conformance suite that every built-in recipe runs.
#include <random>
#include <set>

#include <gtest/gtest.h>

#include "algo/model_io.h"
#include "algo/recipe_registry.h"

namespace tailor::algo {
namespace {

// 80 users in two taste groups over 60 items, with timestamps.
Interactions SyntheticData() {
  std::mt19937 rng(9);
  Interactions d;
  d.num_users = 80;
  d.num_items = 60;
  for (int u = 0; u < d.num_users; ++u) {
    const int base = (u % 2) * 30;
    for (int t = 0; t < 12; ++t) d.Add(u, base + rng() % 30, 1000 * u + t * 10);
  }
  return d;
}

struct RecipeCase {
  std::string name;
  std::map<std::string, std::string> params;
};

class RecipeConformanceTest : public ::testing::TestWithParam<RecipeCase> {
 protected:
  void SetUp() override {
    registry_ = BuiltinRecipes();
    recipe_ = registry_.Find(GetParam().name);
    ASSERT_NE(recipe_, nullptr) << GetParam().name;
    data_ = SyntheticData();
    ctx_.num_threads = 2;
  }
  std::unique_ptr<Model> TrainOrDie() {
    auto m = recipe_->Train(data_, HyperParams(GetParam().params), ctx_);
    EXPECT_TRUE(m.ok()) << m.status().ToString();
    return m.ok() ? std::move(m).value() : nullptr;
  }

  RecipeRegistry registry_;
  const Recipe* recipe_ = nullptr;
  Interactions data_;
  TrainContext ctx_;
};

TEST_P(RecipeConformanceTest, RecommendsAtMostNUnseenUnfilteredItems) {
  auto model = TrainOrDie();
  ASSERT_NE(model, nullptr);
  std::vector<uint64_t> exclude(1, 0);
  exclude[0] |= 1ull << 5;
  exclude[0] |= 1ull << 40;
  RecommendOptions o{.num_results = 10, .exclude = exclude};
  for (int32_t u = 0; u < 6; ++u) {
    auto rec = model->Recommend({.user = u}, o);
    ASSERT_TRUE(rec.ok()) << rec.status().ToString();
    EXPECT_LE(rec->size(), 10u);
    std::set<int32_t> seen(model->history().row(u).begin(), model->history().row(u).end());
    std::set<int32_t> got;
    for (size_t k = 0; k < rec->size(); ++k) {
      const ScoredItem& s = (*rec)[k];
      EXPECT_NE(s.item, 5);
      EXPECT_NE(s.item, 40);
      EXPECT_EQ(seen.count(s.item), 0u);
      EXPECT_TRUE(got.insert(s.item).second);
      if (k > 0) {
        EXPECT_GE((*rec)[k - 1].score, s.score);
      }
    }
  }
}

TEST_P(RecipeConformanceTest, DeterministicForASeed) {
  auto a = TrainOrDie(), b = TrainOrDie();
  ASSERT_TRUE(a && b);
  for (int32_t u = 0; u < 5; ++u) {
    auto ra = a->Recommend({.user = u}, {}), rb = b->Recommend({.user = u}, {});
    ASSERT_TRUE(ra.ok() && rb.ok());
    ASSERT_EQ(ra->size(), rb->size());
    for (size_t k = 0; k < ra->size(); ++k) EXPECT_EQ((*ra)[k].item, (*rb)[k].item);
  }
}

TEST_P(RecipeConformanceTest, SaveLoadRoundTrip) {
  auto model = TrainOrDie();
  ASSERT_NE(model, nullptr);
  std::string bytes;
  ASSERT_TRUE(model->Save(&bytes).ok());
  auto loaded = registry_.LoadModel(bytes);
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_EQ((*loaded)->type(), model->type());
  std::vector<int32_t> history = {1, 2, 3};
  std::vector<int64_t> ts = {1, 2, 3};
  for (UserQuery q :
       {UserQuery{.user = 3}, UserQuery{.user = -1, .items = history, .timestamps = ts}}) {
    auto a = model->Recommend(q, {}), b = (*loaded)->Recommend(q, {});
    ASSERT_TRUE(a.ok() && b.ok());
    ASSERT_EQ(a->size(), b->size());
    for (size_t k = 0; k < a->size(); ++k) {
      EXPECT_EQ((*a)[k].item, (*b)[k].item);
      EXPECT_FLOAT_EQ((*a)[k].score, (*b)[k].score);
    }
  }
  bytes[bytes.size() / 3] ^= 0x10;
  EXPECT_TRUE(registry_.LoadModel(bytes).status().IsInternal());
}

TEST_P(RecipeConformanceTest, FoldsInUnseenUserAndRanksCandidates) {
  auto model = TrainOrDie();
  ASSERT_NE(model, nullptr);
  // A user of the first taste group (items 0..29) unseen in training.
  std::vector<int32_t> history = {0, 3, 7, 11, 19, 25};
  auto rec = model->Recommend({.user = -1, .items = history}, {.num_results = 5});
  ASSERT_TRUE(rec.ok()) << rec.status().ToString();
  EXPECT_EQ(rec->size(), 5u);
  for (const ScoredItem& s : *rec) {
    EXPECT_EQ(std::count(history.begin(), history.end(), s.item), 0);
  }
  std::vector<int32_t> candidates = {45, 1, 2};
  auto ranked = model->Rank({.user = -1, .items = history}, candidates);
  ASSERT_TRUE(ranked.ok());
  EXPECT_EQ(ranked->size(), 3u);
  std::vector<int32_t> bad = {60};
  EXPECT_TRUE(model->Rank({.user = 0}, bad).status().IsInvalidInput());
  EXPECT_TRUE(model->Recommend({.user = 80}, {}).status().IsInvalidInput());
}

TEST_P(RecipeConformanceTest, RejectsUnknownHyperParameter) {
  auto params = GetParam().params;
  params.insert_or_assign("no_such_param", std::string("1"));
  auto m = recipe_->Train(data_, HyperParams(params), ctx_);
  ASSERT_FALSE(m.ok());
  EXPECT_TRUE(m.status().IsInvalidInput());
  EXPECT_NE(m.status().message().find("no_such_param"), std::string::npos);
}

TEST_P(RecipeConformanceTest, HonoursCancellation) {
  TrainContext ctx;
  ctx.cancelled = [] { return true; };
  auto m = recipe_->Train(data_, HyperParams(GetParam().params), ctx);
  // Single-pass recipes may finish before polling; iterative ones must stop.
  if (!m.ok()) {
    EXPECT_TRUE(m.status().IsUnavailable());
  }
}

INSTANTIATE_TEST_SUITE_P(
    Builtin, RecipeConformanceTest,
    ::testing::Values(RecipeCase{"aws-popularity-count", {}},
                      RecipeCase{"aws-trending-now", {{"trend_discovery_frequency", "1 hour"}}},
                      RecipeCase{"tailor-ease", {{"lambda", "10"}}},
                      RecipeCase{"tailor-ials", {{"factors", "8"}, {"iterations", "5"}}},
                      RecipeCase{"arn:aws:personalize:::recipe/aws-user-personalization",
                                 {{"factors", "8"},
                                  {"iterations", "5"},
                                  {"sequence_weight", "0.5"},
                                  {"popularity_weight", "0.3"},
                                  {"ease_weight", "0.5"}}},
                      // The defaults (forward sequence component on) at a small size.
                      RecipeCase{"aws-personalized-ranking", {{"factors", "8"}}}),
    [](const ::testing::TestParamInfo<RecipeCase>& info) {
      // Built char by char: GCC 12's -Wrestrict misfires on substr-then-modify at -O3.
      std::string n;
      for (char c : info.param.name) {
        if (c == '/') {
          n.clear();
        } else {
          n.push_back(c == '-' ? '_' : c);
        }
      }
      return n;
    });

TEST(RecipeRegistryTest, FindsByNameOrArnAndListsRecipes) {
  RecipeRegistry r = BuiltinRecipes();
  EXPECT_NE(r.Find("aws-user-personalization"), nullptr);
  EXPECT_NE(r.Find("arn:aws:personalize:::recipe/aws-popularity-count"), nullptr);
  EXPECT_EQ(r.Find("aws-nope"), nullptr);
  EXPECT_FALSE(r.RecipeNames().empty());
}

}  // namespace
}  // namespace tailor::algo
