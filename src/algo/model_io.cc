#include "algo/model_io.h"

#include <algorithm>

#include <zlib.h>

namespace tailor::algo {

Status ByteReader::status(std::string_view what) const {
  if (ok_) return Status::OK();
  return Status::Internal("corrupt model artifact: truncated " + std::string(what));
}

size_t BeginModelEnvelope(std::string_view tag, std::string* out) {
  const size_t start = out->size();
  ByteWriter w(out);
  out->append(kModelMagic, 4);
  w.Put<uint32_t>(kModelFormatVersion);
  w.Put<uint32_t>(static_cast<uint32_t>(tag.size()));
  out->append(tag);
  w.Put<uint64_t>(0);  // the payload's length, filled in by EndModelEnvelope
  return start;
}

void EndModelEnvelope(size_t start, std::string* out) {
  uint32_t tag_len = 0;
  std::memcpy(&tag_len, out->data() + start + 8, sizeof(tag_len));
  const size_t length_at = start + 12 + tag_len;
  const uint64_t payload_len = out->size() - (length_at + sizeof(uint64_t));
  std::memcpy(out->data() + length_at, &payload_len, sizeof(payload_len));
  uLong crc = crc32(0L, Z_NULL, 0);
  const auto* p = reinterpret_cast<const Bytef*>(out->data() + start);
  size_t len = out->size() - start;
  while (len > 0) {  // crc32 takes a uInt length; feed it in 1 GiB pieces.
    uInt piece = static_cast<uInt>(std::min<size_t>(len, 1u << 30));
    crc = crc32(crc, p, piece);
    p += piece;
    len -= piece;
  }
  ByteWriter(out).Put<uint32_t>(static_cast<uint32_t>(crc));
}

void WriteModelEnvelope(std::string_view tag, std::string_view payload, std::string* out) {
  const size_t start = BeginModelEnvelope(tag, out);
  out->append(payload);
  EndModelEnvelope(start, out);
}

StatusOr<ModelEnvelope> ReadModelEnvelope(std::string_view bytes) {
  if (bytes.size() < 4 + 4 + 4 + 8 + 4 || std::memcmp(bytes.data(), kModelMagic, 4) != 0) {
    return Status::Internal("corrupt model artifact: bad magic");
  }
  ByteReader r(bytes.substr(4, bytes.size() - 8));
  uint32_t version = 0, tag_len = 0;
  r.Get(&version);
  if (version != kModelFormatVersion) {
    return Status::Internal("model artifact format version " + std::to_string(version) +
                            " is not supported (expected " + std::to_string(kModelFormatVersion) +
                            ")");
  }
  r.Get(&tag_len);
  const size_t header = 4 + 4 + 4;
  if (bytes.size() < header + tag_len + 8 + 4)
    return Status::Internal("corrupt model artifact: tag");
  ModelEnvelope env;
  env.tag.assign(bytes.data() + header, tag_len);
  uint64_t payload_len = 0;
  std::memcpy(&payload_len, bytes.data() + header + tag_len, 8);
  const size_t payload_at = header + tag_len + 8;
  if (bytes.size() != payload_at + payload_len + 4) {
    return Status::Internal("corrupt model artifact: length mismatch");
  }
  uLong crc = crc32(0L, Z_NULL, 0);
  const auto* p = reinterpret_cast<const Bytef*>(bytes.data());
  size_t len = bytes.size() - 4;
  while (len > 0) {
    uInt piece = static_cast<uInt>(std::min<size_t>(len, 1u << 30));
    crc = crc32(crc, p, piece);
    p += piece;
    len -= piece;
  }
  uint32_t stored = 0;
  std::memcpy(&stored, bytes.data() + bytes.size() - 4, 4);
  if (stored != static_cast<uint32_t>(crc)) {
    return Status::Internal("corrupt model artifact: crc32 mismatch");
  }
  env.payload = bytes.substr(payload_at, payload_len);
  return env;
}

}  // namespace tailor::algo
