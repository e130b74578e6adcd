#include "algo/als/least_squares.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include <Eigen/Cholesky>
#include <Eigen/Core>

#include "algo/parallel.h"

namespace tailor::algo::als {
namespace {

using RowMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// Rows of Y are gathered at random (one per interaction) and each spans k / 16 cache lines; the
// loops below ask for the row kPrefetchAhead interactions ahead, every line of it, so that its
// load overlaps the work on the rows before it.
constexpr int64_t kPrefetchAhead = 8;

[[gnu::always_inline]] inline void PrefetchRow(const float* Y, const int32_t* cols, int64_t t,
                                               int64_t n, int k) {
  if (t + kPrefetchAhead >= n) return;
  const float* row = Y + static_cast<int64_t>(cols[t + kPrefetchAhead]) * k;
  for (int a = 0; a < k; a += 16) __builtin_prefetch(row + a);
}

// Eight floats as one value: GCC lowers these to AVX registers inside the target("avx2,fma")
// kernel and to SSE pairs in the baseline one, where the same code as plain loops reduced each
// dot product through memory one lane at a time.
// (Every function taking or returning one is always inlined, so GCC's note that passing AVX
// values changes the ABI never applies.)
#pragma GCC diagnostic ignored "-Wpsabi"
using V8 = float __attribute__((vector_size(32)));
using V4 = float __attribute__((vector_size(16)));
using V8Unaligned = float __attribute__((vector_size(32), aligned(4), may_alias));

[[gnu::always_inline]] inline V8 Load8(const float* p) {
  return *reinterpret_cast<const V8Unaligned*>(p);
}
[[gnu::always_inline]] inline void Store8(float* p, V8 v) {
  *reinterpret_cast<V8Unaligned*>(p) = v;
}
[[gnu::always_inline]] inline float Sum8(V8 v) {
  V4 s = __builtin_shufflevector(v, v, 0, 1, 2, 3) + __builtin_shufflevector(v, v, 4, 5, 6, 7);
  s += __builtin_shufflevector(s, s, 2, 3, 0, 1);
  s += __builtin_shufflevector(s, s, 1, 0, 3, 2);
  return s[0];
}

// acc += Σ_t coef(t, y_t · v) y_t over the rows y_t = Y[cols[t]] of k floats, the loop both
// the residual and every CG step spend their time in. For K > 0 (a multiple of 16) v and acc
// stay in registers and the dot product runs on two accumulators, so that consecutive FMAs do
// not wait on each other; K = 0 is the plain loop for any k.
template <int K, typename Coef>
[[gnu::always_inline]] inline void GatherUpdate(const int32_t* cols, int64_t n, const float* Y,
                                                int k, const float* v, float* acc, Coef coef) {
  if constexpr (K == 0) {
    for (int64_t t = 0; t < n; ++t) {
      PrefetchRow(Y, cols, t, n, k);
      const float* y = Y + static_cast<int64_t>(cols[t]) * k;
      float yv = 0;
#pragma omp simd reduction(+ : yv)
      for (int a = 0; a < k; ++a) yv += y[a] * v[a];
      const float c = coef(t, yv);
#pragma omp simd
      for (int a = 0; a < k; ++a) acc[a] += c * y[a];
    }
  } else {
    static_assert(K % 16 == 0);
    constexpr int kLanes = K / 8;
    V8 vv[kLanes], av[kLanes];
#pragma GCC unroll 16
    for (int l = 0; l < kLanes; ++l) {
      vv[l] = Load8(v + 8 * l);
      av[l] = Load8(acc + 8 * l);
    }
    for (int64_t t = 0; t < n; ++t) {
      PrefetchRow(Y, cols, t, n, K);
      const float* y = Y + static_cast<int64_t>(cols[t]) * K;
      V8 even = Load8(y) * vv[0], odd = Load8(y + 8) * vv[1];
#pragma GCC unroll 16
      for (int l = 2; l < kLanes; l += 2) {
        even += Load8(y + 8 * l) * vv[l];
        odd += Load8(y + 8 * l + 8) * vv[l + 1];
      }
      const float c = coef(t, Sum8(even + odd));
#pragma GCC unroll 16
      for (int l = 0; l < kLanes; ++l) av[l] += c * Load8(y + 8 * l);
    }
#pragma GCC unroll 16
    for (int l = 0; l < kLanes; ++l) Store8(acc + 8 * l, av[l]);
  }
}

// out = A v for the symmetric k×k Gramian. For K > 0, as a sum of A's rows scaled by v's entries
// (equal to its columns), so that no lane has to be summed across.
template <int K>
[[gnu::always_inline]] inline void SymmetricMatVec(const float* A, const float* v, int k,
                                                   float* out) {
  if constexpr (K == 0) {
    for (int a = 0; a < k; ++a) {
      float s = 0;
#pragma omp simd reduction(+ : s)
      for (int b = 0; b < k; ++b) s += A[a * k + b] * v[b];
      out[a] = s;
    }
  } else {
    static_assert(K % 16 == 0);
    constexpr int kLanes = K / 8;
    V8 o[kLanes] = {};
    for (int b = 0; b < K; ++b) {
      const float vb = v[b];
#pragma GCC unroll 16
      for (int l = 0; l < kLanes; ++l) o[l] += vb * Load8(A + b * K + 8 * l);
    }
#pragma GCC unroll 16
    for (int l = 0; l < kLanes; ++l) Store8(out + 8 * l, o[l]);
  }
}

// The CG body, specialised on the factor count K (0: k at run time) so the common sizes unroll
// into registers. Inlined into an AVX2+FMA wrapper and a baseline one; SolveRowsCg picks one at
// run time, so the binary stays portable.
template <int K>
[[gnu::always_inline]] inline void CgBody(const int32_t* cols, const float* vals, int64_t n,
                                          const float* Y, const float* YtY, const float* prior,
                                          int k_dyn, float alpha, int cg_steps, float* x, float* r,
                                          float* p, float* ap) {
  const int k = K > 0 ? K : k_dyn;
  // Takács et al. 2011, Alg. 2 in implicit's form: r = b − A x with
  // A = YtY + Σ_i (c_i − 1) y_i y_iᵀ and b = Σ_i c_i y_i (+ the prior term, when given).
  SymmetricMatVec<K>(YtY, x, k, r);
  for (int a = 0; a < k; ++a) r[a] = (prior != nullptr ? prior[a] : 0.0f) - r[a];
  // r += Σ_i (c_i − (c_i − 1) y_i·x) y_i.
  GatherUpdate<K>(cols, n, Y, k, x, r, [&](int64_t t, float yx) {
    const float c = 1.0f + alpha * vals[t];
    return c - (c - 1.0f) * yx;
  });
  float rsold = 0;
#pragma omp simd reduction(+ : rsold)
  for (int a = 0; a < k; ++a) {
    p[a] = r[a];
    rsold += r[a] * r[a];
  }
  if (rsold < 1e-20f) return;
  for (int step = 0; step < cg_steps; ++step) {
    SymmetricMatVec<K>(YtY, p, k, ap);
    // ap += Σ_i (c_i − 1)(y_i·p) y_i.
    GatherUpdate<K>(cols, n, Y, k, p, ap,
                    [&](int64_t t, float yp) { return alpha * vals[t] * yp; });
    float pap = 0;
#pragma omp simd reduction(+ : pap)
    for (int a = 0; a < k; ++a) pap += p[a] * ap[a];
    if (pap <= 0) return;
    const float step_size = rsold / pap;
    float rsnew = 0;
#pragma omp simd reduction(+ : rsnew)
    for (int a = 0; a < k; ++a) {
      x[a] += step_size * p[a];
      r[a] -= step_size * ap[a];
      rsnew += r[a] * r[a];
    }
    if (rsnew < 1e-20f) return;
    const float beta = rsnew / rsold;
#pragma omp simd
    for (int a = 0; a < k; ++a) p[a] = r[a] + beta * p[a];
    rsold = rsnew;
  }
}

using CgFn = void (*)(const int32_t*, const float*, int64_t, const float*, const float*,
                      const float*, int, float, int, float*, float*, float*, float*);

template <int K>
__attribute__((target("avx2,fma"))) void CgAvx2(const int32_t* cols, const float* vals, int64_t n,
                                                const float* Y, const float* YtY,
                                                const float* prior, int k, float alpha,
                                                int cg_steps, float* x, float* r, float* p,
                                                float* ap) {
  CgBody<K>(cols, vals, n, Y, YtY, prior, k, alpha, cg_steps, x, r, p, ap);
}

template <int K>
void CgBaseline(const int32_t* cols, const float* vals, int64_t n, const float* Y, const float* YtY,
                const float* prior, int k, float alpha, int cg_steps, float* x, float* r, float* p,
                float* ap) {
  CgBody<K>(cols, vals, n, Y, YtY, prior, k, alpha, cg_steps, x, r, p, ap);
}

template <int K>
CgFn Pick(bool avx2) {
  return avx2 ? &CgAvx2<K> : &CgBaseline<K>;
}

CgFn SelectCgKernel(int k) {
  static const bool avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  switch (k) {
    case 16:
      return Pick<16>(avx2);
    case 32:
      return Pick<32>(avx2);
    case 64:
      return Pick<64>(avx2);
    case 128:
      return Pick<128>(avx2);
    default:
      return Pick<0>(avx2);
  }
}

}  // namespace

std::vector<float> Gramian(std::span<const float> Y, int64_t rows, int k, float reg,
                           int num_threads) {
  Eigen::Map<const RowMatrix> y(Y.data(), rows, k);
  // Split the rows into per-thread partial sums; each is a rank-update GEMM.
  const int threads = std::max(1, std::min<int>(num_threads, static_cast<int>(rows / 1024) + 1));
  std::vector<Eigen::MatrixXf> parts(threads, Eigen::MatrixXf::Zero(k, k));
  const int64_t per = (rows + threads - 1) / threads;
  ParallelFor(
      0, threads, threads,
      [&](int, int64_t t) {
        const int64_t lo = t * per, hi = std::min(rows, lo + per);
        if (hi > lo) {
          parts[t].selfadjointView<Eigen::Lower>().rankUpdate(
              y.middleRows(lo, hi - lo).transpose());
        }
      },
      1);
  Eigen::MatrixXf sum = Eigen::MatrixXf::Zero(k, k);
  for (auto& p : parts) sum += p;
  Eigen::MatrixXf full = sum.selfadjointView<Eigen::Lower>();
  full.diagonal().array() += reg;
  std::vector<float> out(static_cast<size_t>(k) * k);
  Eigen::Map<RowMatrix>(out.data(), k, k) = full;
  return out;
}

void SolveRowsCg(const CsrMatrix& m, std::span<const float> Y, std::span<const float> YtY, int k,
                 float alpha, int cg_steps, std::span<float> X, int num_threads,
                 std::span<const float> prior) {
  const int threads = std::max(1, num_threads);
  std::vector<std::vector<float>> scratch(threads, std::vector<float>(3 * k));
  const CgFn solve = SelectCgKernel(k);
  ParallelFor(
      0, m.num_rows, threads,
      [&](int t, int64_t u) {
        float* x = X.data() + u * k;
        const int64_t n = m.indptr[u + 1] - m.indptr[u];
        const float* row_prior = prior.empty() ? nullptr : prior.data() + u * k;
        if (n == 0 && row_prior == nullptr) {
          std::memset(x, 0, sizeof(float) * k);
          return;
        }
        float* s = scratch[t].data();
        solve(m.indices.data() + m.indptr[u], m.values.data() + m.indptr[u], n, Y.data(),
              YtY.data(), row_prior, k, alpha, cg_steps, x, s, s + k, s + 2 * k);
      },
      128);
}

std::vector<float> PriorTerm(std::vector<float> mu, std::span<const float> YtY, int k, float w,
                             int num_threads) {
  const int64_t rows = static_cast<int64_t>(mu.size()) / k;
  Eigen::Map<const RowMatrix> gram(YtY.data(), k, k);
  constexpr int64_t kBlock = 4096;
  ParallelFor(
      0, (rows + kBlock - 1) / kBlock, std::max(1, num_threads),
      [&](int, int64_t block) {
        const int64_t lo = block * kBlock, n = std::min(rows, lo + kBlock) - lo;
        Eigen::Map<RowMatrix> m(mu.data() + lo * k, n, k);
        m = w * (m * gram);  // YtY is symmetric: (YtY μ_u)ᵀ = μ_uᵀ YtY
      },
      1);
  return mu;
}

void SolveRowExact(std::span<const int32_t> cols, std::span<const float> values,
                   std::span<const float> Y, std::span<const float> YtY, int k, float alpha,
                   std::span<float> x) {
  Eigen::MatrixXf A = Eigen::Map<const RowMatrix>(YtY.data(), k, k);
  Eigen::VectorXf b = Eigen::VectorXf::Zero(k);
  // A = YᵀY + λI + Σ_t (c_t − 1) y_t y_tᵀ as one rank update of the gathered, scaled rows: a
  // blocked product instead of one outer product per item (this runs on every request of a
  // user with real-time events).
  const int64_t n = static_cast<int64_t>(cols.size());
  RowMatrix scaled(n, k);
  for (int64_t t = 0; t < n; ++t) {
    Eigen::Map<const Eigen::RowVectorXf> y(Y.data() + static_cast<int64_t>(cols[t]) * k, k);
    const float c = 1.0f + alpha * values[t];
    scaled.row(t) = std::sqrt(std::max(0.0f, c - 1.0f)) * y;
    b += c * y.transpose();
  }
  A.selfadjointView<Eigen::Lower>().rankUpdate(scaled.transpose());
  Eigen::VectorXf sol = A.selfadjointView<Eigen::Lower>().llt().solve(b);
  std::copy(sol.data(), sol.data() + k, x.data());
}

}  // namespace tailor::algo::als
