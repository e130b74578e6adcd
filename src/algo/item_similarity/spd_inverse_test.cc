#include "algo/item_similarity/spd_inverse.h"

#include <random>

#include <gtest/gtest.h>

namespace tailor::algo {
namespace {

// A Gram matrix XᵀX + λI of random binary X: the shape EASE inverts.
Eigen::MatrixXf RandomGram(int n, float lambda) {
  std::mt19937 rng(3);
  Eigen::MatrixXf X = Eigen::MatrixXf::Zero(4 * n, n);
  for (int r = 0; r < X.rows(); ++r) {
    for (int c = 0; c < n; ++c) X(r, c) = (rng() % 5 == 0) ? 1.0f : 0.0f;
  }
  Eigen::MatrixXf G = X.transpose() * X;
  G.diagonal().array() += lambda;
  return G;
}

TEST(SpdInverseTest, MatchesReferenceAcrossBlockSizes) {
  // 1 and 300 straddle the 128-column block: a single partial block and several with a tail.
  for (int n : {1, 7, 128, 300}) {
    for (int threads : {1, 3}) {
      Eigen::MatrixXf G = RandomGram(n, 2.0f);
      Eigen::MatrixXf want = InvertSpdReference(G);
      Eigen::MatrixXf got = InvertSpd(G, threads);
      ASSERT_EQ(got.rows(), n);
      ASSERT_EQ(got.cols(), n);
      EXPECT_LT((got - want).cwiseAbs().maxCoeff(), 1e-4f * want.cwiseAbs().maxCoeff())
          << "n=" << n << " threads=" << threads;
      EXPECT_LT((G * got - Eigen::MatrixXf::Identity(n, n)).cwiseAbs().maxCoeff(), 1e-3f);
    }
  }
}

}  // namespace
}  // namespace tailor::algo
