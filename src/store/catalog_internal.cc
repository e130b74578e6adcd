#include "store/catalog_internal.h"

#include <algorithm>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace tailor::store::internal {
namespace {

// Bumped if the token layout changes, so that old tokens are refused instead of misread.
constexpr uint8_t kTokenVersion = 1;
// version (1) + query fingerprint (8) + created_micros (8); the arn follows.
constexpr size_t kTokenHeaderBytes = 17;

// FNV-1a, 64 bit: tokens need a stable, cheap fingerprint, not a cryptographic one; a token is a
// position, not a credential, and a forged one can only move where a listing resumes.
void FnvAdd(uint64_t* h, std::string_view bytes) {
  for (unsigned char c : bytes) {
    *h ^= c;
    *h *= 1099511628211ULL;
  }
}

// Length-prefixes each part so that ("ab", "c") and ("a", "bc") differ.
void FnvAddPart(uint64_t* h, std::string_view part) {
  const std::string len = std::to_string(part.size()) + ":";
  FnvAdd(h, len);
  FnvAdd(h, part);
}

// Statuses are a set: the same statuses in another order are the same query.
uint64_t QueryFingerprint(const ListQuery& query) {
  std::vector<std::string> statuses = query.statuses;
  std::sort(statuses.begin(), statuses.end());
  statuses.erase(std::unique(statuses.begin(), statuses.end()), statuses.end());
  uint64_t h = 14695981039346656037ULL;
  FnvAddPart(&h, query.type);
  FnvAddPart(&h, query.parent_arn);
  FnvAddPart(&h, query.scope);
  FnvAddPart(&h, std::to_string(statuses.size()));
  for (const std::string& s : statuses) FnvAddPart(&h, s);
  return h;
}

void PutBigEndian64(std::string* out, uint64_t v) {
  for (int shift = 56; shift >= 0; shift -= 8) out->push_back(static_cast<char>(v >> shift));
}

uint64_t GetBigEndian64(std::string_view in) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | static_cast<unsigned char>(in[i]);
  return v;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

Status Malformed() {
  return Status::InvalidNextToken(
      "the pagination token is invalid; pass the nextToken of the "
      "previous page unchanged, or none for the first page");
}

}  // namespace

Status ValidateRecord(const CatalogRecord& record) {
  if (record.arn.empty()) return Status::InvalidInput("a catalog record needs an arn");
  if (record.type.empty()) {
    return Status::InvalidInput("catalog record " + record.arn + " needs a type");
  }
  if (record.name.empty()) {
    return Status::InvalidInput("catalog record " + record.arn + " needs a name");
  }
  TAILOR_ASSIGN_OR_RETURN(std::string unused, EncodeTags(record.tags));
  (void)unused;
  return Status::OK();
}

Status ValidateListQuery(const ListQuery& query, bool check_page_size) {
  if (query.type.empty()) return Status::InvalidInput("a catalog listing needs a record type");
  if (check_page_size && (query.page_size < kMinPageSize || query.page_size > kMaxPageSize)) {
    return Status::InvalidInput(
        "page size " + std::to_string(query.page_size) + " is out of range; it must be between " +
        std::to_string(kMinPageSize) + " and " + std::to_string(kMaxPageSize));
  }
  return Status::OK();
}

bool Matches(const ListQuery& query, const CatalogRecord& record) {
  if (record.type != query.type) return false;
  if (!query.parent_arn.empty() && record.parent_arn != query.parent_arn) return false;
  if (!query.scope.empty() && record.scope != query.scope) return false;
  if (!query.statuses.empty() && std::find(query.statuses.begin(), query.statuses.end(),
                                           record.status) == query.statuses.end()) {
    return false;
  }
  return true;
}

std::string EncodePageToken(const ListQuery& query, const PageCursor& cursor) {
  std::string raw;
  raw.reserve(kTokenHeaderBytes + cursor.arn.size());
  raw.push_back(static_cast<char>(kTokenVersion));
  PutBigEndian64(&raw, QueryFingerprint(query));
  PutBigEndian64(&raw, static_cast<uint64_t>(cursor.created_micros));
  raw += cursor.arn;

  static constexpr char kDigits[] = "0123456789abcdef";
  std::string token;
  token.reserve(raw.size() * 2);
  for (unsigned char c : raw) {
    token.push_back(kDigits[c >> 4]);
    token.push_back(kDigits[c & 0xf]);
  }
  return token;
}

StatusOr<PageCursor> DecodePageToken(const ListQuery& query) {
  const std::string& token = query.page_token;
  // An arn of at least one byte follows the header.
  if (token.size() % 2 != 0 || token.size() < 2 * (kTokenHeaderBytes + 1)) return Malformed();
  std::string raw;
  raw.reserve(token.size() / 2);
  for (size_t i = 0; i < token.size(); i += 2) {
    int hi = HexValue(token[i]);
    int lo = HexValue(token[i + 1]);
    if (hi < 0 || lo < 0) return Malformed();
    raw.push_back(static_cast<char>((hi << 4) | lo));
  }
  if (static_cast<uint8_t>(raw[0]) != kTokenVersion) return Malformed();
  if (GetBigEndian64(std::string_view(raw).substr(1, 8)) != QueryFingerprint(query)) {
    return Status::InvalidNextToken(
        "the pagination token belongs to a different listing; keep the same filters while "
        "paging");
  }
  PageCursor cursor;
  cursor.created_micros = static_cast<int64_t>(GetBigEndian64(std::string_view(raw).substr(9, 8)));
  cursor.arn = raw.substr(kTokenHeaderBytes);
  return cursor;
}

StatusOr<std::string> EncodeTags(const std::map<std::string, std::string>& tags) {
  if (tags.empty()) return std::string("{}");
  // nlohmann::json reports invalid UTF-8 by throwing; exceptions stop here (style.md E4).
  try {
    return nlohmann::json(tags).dump();
  } catch (const nlohmann::json::exception&) {
    return Status::InvalidInput("a tag key or value is not valid UTF-8");
  }
}

StatusOr<std::map<std::string, std::string>> DecodeTags(const std::string& json) {
  nlohmann::json parsed = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (!parsed.is_object()) return Status::Internal("corrupt tags in catalog: " + json);
  std::map<std::string, std::string> tags;
  for (const auto& [key, value] : parsed.items()) {
    if (!value.is_string()) return Status::Internal("corrupt tags in catalog: " + json);
    tags.emplace(key, value.get<std::string>());
  }
  return tags;
}

}  // namespace tailor::store::internal
