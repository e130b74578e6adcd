#include "algo/retrieval/inner_product_index.h"

#include <algorithm>
#include <random>

#include <gtest/gtest.h>

namespace tailor::algo {
namespace {

// Gaussian directions with log-normal lengths: like ALS factors, a few long vectors dominate
// the largest inner products.
std::vector<float> RandomVectors(int32_t n, int dim, unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> g(0, 1);
  std::lognormal_distribution<float> length(0, 0.5);
  std::vector<float> v(static_cast<size_t>(n) * dim);
  for (int32_t i = 0; i < n; ++i) {
    const float l = length(rng);
    for (int a = 0; a < dim; ++a) v[int64_t(i) * dim + a] = l * g(rng);
  }
  return v;
}

std::vector<int32_t> BruteForce(const std::vector<float>& v, int32_t n, int dim,
                                std::span<const float> x, int32_t count) {
  std::vector<std::pair<float, int32_t>> s;
  for (int32_t i = 0; i < n; ++i) {
    float d = 0;
    for (int a = 0; a < dim; ++a) d += x[a] * v[int64_t(i) * dim + a];
    s.push_back({-d, i});
  }
  std::partial_sort(s.begin(), s.begin() + count, s.end());
  std::vector<int32_t> out;
  for (int32_t r = 0; r < count; ++r) out.push_back(s[r].second);
  return out;
}

TEST(InnerProductIndexTest, FindsMostOfTheLargestProductsWithExactScores) {
  const int32_t n = 3000;
  const int dim = 16;
  std::vector<float> v = RandomVectors(n, dim, 1);
  auto index = InnerProductIndex::Build(v, n, dim);
  std::vector<float> queries = RandomVectors(50, dim, 2);
  double recall = 0;
  for (int q = 0; q < 50; ++q) {
    std::span<const float> x(queries.data() + q * dim, dim);
    std::vector<ScoredItem> got = index->Search(x, 20, 100);
    ASSERT_EQ(got.size(), 20u);
    for (size_t r = 0; r < got.size(); ++r) {
      float d = 0;
      for (int a = 0; a < dim; ++a) d += x[a] * v[int64_t(got[r].item) * dim + a];
      EXPECT_NEAR(got[r].score, d, 1e-4f);
      if (r > 0) {
        EXPECT_GE(got[r - 1].score, got[r].score - 1e-4f);
      }
    }
    std::vector<int32_t> want = BruteForce(v, n, dim, x, 20);
    int hits = 0;
    for (const ScoredItem& s : got) hits += std::count(want.begin(), want.end(), s.item);
    recall += hits / 20.0;
  }
  EXPECT_GE(recall / 50, 0.9);
}

TEST(InnerProductIndexTest, SameVectorsGiveTheSameAnswers) {
  const int32_t n = 2000;
  std::vector<float> v = RandomVectors(n, 8, 3);
  auto a = InnerProductIndex::Build(v, n, 8);
  auto b = InnerProductIndex::Build(v, n, 8);
  std::vector<float> x = RandomVectors(1, 8, 4);
  std::vector<ScoredItem> ra = a->Search(x, 30), rb = b->Search(x, 30);
  ASSERT_EQ(ra.size(), rb.size());
  for (size_t r = 0; r < ra.size(); ++r) EXPECT_EQ(ra[r].item, rb[r].item);
  EXPECT_GT(a->memory_bytes(), size_t(n) * 8 * sizeof(float));
}

TEST(InnerProductIndexTest, SmallAndEmptyIndexes) {
  std::vector<float> v = RandomVectors(5, 4, 5);
  auto index = InnerProductIndex::Build(v, 5, 4);
  std::vector<float> x = RandomVectors(1, 4, 6);
  std::vector<ScoredItem> all = index->Search(x, 50);
  EXPECT_EQ(all.size(), 5u);
  EXPECT_EQ(all.front().item, BruteForce(v, 5, 4, x, 1)[0]);
  EXPECT_TRUE(index->Search(x, 0).empty());
  auto empty = InnerProductIndex::Build({}, 0, 4);
  EXPECT_TRUE(empty->Search(x, 3).empty());
}

}  // namespace
}  // namespace tailor::algo
