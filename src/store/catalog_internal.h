// Helpers shared by the catalog backends and private to store/ (style.md L3): record and query
// validation, the newest-first ordering, the opaque page-token format (docs/formats/catalog.md)
// and the JSON encoding of tags. Keeping them in one place is what makes every backend give the
// same answers to the conformance suite.
// Thread-safety: every function is pure and safe to call from any thread.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "common/status.h"
#include "common/status_or.h"
#include "store/catalog.h"

namespace tailor::store::internal {

inline constexpr int kMinPageSize = 1;
inline constexpr int kMaxPageSize = 1000;

// The position of the last record of a page: List resumes strictly after it in the order
// (created_micros DESC, arn DESC).
struct PageCursor {
  int64_t created_micros = 0;
  std::string arn;
};

// InvalidInput when arn, type or name is empty, or a tag is not valid UTF-8 (tags are stored
// as JSON text, which must be UTF-8).
Status ValidateRecord(const CatalogRecord& record);

// InvalidInput when the type is empty or page_size is outside 1..1000.
// `check_page_size` is false for Count, which ignores page_size.
Status ValidateListQuery(const ListQuery& query, bool check_page_size);

// True when `record` matches the query's type, parent and statuses.
bool Matches(const ListQuery& query, const CatalogRecord& record);

// True when `a` comes before `b` in List order: newer first, ties broken by arn descending.
inline bool ComesBefore(int64_t a_created, const std::string& a_arn, int64_t b_created,
                        const std::string& b_arn) {
  if (a_created != b_created) return a_created > b_created;
  return a_arn > b_arn;
}

// A token naming `cursor` that only a query with the same type, parent and set of statuses
// accepts.
std::string EncodePageToken(const ListQuery& query, const PageCursor& cursor);

// The cursor inside query.page_token. InvalidNextToken when the token is malformed or was made
// for a different query. REQUIRES: !query.page_token.empty().
StatusOr<PageCursor> DecodePageToken(const ListQuery& query);

// Tags as a JSON object text, e.g. {"team":"ml"}. InvalidInput when a key or value is not UTF-8.
StatusOr<std::string> EncodeTags(const std::map<std::string, std::string>& tags);

// The inverse of EncodeTags. Internal when `json` is not an object of strings (a corrupt row).
StatusOr<std::map<std::string, std::string>> DecodeTags(const std::string& json);

}  // namespace tailor::store::internal
