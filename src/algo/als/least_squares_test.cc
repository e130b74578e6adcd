#include "algo/als/least_squares.h"

#include <random>

#include <gtest/gtest.h>

namespace tailor::algo::als {
namespace {

// X7: the CG kernel converges to the exact (Cholesky) reference solution.
// Covers two sizes with a specialised (vector) kernel, 16 and 64 (the default), and the
// run-time-k fallback (20).
class CgMatchesExactTest : public ::testing::TestWithParam<int> {};

TEST_P(CgMatchesExactTest, ConvergesToExactSolve) {
  const int k = GetParam(), items = 200, users = 40;
  std::mt19937 rng(5);
  std::normal_distribution<float> normal(0, 0.3f);
  std::vector<float> Y(items * k);
  for (float& v : Y) v = normal(rng);
  Interactions d;
  d.num_users = users;
  d.num_items = items;
  for (int u = 0; u < users; ++u) {
    for (int t = 0; t < 1 + u % 17; ++t) d.Add(u, rng() % items, 0, 1.0f + rng() % 3);
  }
  CsrMatrix m = *BuildUserItemMatrix(d);
  std::vector<float> YtY = Gramian(Y, items, k, 0.5f, 2);
  const float alpha = 2.0f;
  std::vector<float> X(users * k, 0.0f);
  // 3 steps per sweep, warm-started: a few sweeps converge.
  for (int sweep = 0; sweep < 10; ++sweep) SolveRowsCg(m, Y, YtY, k, alpha, 3, X, 2);
  for (int u = 0; u < users; ++u) {
    std::vector<float> exact(k);
    SolveRowExact(m.row_indices(u), m.row_values(u), Y, YtY, k, alpha, exact);
    for (int a = 0; a < k; ++a) EXPECT_NEAR(X[u * k + a], exact[a], 1e-3) << u << "," << a;
  }
  // With a prior, a row without non-zeros converges to w·μ.
  std::vector<float> mu(users * k);
  for (float& v : mu) v = normal(rng);
  Interactions none;
  none.num_users = users;
  none.num_items = items;
  none.Add(users - 1, 0, 0, 1.0f);  // all rows but the last empty
  CsrMatrix sparse = *BuildUserItemMatrix(none);
  const std::vector<float> prior = PriorTerm(mu, YtY, k, 0.5f, 2);
  std::vector<float> P(users * k, 0.0f);
  for (int sweep = 0; sweep < 10; ++sweep) SolveRowsCg(sparse, Y, YtY, k, alpha, 3, P, 2, prior);
  for (int u = 0; u + 1 < users; ++u) {
    for (int a = 0; a < k; ++a) EXPECT_NEAR(P[u * k + a], 0.5f * mu[u * k + a], 1e-3) << u;
  }
}

INSTANTIATE_TEST_SUITE_P(FactorCounts, CgMatchesExactTest, ::testing::Values(16, 20, 64));

TEST(LeastSquaresTest, GramianAddsRegularizationToYtY) {
  std::vector<float> Y = {1, 2, 3, 4, 5, 6};  // 3 rows x 2
  std::vector<float> g = Gramian(Y, 3, 2, 0.5f, 1);
  EXPECT_FLOAT_EQ(g[0], 1 + 9 + 25 + 0.5f);
  EXPECT_FLOAT_EQ(g[1], 2 + 12 + 30);
  EXPECT_FLOAT_EQ(g[2], 2 + 12 + 30);
  EXPECT_FLOAT_EQ(g[3], 4 + 16 + 36 + 0.5f);
}

// A row with no non-zeros lands at w·μ (PriorTerm makes w·μ the exact solution), and a row with
// many stays near its own fit, which the prior only nudges.
TEST(LeastSquaresTest, PriorTermPlacesRowsWithoutDataAtTheirPrior) {
  const int k = 2;
  std::vector<float> Y = {1, 0, 0, 1, 1, 1, 2, 1};  // 4 columns
  std::vector<float> YtY = Gramian(Y, 4, k, 0.5f, 1);
  Interactions d;
  d.num_users = 2;
  d.num_items = 4;
  for (int i = 0; i < 4; ++i) d.Add(1, i, 0, 3.0f);  // row 0 empty, row 1 full
  CsrMatrix m = *BuildUserItemMatrix(d);
  const std::vector<float> mu = {0.4f, -0.2f, 5.0f, 5.0f};
  std::vector<float> prior = PriorTerm(mu, YtY, k, 0.5f, 1);
  std::vector<float> X(2 * k, 0.0f), plain(2 * k, 0.0f);
  // CG solves a 2×2 system exactly in two steps.
  SolveRowsCg(m, Y, YtY, k, 2.0f, 2, X, 1, prior);
  SolveRowsCg(m, Y, YtY, k, 2.0f, 2, plain, 1);
  EXPECT_NEAR(X[0], 0.2f, 1e-5);
  EXPECT_NEAR(X[1], -0.1f, 1e-5);
  EXPECT_EQ(plain[0], 0.0f);
  EXPECT_EQ(plain[1], 0.0f);
  // Row 1: pulled toward (2.5, 2.5) but far from it.
  EXPECT_GT(X[2], plain[2]);
  EXPECT_LT(X[2], 1.0f);
}

}  // namespace
}  // namespace tailor::algo::als
