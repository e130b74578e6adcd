// IdDictionary: interns strings (user and item ids, event types, categorical values) as dense
// codes 0, 1, 2... in first-seen order. Keys are copied into an append-only arena whose blocks
// never move, so the string_views it hands out stay valid for the dictionary's lifetime, even
// while more keys are added; that lets an import thread publish new keys to a merging thread
// while it keeps interning. The table is open addressing with linear probing over
// (hash, code) slots, which is several times faster than std::unordered_map<std::string, ...>
// for the short keys of an import.
// Thread-safety: not thread-safe. A string_view returned by key() may be read by another thread
// (after a happens-before edge) while the owner keeps adding keys: arena bytes never change.
#pragma once

#include <cstdint>
#include <cstring>
#include <memory>
#include <string_view>
#include <vector>

namespace tailor::data {

// A fast non-cryptographic hash for short byte strings (8 bytes per step, then a final mix).
inline uint64_t HashBytes(const char* p, size_t n) {
  constexpr uint64_t kMul = 0x9FB21C651E98DF25ull;
  uint64_t h = 0x9E3779B97F4A7C15ull ^ (n * 0xFF51AFD7ED558CCDull);
  while (n >= 8) {
    uint64_t w;
    std::memcpy(&w, p, 8);
    h = (h ^ w) * kMul;
    h ^= h >> 29;
    p += 8;
    n -= 8;
  }
  if (n > 0) {
    uint64_t w = 0;
    std::memcpy(&w, p, n);
    h = (h ^ w) * kMul;
    h ^= h >> 32;
  }
  h ^= h >> 31;
  h *= 0xBF58476D1CE4E5B9ull;
  h ^= h >> 27;
  return h;
}

class IdDictionary {
 public:
  static constexpr uint32_t kNotFound = UINT32_MAX;

  IdDictionary() { Rehash(64); }
  IdDictionary(const IdDictionary&) = delete;
  IdDictionary& operator=(const IdDictionary&) = delete;

  // The code of `key`, adding it with the next code when new.
  uint32_t Intern(std::string_view key) { return Intern(key, HashBytes(key.data(), key.size())); }

  // Intern with the key's HashBytes already computed.
  uint32_t Intern(std::string_view key, uint64_t hash) {
    const uint64_t word = ShortWord(key);
    size_t i = hash & mask_;
    while (true) {
      const Slot& slot = slots_[i];
      if (slot.code == kNotFound) break;
      if (slot.hash == hash && Matches(slot, key, word)) return slot.code;
      i = (i + 1) & mask_;
    }
    const auto code = static_cast<uint32_t>(keys_.size());
    std::string_view stored = Store(key);
    keys_.push_back(stored);
    slots_[i] = Slot{hash, key.size() <= 8 ? word : reinterpret_cast<uint64_t>(stored.data()),
                     static_cast<uint32_t>(key.size()), code};
    if (keys_.size() * 2 > slots_.size()) Rehash(slots_.size() * 2);
    return code;
  }

  // Hints the CPU to fetch the slot a key of this hash starts probing at. Interning a batch
  // of keys with their slots prefetched a few keys ahead hides most cache misses of a table
  // larger than the cache.
  void Prefetch(uint64_t hash) const { __builtin_prefetch(&slots_[hash & mask_]); }

  // The code of `key`, or kNotFound.
  uint32_t Find(std::string_view key) const {
    const uint64_t hash = HashBytes(key.data(), key.size());
    const uint64_t word = ShortWord(key);
    for (size_t i = hash & mask_;; i = (i + 1) & mask_) {
      const Slot& slot = slots_[i];
      if (slot.code == kNotFound) return kNotFound;
      if (slot.hash == hash && Matches(slot, key, word)) return slot.code;
    }
  }

  size_t size() const { return keys_.size(); }
  // REQUIRES: code < size(). Valid for the dictionary's lifetime.
  std::string_view key(uint32_t code) const { return keys_[code]; }

 private:
  // A slot holds keys of up to 8 bytes inline (ids are usually that short), so a probe that
  // hits compares one word and touches no other memory; longer keys keep their arena address.
  struct Slot {
    uint64_t hash = 0;
    uint64_t word = 0;  // the key's bytes (zero-padded) when len <= 8, else its arena address
    uint32_t len = 0;
    uint32_t code = kNotFound;
  };
  static constexpr size_t kArenaBlock = 1 << 16;

  static uint64_t ShortWord(std::string_view key) {
    uint64_t word = 0;
    if (key.size() <= 8) std::memcpy(&word, key.data(), key.size());
    return word;
  }
  static bool Matches(const Slot& slot, std::string_view key, uint64_t word) {
    if (slot.len != key.size()) return false;
    if (key.size() <= 8) return slot.word == word;
    return std::memcmp(reinterpret_cast<const char*>(slot.word), key.data(), key.size()) == 0;
  }

  std::string_view Store(std::string_view key) {
    if (key.empty()) return std::string_view();
    if (key.size() > kArenaBlock / 4) {
      // Big keys get a block of their own so they do not waste the current one.
      blocks_.emplace_back(new char[key.size()]);
      std::memcpy(blocks_.back().get(), key.data(), key.size());
      return std::string_view(blocks_.back().get(), key.size());
    }
    if (block_used_ + key.size() > kArenaBlock || current_ == nullptr) {
      blocks_.emplace_back(new char[kArenaBlock]);
      current_ = blocks_.back().get();
      block_used_ = 0;
    }
    char* dst = current_ + block_used_;
    std::memcpy(dst, key.data(), key.size());
    block_used_ += key.size();
    return std::string_view(dst, key.size());
  }

  void Rehash(size_t capacity) {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(capacity, Slot{});
    mask_ = capacity - 1;
    for (const Slot& slot : old) {
      if (slot.code == kNotFound) continue;
      size_t i = slot.hash & mask_;
      while (slots_[i].code != kNotFound) i = (i + 1) & mask_;
      slots_[i] = slot;
    }
  }

  std::vector<Slot> slots_;
  size_t mask_ = 0;
  // keys_ may reallocate (its string_views move) but the bytes they point to never do.
  std::vector<std::string_view> keys_;
  std::vector<std::unique_ptr<char[]>> blocks_;
  char* current_ = nullptr;
  size_t block_used_ = 0;
};

}  // namespace tailor::data
