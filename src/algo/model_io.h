// ByteWriter / ByteReader: little-endian binary encoding of model payloads, and the artifact
// envelope every saved model is wrapped in:
//   "TLRM" magic (4 bytes) | u32 format version | u32 tag length | tag (model type, e.g. "ials")
//   | u64 payload length | payload | u32 zlib crc32 of every preceding byte.
// The spec is docs/formats/model_artifact.md (style.md X5).
// Thread-safety: not thread-safe; one writer or reader per thread.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "common/status.h"
#include "common/status_or.h"

namespace tailor::algo {

inline constexpr char kModelMagic[4] = {'T', 'L', 'R', 'M'};
inline constexpr uint32_t kModelFormatVersion = 1;

class ByteWriter {
 public:
  explicit ByteWriter(std::string* out) : out_(out) {}
  template <typename T>
  void Put(T v) {
    static_assert(std::is_trivially_copyable_v<T>);
    out_->append(reinterpret_cast<const char*>(&v), sizeof(T));
  }
  void PutString(std::string_view s) {
    Put<uint64_t>(s.size());
    out_->append(s);
  }
  // A length-prefixed section that write(buffer) appends in place, the same bytes as PutString of
  // it without the copy (a nested model's artifact, say). Returns what `write` returns.
  template <typename Write>
  Status PutSection(Write write) {
    Put<uint64_t>(0);
    const size_t mark = out_->size();
    Status s = write(out_);
    const uint64_t n = out_->size() - mark;
    std::memcpy(out_->data() + mark - sizeof(n), &n, sizeof(n));
    return s;
  }
  // A length-prefixed array of trivially copyable values.
  template <typename T>
  void PutVector(const std::vector<T>& v) {
    static_assert(std::is_trivially_copyable_v<T>);
    Put<uint64_t>(v.size());
    out_->append(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(T));
  }

 private:
  std::string* out_;
};

// Reads what ByteWriter wrote. Every getter returns false (and stays failed) on truncation.
class ByteReader {
 public:
  explicit ByteReader(std::string_view in) : in_(in) {}
  template <typename T>
  bool Get(T* v) {
    static_assert(std::is_trivially_copyable_v<T>);
    if (!ok_ || in_.size() < sizeof(T)) return ok_ = false;
    std::memcpy(v, in_.data(), sizeof(T));
    in_.remove_prefix(sizeof(T));
    return true;
  }
  bool GetString(std::string* s) {
    uint64_t n = 0;
    if (!Get(&n) || in_.size() < n) return ok_ = false;
    s->assign(in_.data(), n);
    in_.remove_prefix(n);
    return true;
  }
  template <typename T>
  bool GetVector(std::vector<T>* v) {
    uint64_t n = 0;
    if (!Get(&n) || n > in_.size() / sizeof(T)) return ok_ = false;
    v->resize(n);
    std::memcpy(v->data(), in_.data(), n * sizeof(T));
    in_.remove_prefix(n * sizeof(T));
    return true;
  }
  bool ok() const { return ok_; }
  size_t remaining() const { return in_.size(); }
  // Internal("corrupt model artifact: <what>") when a read failed, else OK.
  Status status(std::string_view what) const;

 private:
  std::string_view in_;
  bool ok_ = true;
};

// Wraps `payload` in the envelope above and appends it to *out.
void WriteModelEnvelope(std::string_view tag, std::string_view payload, std::string* out);
// The same around a payload appended in place, which spares a payload-sized copy (a 25M-event
// user-personalization artifact is 730 MB): BeginModelEnvelope appends the header and returns
// where the envelope starts, the caller appends the payload to *out, and EndModelEnvelope fills
// the payload's length in and appends the checksum.
size_t BeginModelEnvelope(std::string_view tag, std::string* out);
void EndModelEnvelope(size_t start, std::string* out);

struct ModelEnvelope {
  std::string tag;
  std::string_view payload;  // points into the bytes given to ReadModelEnvelope
};

// Parses and checks an envelope. Internal naming the problem when the magic, version, lengths or
// crc32 do not match. The payload view borrows from `bytes`.
StatusOr<ModelEnvelope> ReadModelEnvelope(std::string_view bytes);

}  // namespace tailor::algo
