// The dot-product kernels behind every score: the full scan of the catalogue, candidate scoring
// and the serving graph's distance. Cloned for AVX-512 and AVX2+FMA (chosen at run time), since
// the build targets baseline x86-64; the default clone keeps other machines working.
// Thread-safety: pure functions.
#pragma once

#include <cstdint>

namespace tailor::algo {

// x · y over k floats.
float Dot(const float* x, const float* y, int k);

// scores[i] = x · rows[i] for the n rows of `rows` (k floats each, row-major).
void DotRows(const float* x, const float* rows, int64_t n, int k, float* scores);

}  // namespace tailor::algo
