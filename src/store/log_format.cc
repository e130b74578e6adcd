#include "store/log_format.h"

#include <cstdio>

#include "store/crc32c.h"

namespace tailor::store::log {

std::string EncodeFileHeader(const FileHeader& header) {
  std::string out(kFileHeaderSize, '\0');
  out.replace(0, kFileMagic.size(), kFileMagic);
  PutFixed32(&out[8], header.version);
  PutFixed32(&out[12], header.type_tag);
  PutFixed64(&out[16], header.file_number);
  PutFixed32(&out[24], crc32c::Mask(crc32c::Extend(0, out.data(), 24)));
  return out;
}

Status DecodeFileHeader(std::string_view bytes, const std::string& path, FileHeader* header) {
  if (bytes.size() != kFileHeaderSize || bytes.substr(0, kFileMagic.size()) != kFileMagic) {
    return Status::Internal("event log file " + path + " does not start with the magic " +
                            std::string(kFileMagic));
  }
  if (crc32c::Unmask(GetFixed32(&bytes[24])) != crc32c::Extend(0, bytes.data(), 24)) {
    return Status::Internal("event log file " + path + ": file header checksum mismatch");
  }
  header->version = GetFixed32(&bytes[8]);
  header->type_tag = GetFixed32(&bytes[12]);
  header->file_number = GetFixed64(&bytes[16]);
  return Status::OK();
}

std::string LogFileName(const std::string& dir, uint64_t number) {
  char name[32];
  std::snprintf(name, sizeof(name), "%08llu.log", static_cast<unsigned long long>(number));
  return dir + "/" + name;
}

bool ParseLogFileName(std::string_view name, uint64_t* number) {
  constexpr std::string_view kSuffix = ".log";
  if (name.size() <= kSuffix.size() || name.substr(name.size() - kSuffix.size()) != kSuffix) {
    return false;
  }
  std::string_view digits = name.substr(0, name.size() - kSuffix.size());
  if (digits.size() > 19) return false;  // keeps the value inside uint64_t
  uint64_t v = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + static_cast<uint64_t>(c - '0');
  }
  *number = v;
  return true;
}

}  // namespace tailor::store::log
