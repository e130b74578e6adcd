#include "algo/item_similarity/spd_inverse.h"

#include <algorithm>

#include <Eigen/Cholesky>

#include "algo/parallel.h"

namespace tailor::algo {

Eigen::MatrixXf InvertSpd(Eigen::MatrixXf A, int num_threads) {
  const int64_t n = A.rows();
  // In place: A's lower triangle becomes L (A = L·Lᵀ).
  Eigen::LLT<Eigen::Ref<Eigen::MatrixXf>> llt(A);
  const auto& L = llt.matrixLLT();
  Eigen::MatrixXf P(n, n);
  // Column block [c0, c0 + w) of A⁻¹ solves L·Lᵀ·X = I[:, c0 : c0 + w). The forward step only
  // touches rows >= c0 (the right-hand side is zero above), which saves a third of its work;
  // blocks are independent, so they run on the training threads.
  constexpr int64_t kBlock = 128;
  ParallelFor(
      0, (n + kBlock - 1) / kBlock, num_threads,
      [&](int, int64_t b) {
        const int64_t c0 = b * kBlock, w = std::min(kBlock, n - c0), m = n - c0;
        Eigen::MatrixXf Y = Eigen::MatrixXf::Zero(n, w);
        Y.bottomRows(m).topRows(w).setIdentity();
        L.bottomRightCorner(m, m).triangularView<Eigen::Lower>().solveInPlace(Y.bottomRows(m));
        L.triangularView<Eigen::Lower>().adjoint().solveInPlace(Y);
        P.middleCols(c0, w) = Y;
      },
      1);
  return P;
}

Eigen::MatrixXf InvertSpdReference(const Eigen::MatrixXf& A) {
  return A.llt().solve(Eigen::MatrixXf::Identity(A.rows(), A.cols()));
}

}  // namespace tailor::algo
