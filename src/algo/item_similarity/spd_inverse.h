// The inverse of a symmetric positive-definite matrix, the O(n³) step of EASE training
// (ease_model.h: P = (XᵀX + λI)⁻¹). InvertSpd factors A = L·Lᵀ in place and then solves for
// independent column blocks of A⁻¹ on several threads; InvertSpdReference is the plain Eigen
// LLT solve it is tested against (style.md X7).
// Thread-safety: pure functions.
#pragma once

#include <Eigen/Core>

namespace tailor::algo {

// A⁻¹ for SPD A (n×n), using num_threads threads for the solve. Takes A by value and reuses
// its storage for the factor, so peak memory is two n×n matrices. REQUIRES: A is SPD.
Eigen::MatrixXf InvertSpd(Eigen::MatrixXf A, int num_threads);

// The same with one Eigen call: A.llt().solve(I).
Eigen::MatrixXf InvertSpdReference(const Eigen::MatrixXf& A);

}  // namespace tailor::algo
