#include "algo/dot_product.h"

namespace tailor::algo {

// The clones are named by ISA level, which the resolver reads from the CPU's feature bits. A
// clone named after a CPU model ("arch=haswell") is chosen only on that model: on an AMD EPYC
// with AVX2 and FMA the serving path ran the SSE default (perf: "Dot [clone .default]").
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define TAILOR_DOT_CLONES \
  __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define TAILOR_DOT_CLONES
#endif

TAILOR_DOT_CLONES
float Dot(const float* x, const float* y, int k) {
  float s = 0;
#pragma omp simd reduction(+ : s)
  for (int a = 0; a < k; ++a) s += x[a] * y[a];
  return s;
}

// The loop over rows lives inside the clone, so a full scan picks its kernel once rather than
// once per row.
TAILOR_DOT_CLONES
void DotRows(const float* x, const float* rows, int64_t n, int k, float* scores) {
  for (int64_t i = 0; i < n; ++i) {
    const float* y = rows + i * k;
    float s = 0;
#pragma omp simd reduction(+ : s)
    for (int a = 0; a < k; ++a) s += x[a] * y[a];
    scores[i] = s;
  }
}

#undef TAILOR_DOT_CLONES

}  // namespace tailor::algo
