#include "algo/user_personalization/user_personalization_model.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>
#include <numeric>
#include <random>
#include <string>

#include <gtest/gtest.h>

#include "algo/model_io.h"
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

// The model's payload as Save writes it, without its envelope (what Load reads); empty when
// saving fails.
std::string SavedPayload(const Model& model) {
  std::string bytes;
  EXPECT_TRUE(model.Save(&bytes).ok());
  auto env = ReadModelEnvelope(bytes);
  EXPECT_TRUE(env.ok());
  return env.ok() ? std::string(env->payload) : std::string();
}

std::unique_ptr<Model> Train(const Interactions& d,
                             std::map<std::string, std::string> params = {}) {
  params.insert({{"factors", "16"}, {"iterations", "4"}});
  auto m = UserPersonalizationRecipe().Train(d, HyperParams(params), TrainContext{});
  EXPECT_TRUE(m.ok()) << m.status().ToString();
  return m.ok() ? std::move(*m) : nullptr;
}

std::vector<int32_t> Items(const std::vector<ScoredItem>& ranked) {
  std::vector<int32_t> items;
  for (const ScoredItem& s : ranked) items.push_back(s.item);
  return items;
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

// Every user has each of their items twice in a row (a "watch" then a "click"): the newest item
// with one event always comes back next, nothing else does.
Interactions PairedData() {
  std::mt19937 rng(5);
  Interactions d;
  d.num_users = 200;
  d.num_items = 300;
  std::vector<int32_t> catalogue(300);
  std::iota(catalogue.begin(), catalogue.end(), 0);
  for (int32_t u = 0; u < d.num_users; ++u) {
    int64_t t = 1'600'000'000 + int64_t(u) * 10'000;
    std::shuffle(catalogue.begin(), catalogue.end(), rng);
    for (int k = 0; k < 20; ++k) {
      const int32_t item = catalogue[k];
      d.Add(u, item, t);
      d.Add(u, item, t);
      t += 60;
    }
  }
  return d;
}

TEST(UserPersonalizationModelTest, KeptHistoryComesBackByItsLearnedChance) {
  std::unique_ptr<Model> model = Train(PairedData());
  ASSERT_NE(model, nullptr);
  EXPECT_TRUE(model->ranks_history());
  // An unseen user who had 7 and 8 twice each, then 9 once.
  const std::vector<int32_t> items = {7, 7, 8, 8, 9};
  RecommendOptions o{.num_results = 10, .exclude_history = false, .softmax = true, .exact = true};
  auto kept = model->Recommend({.items = items}, o);
  ASSERT_TRUE(kept.ok()) << kept.status().ToString();
  ASSERT_EQ(kept->size(), 10u);
  EXPECT_EQ((*kept)[0].item, 9);
  EXPECT_GT((*kept)[0].score, 0.5f);
  double sum = 0;
  for (size_t k = 0; k < kept->size(); ++k) {
    if (k > 0) {
      EXPECT_NE((*kept)[k].item, 7);
      EXPECT_NE((*kept)[k].item, 8);
      EXPECT_NE((*kept)[k].item, 9);
      EXPECT_LE((*kept)[k].score, (*kept)[k - 1].score);
    }
    sum += (*kept)[k].score;
  }
  EXPECT_LE(sum, 1.0 + 1e-6);
  // Ranking a list mixes the history in the same way: 9 first, 7 (no chance) last, the new
  // items between in the blend's order.
  const std::vector<int32_t> candidates = {7, (*kept)[2].item, 9, (*kept)[1].item};
  auto ranked = model->Rank({.items = items}, candidates);
  ASSERT_TRUE(ranked.ok()) << ranked.status().ToString();
  ASSERT_EQ(ranked->size(), 4u);
  EXPECT_EQ((*ranked)[0].item, 9);
  EXPECT_EQ((*ranked)[1].item, (*kept)[1].item);
  EXPECT_EQ((*ranked)[2].item, (*kept)[2].item);
  EXPECT_EQ((*ranked)[3].item, 7);
  EXPECT_NEAR(std::exp((*ranked)[0].score), (*kept)[0].score, 1e-4);
  // A filter still removes it; the rest is what the history-free answer has.
  std::vector<uint64_t> filter((300 + 63) / 64, 0);
  filter[0] |= uint64_t(1) << 9;
  o.exclude = filter;
  auto filtered = model->Recommend({.items = items}, o);
  o.exclude_history = true;
  auto without = model->Recommend({.items = items}, o);
  ASSERT_TRUE(filtered.ok() && without.ok());
  EXPECT_EQ(Items(*filtered), Items(*without));

  // Saved and loaded, the model answers the same.
  auto loaded = UserPersonalizationModel::Load(SavedPayload(*model));
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_TRUE((*loaded)->ranks_history());
  o.exclude = {};
  o.exclude_history = false;
  auto again = (*loaded)->Recommend({.items = items}, o);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(Items(*again), Items(*kept));
  // A training user's history counts too. User 0 had each item twice, so a third event of one
  // has no chance and leaves it out, while a first event of another comes back first.
  auto row = model->history().row(0);
  int32_t other = 0;
  while (std::find(row.begin(), row.end(), other) != row.end()) ++other;
  const std::vector<int32_t> more = {row.back(), other};
  auto known = model->Recommend({.user = 0, .items = more}, o);
  ASSERT_TRUE(known.ok());
  ASSERT_FALSE(known->empty());
  EXPECT_EQ((*known)[0].item, other);
  for (const ScoredItem& s : *known) {
    EXPECT_EQ(std::count(row.begin(), row.end(), s.item), 0) << s.item;
  }
}

// Where nobody comes back to an item, keeping the history changes nothing: it is left out.
TEST(UserPersonalizationModelTest, HistoryNobodyComesBackToIsLeftOut) {
  Interactions d = ZipfData();
  Interactions distinct;
  distinct.num_users = d.num_users;
  distinct.num_items = d.num_items;
  std::vector<std::vector<bool>> had(d.num_users, std::vector<bool>(d.num_items, false));
  for (size_t e = 0; e < d.size(); ++e) {
    if (had[d.user[e]][d.item[e]]) continue;
    had[d.user[e]][d.item[e]] = true;
    distinct.Add(d.user[e], d.item[e], d.timestamp[e]);
  }
  std::unique_ptr<Model> model = Train(distinct);
  ASSERT_NE(model, nullptr);
  for (int32_t u = 0; u < 800; u += 50) {
    RecommendOptions o{.num_results = 25, .exclude_history = false, .exact = true};
    auto kept = model->Recommend({.user = u}, o);
    o.exclude_history = true;
    auto left_out = model->Recommend({.user = u}, o);
    ASSERT_TRUE(kept.ok() && left_out.ok());
    EXPECT_EQ(Items(*kept), Items(*left_out));
  }
}

// The neighbours' votes change the scores (the same model without them, trained alike, scores
// differently), and a saved and loaded model keeps them.
TEST(UserPersonalizationModelTest, NeighbourVotesShapeScoresAndSurviveSaveAndLoad) {
  const Interactions d = ZipfData();
  std::unique_ptr<Model> model = Train(d);
  std::unique_ptr<Model> without = Train(d, {{"neighbor_weight", "0"}});
  ASSERT_NE(model, nullptr);
  ASSERT_NE(without, nullptr);
  const std::vector<int32_t> items = {100, 101, 103, 107, 110};
  const UserQuery query{.user = -1, .items = items};
  std::vector<float> with_votes(d.num_items), no_votes(d.num_items), loaded_scores(d.num_items);
  ASSERT_TRUE(model->ScoreItems(query, with_votes).ok());
  ASSERT_TRUE(without->ScoreItems(query, no_votes).ok());
  int differ = 0;
  for (int32_t i = 0; i < d.num_items; ++i) differ += std::abs(with_votes[i] - no_votes[i]) > 1e-4;
  EXPECT_GT(differ, 10);

  const std::string payload = SavedPayload(*model);
  auto loaded = UserPersonalizationModel::Load(payload);
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  ASSERT_TRUE((*loaded)->ScoreItems(query, loaded_scores).ok());
  for (int32_t i = 0; i < d.num_items; ++i) ASSERT_FLOAT_EQ(loaded_scores[i], with_votes[i]) << i;

  // The votes' settings are the payload's last 32 bytes (docs/formats/model_artifact.md): a
  // payload saved before them loads with the votes off, and one that claims a window past the
  // largest accepted is refused rather than trusted.
  constexpr size_t kSettings = 4 + 4 + 8 + 4 + 4 + 8;
  auto earlier = UserPersonalizationModel::Load(payload.substr(0, payload.size() - kSettings));
  ASSERT_TRUE(earlier.ok()) << earlier.status().ToString();
  ASSERT_TRUE((*earlier)->ScoreItems(query, loaded_scores).ok());
  for (int32_t i = 0; i < d.num_items; ++i) ASSERT_FLOAT_EQ(loaded_scores[i], no_votes[i]) << i;
  std::string corrupt(payload);
  const int32_t window = UserPersonalizationModel::kMaxNeighborWindow + 1;
  std::memcpy(corrupt.data() + corrupt.size() - 12, &window, sizeof(window));
  EXPECT_TRUE(UserPersonalizationModel::Load(corrupt).status().IsInternal());
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
