#include "serve/metadata/item_tokens.h"

#include <cmath>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "serve/filter/filter_test_util.h"

namespace tailor::serve {
namespace {

using testing::MakeTable;
using testing::StringColumn;

// Model items m0..m3; rows 4 and 5 are new items the model does not know.
struct Fixture {
  std::shared_ptr<const data::DatasetTable> table = MakeTable({
      StringColumn("ITEM_ID", {"m0", "m1", "m2", "m3", "new-drama", "new-none"}),
      StringColumn("GENRES",
                   {"Drama", "Drama|Crime", "Comedy", "Comedy|Drama", "Drama|Crime", std::nullopt},
                   /*categorical=*/true),
      StringColumn("STUDIO", {"A", "B", "A", std::nullopt, "B", std::nullopt},
                   /*categorical=*/true),
      StringColumn("TITLE", {"t0", "t1", "t2", "t3", "t4", "t5"}),  // not categorical
  });
  // Rows 0..3 are the model's items m0..m3; rows 4 and 5 it does not know.
  std::vector<int32_t> model_index = {0, 1, 2, 3, -1, -1};
  ItemTokens tokens = ItemTokens::Build(*table, 4, model_index);
};

TEST(ItemTokensTest, TokensAreTheCategoricalValuesOfEachRow) {
  Fixture f;
  // Drama, Crime, A, B, Comedy: five tokens; TITLE is not categorical.
  EXPECT_EQ(f.tokens.num_tokens(), 5u);
  EXPECT_EQ(f.tokens.TokensOfRow(1).size(), 3u);  // Drama, Crime, B
  EXPECT_EQ(f.tokens.TokensOfRow(3).size(), 2u);  // Comedy, Drama
  EXPECT_TRUE(f.tokens.TokensOfRow(5).empty());
  EXPECT_TRUE(f.tokens.TokensOfRow(6).empty());  // out of range
}

TEST(ItemTokensTest, SimilarToRanksByCosineThenPopularity) {
  Fixture f;
  std::vector<float> popularity = {1, 2, 30, 4};
  // new-drama {Drama, Crime, B}: m1 shares all three (cosine 1), m0 and m3 share Drama
  // (1/sqrt(3*2)), m2 nothing.
  auto similar = f.tokens.SimilarTo(f.tokens.TokensOfRow(4), 10, popularity, {});
  ASSERT_EQ(similar.size(), 3u);
  EXPECT_EQ(similar[0].item, 1);
  EXPECT_FLOAT_EQ(similar[0].score, 1.0f);
  EXPECT_EQ(similar[1].item, 3);  // same cosine as m0, more popular
  EXPECT_EQ(similar[2].item, 0);
  EXPECT_NEAR(similar[2].score, 1 / std::sqrt(6.0), 1e-6);
  // The exclusion bitset and n apply.
  std::vector<uint64_t> exclude = {uint64_t{1} << 1};
  similar = f.tokens.SimilarTo(f.tokens.TokensOfRow(4), 1, popularity, exclude);
  ASSERT_EQ(similar.size(), 1u);
  EXPECT_EQ(similar[0].item, 3);
  EXPECT_TRUE(f.tokens.SimilarTo(f.tokens.TokensOfRow(5), 10, popularity, {}).empty());
}

TEST(ItemTokensTest, PredictAveragesTheTokensMeanScores) {
  Fixture f;
  // A user who likes dramas: high scores on m0 and m1, low on the comedy m2.
  std::vector<float> scores = {2.0f, 4.0f, -1.0f, 0.0f};
  std::vector<float> means = f.tokens.TokenMeans(scores);
  // new-drama: Drama mean (2+4+0)/3 = 2, Crime mean 4, B mean 4 → (2+4+4)/3.
  EXPECT_NEAR(ItemTokens::Predict(f.tokens.TokensOfRow(4), means), 10.0 / 3, 1e-6);
  // Row 2, the comedy m2: Comedy mean (-1+0)/2, A mean (2-1)/2 → 0.
  EXPECT_NEAR(ItemTokens::Predict(f.tokens.TokensOfRow(2), means), 0.0, 1e-6);
  EXPECT_TRUE(std::isnan(ItemTokens::Predict(f.tokens.TokensOfRow(5), means)));
}

}  // namespace
}  // namespace tailor::serve
