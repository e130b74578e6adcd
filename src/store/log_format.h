// The event log's on-disk constants and small codecs shared by log::Writer and log::FileReader:
// LevelDB's block framing plus a file header (docs/formats/event_log.md). Internal to store/.
// Thread-safety: constants and pure functions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"

namespace tailor::store::log {

// Fragments never cross a multiple of kBlockSize (counted from the start of the file).
constexpr size_t kBlockSize = 32768;
// Fragment header: masked CRC32C (4) + payload length (2) + type (1).
constexpr size_t kHeaderSize = 4 + 2 + 1;

enum class RecordType : uint8_t {
  kZero = 0,  // reserved; never written (zero-filled space reads as corrupt)
  kFull = 1,
  kFirst = 2,
  kMiddle = 3,
  kLast = 4,
};
constexpr uint8_t kMaxRecordType = 4;

// File header: magic (8) + version (4) + type tag (4) + file number (8) + masked CRC32C of the
// preceding 24 bytes (4) + reserved zero (4).
constexpr size_t kFileHeaderSize = 32;
constexpr std::string_view kFileMagic = "TLREVLOG";
constexpr uint32_t kFormatVersion = 1;

struct FileHeader {
  uint32_t version = kFormatVersion;
  uint32_t type_tag = 0;
  uint64_t file_number = 0;
};

// Returns the kFileHeaderSize bytes of `header`.
std::string EncodeFileHeader(const FileHeader& header);
// Parses kFileHeaderSize bytes. Internal when the magic or the CRC is wrong, naming `path`.
// Does not check the version, tag or number; the caller does, to word its own message.
Status DecodeFileHeader(std::string_view bytes, const std::string& path, FileHeader* header);

// "<dir>/<number, at least 8 digits>.log".
std::string LogFileName(const std::string& dir, uint64_t number);
// True, setting *number, when `name` (no folder) is a log file name: decimal digits + ".log".
bool ParseLogFileName(std::string_view name, uint64_t* number);

// Little-endian fixed-width integers.
inline void PutFixed16(char* p, uint16_t v) {
  p[0] = static_cast<char>(v & 0xff);
  p[1] = static_cast<char>(v >> 8);
}
inline void PutFixed32(char* p, uint32_t v) {
  for (int i = 0; i < 4; ++i) p[i] = static_cast<char>((v >> (8 * i)) & 0xff);
}
inline void PutFixed64(char* p, uint64_t v) {
  for (int i = 0; i < 8; ++i) p[i] = static_cast<char>((v >> (8 * i)) & 0xff);
}
inline uint16_t GetFixed16(const char* p) {
  return static_cast<uint16_t>(static_cast<unsigned char>(p[0]) |
                               (static_cast<unsigned char>(p[1]) << 8));
}
inline uint32_t GetFixed32(const char* p) {
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) {
    v |= static_cast<uint32_t>(static_cast<unsigned char>(p[i])) << (8 * i);
  }
  return v;
}
inline uint64_t GetFixed64(const char* p) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) {
    v |= static_cast<uint64_t>(static_cast<unsigned char>(p[i])) << (8 * i);
  }
  return v;
}

}  // namespace tailor::store::log
