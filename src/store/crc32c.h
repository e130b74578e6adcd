// CRC32C (Castagnoli, polynomial 0x1EDC6F41, reflected), as LevelDB's log framing uses, plus
// LevelDB's masking of stored CRCs. Software only: the event log's rate (a few MB/s) is far below
// what the table-driven version computes. Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace tailor::store::crc32c {

// Returns the CRC32C of `data` appended to a string whose CRC32C is `init_crc`.
// Extend(Extend(0, a), b) == Value(a + b).
uint32_t Extend(uint32_t init_crc, const char* data, size_t n);

// The plain bit-at-a-time version Extend is tested against (style.md X7).
uint32_t ExtendReference(uint32_t init_crc, const char* data, size_t n);

inline uint32_t Value(std::string_view data) { return Extend(0, data.data(), data.size()); }

// Computing the CRC of a string that contains embedded CRCs is problematic, so stored CRCs are
// masked (rotated and offset), exactly as in LevelDB's util/crc32c.h.
constexpr uint32_t kMaskDelta = 0xa282ead8u;
inline uint32_t Mask(uint32_t crc) { return ((crc >> 15) | (crc << 17)) + kMaskDelta; }
inline uint32_t Unmask(uint32_t masked) {
  uint32_t rot = masked - kMaskDelta;
  return (rot >> 17) | (rot << 15);
}

}  // namespace tailor::store::crc32c
