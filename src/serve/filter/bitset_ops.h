// Word-level operations on the plain bitsets filters produce: std::vector<uint64_t>, 64 entries
// per word, bit (i % 64) of word (i / 64) for entry i, the layout of RecommendOptions::exclude
// (algo/model.h). Bits at positions >= the catalogue size are kept zero. Layer-internal.
// Thread-safety: pure functions over caller-owned spans.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace tailor::serve {

inline size_t BitsetWords(size_t num_entries) { return (num_entries + 63) / 64; }

inline void SetBit(std::span<uint64_t> bits, size_t i) { bits[i >> 6] |= uint64_t{1} << (i & 63); }
inline void FlipBit(std::span<uint64_t> bits, size_t i) { bits[i >> 6] ^= uint64_t{1} << (i & 63); }
inline bool TestBit(std::span<const uint64_t> bits, size_t i) {
  return (bits[i >> 6] >> (i & 63)) & 1;
}

// REQUIRES for the binary operations: equal sizes.
inline void OrInto(std::span<uint64_t> dst, std::span<const uint64_t> src) {
  for (size_t w = 0; w < dst.size(); ++w) dst[w] |= src[w];
}
inline void XorInto(std::span<uint64_t> dst, std::span<const uint64_t> src) {
  for (size_t w = 0; w < dst.size(); ++w) dst[w] ^= src[w];
}
inline void AndInto(std::span<uint64_t> dst, std::span<const uint64_t> src) {
  for (size_t w = 0; w < dst.size(); ++w) dst[w] &= src[w];
}
// dst = src & ~dst: the entries of `src` that `dst` lacks.
inline void ComplementWithin(std::span<uint64_t> dst, std::span<const uint64_t> src) {
  for (size_t w = 0; w < dst.size(); ++w) dst[w] = src[w] & ~dst[w];
}
// dst &= ~src.
inline void AndNotInto(std::span<uint64_t> dst, std::span<const uint64_t> src) {
  for (size_t w = 0; w < dst.size(); ++w) dst[w] &= ~src[w];
}

// A bitset of `num_entries` entries, all set (tail bits zero).
inline std::vector<uint64_t> AllSetBitset(size_t num_entries) {
  std::vector<uint64_t> bits(BitsetWords(num_entries), ~uint64_t{0});
  if (num_entries % 64 != 0) bits.back() = (uint64_t{1} << (num_entries % 64)) - 1;
  return bits;
}

}  // namespace tailor::serve
