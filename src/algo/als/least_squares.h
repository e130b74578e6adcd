// Implicit-feedback least squares (Hu, Koren, Volinsky 2008, "Collaborative Filtering for
// Implicit Feedback Datasets", eq. 4): for a row u with confidences C_u = 1 + alpha·r_ui on its
// non-zeros and preference p_ui = 1, x_u = (YᵀY + Yᵀ(C_u − I)Y + λI)⁻¹ YᵀC_u p_u.
// SolveRowsCg is the fast kernel: a few conjugate-gradient steps warm-started from the current
// x_u (Takács, Pilászy, Tikk 2011, "Applications of the conjugate gradient method for implicit
// feedback collaborative filtering", Alg. 2), the approach of implicit's least_squares_cg.
// SolveRowExact is the simple reference (a k×k Cholesky solve per row), also used for fold-in.
// Thread-safety: pure functions over caller-owned buffers; SolveRowsCg writes distinct rows of
// X from several threads.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "algo/interaction_matrix.h"

namespace tailor::algo::als {

// YtY = YᵀY + reg·I for Y with `rows` rows of `k` floats (row-major). Returns k·k floats.
std::vector<float> Gramian(std::span<const float> Y, int64_t rows, int k, float reg,
                           int num_threads);

// Updates X (m.num_rows × k, row-major) in place: for each row u of `m` (non-zeros r_ui, any
// positive value), `cg_steps` CG steps on the system above, starting from the current x_u.
// `YtY` must come from Gramian(Y, ..., reg). Rows with no non-zeros are set to zero.
// With `prior` (m.num_rows × k, from PriorTerm) row u's right-hand side gains prior_u, which
// moves its solution toward its prior mean instead of toward zero.
void SolveRowsCg(const CsrMatrix& m, std::span<const float> Y, std::span<const float> YtY, int k,
                 float alpha, int cg_steps, std::span<float> X, int num_threads,
                 std::span<const float> prior = {});

// The right-hand-side term that makes w·μ_u the exact solution of a row with no non-zeros:
// w·(YtY)μ_u per row of `mu` (rows × k). A row with few non-zeros then lands near w·μ_u, one
// with many near its own least-squares fit. Rewrites and returns `mu`.
std::vector<float> PriorTerm(std::vector<float> mu, std::span<const float> YtY, int k, float w,
                             int num_threads);

// The exact solution for one row given its (column, value) pairs: the reference for
// SolveRowsCg and the fold-in path for users unseen in training. Writes k floats to x.
void SolveRowExact(std::span<const int32_t> cols, std::span<const float> values,
                   std::span<const float> Y, std::span<const float> YtY, int k, float alpha,
                   std::span<float> x);

}  // namespace tailor::algo::als
