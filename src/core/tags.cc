// Tags on any resource (personalize-semantics.md §11: ≤50 per resource; key 1-128 and value
// 0-256 characters of letters, digits, spaces and _.:/=+-@).
#include <string>

#include "core/control_plane.h"
#include "core/validation.h"

namespace tailor::core {
namespace {

constexpr size_t kMaxTagsPerResource = 50;

bool IsAllowedTagChar(unsigned char c) {
  // Non-ASCII bytes belong to UTF-8 sequences of letters, spaces or digits in the model's
  // \p{L}\p{Z}\p{N} classes; accepting them all is the lenient reading.
  return c >= 0x80 || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         std::string_view(" _.:/=+-@").find(static_cast<char>(c)) != std::string_view::npos;
}

Status CheckTagText(std::string_view what, std::string_view text, size_t min, size_t max) {
  if (text.size() < min || text.size() > max) {
    return Status::InvalidInput(std::string(what) + " '" + std::string(text.substr(0, 130)) +
                                "' must be " + std::to_string(min) + " to " + std::to_string(max) +
                                " characters long.");
  }
  for (unsigned char c : text) {
    if (!IsAllowedTagChar(c)) {
      return Status::InvalidInput(
          std::string(what) + " '" + std::string(text) +
          "' has a character outside letters, digits, spaces and _.:/=+-@.");
    }
  }
  return Status::OK();
}

}  // namespace

Status ValidateTags(const Tags& tags) {
  if (tags.size() > kMaxTagsPerResource) {
    return Status::TooManyTags("A resource can have at most 50 tags; got " +
                               std::to_string(tags.size()) + ".");
  }
  for (const auto& [key, value] : tags) {
    TAILOR_RETURN_IF_ERROR(CheckTagText("tagKey", key, 1, 128));
    TAILOR_RETURN_IF_ERROR(CheckTagText("tagValue", value, 0, 256));
  }
  return Status::OK();
}

Status ControlPlane::TagResource(std::string_view arn, const Tags& tags) {
  TAILOR_RETURN_IF_ERROR(ValidateTags(tags));
  TAILOR_ASSIGN_OR_RETURN(ParsedArn parsed, ParseArn("resourceArn", arn));
  (void)parsed;
  Status s = catalog_->Update(arn, [&](store::CatalogRecord* r) {
    Tags merged = r->tags;
    for (const auto& [k, v] : tags) merged[k] = v;
    if (merged.size() > kMaxTagsPerResource) {
      return Status::TooManyTags("Resource " + std::string(arn) + " would have " +
                                 std::to_string(merged.size()) +
                                 " tags; a resource can have at most 50.");
    }
    r->tags = std::move(merged);
    return Status::OK();
  });
  if (s.IsNotFound())
    return Status::NotFound("Resource Arn " + std::string(arn) + " does not exist.");
  return s;
}

Status ControlPlane::UntagResource(std::string_view arn, const std::vector<std::string>& keys) {
  if (keys.size() > 200) {
    return Status::TooManyTagKeys("tagKeys may hold at most 200 keys; got " +
                                  std::to_string(keys.size()) + ".");
  }
  TAILOR_ASSIGN_OR_RETURN(ParsedArn parsed, ParseArn("resourceArn", arn));
  (void)parsed;
  Status s = catalog_->Update(arn, [&](store::CatalogRecord* r) {
    for (const auto& k : keys) r->tags.erase(k);
    return Status::OK();
  });
  if (s.IsNotFound())
    return Status::NotFound("Resource Arn " + std::string(arn) + " does not exist.");
  return s;
}

StatusOr<Tags> ControlPlane::ListTagsForResource(std::string_view arn) {
  TAILOR_ASSIGN_OR_RETURN(ParsedArn parsed, ParseArn("resourceArn", arn));
  (void)parsed;
  StatusOr<store::CatalogRecord> record = catalog_->Get(arn);
  if (!record.ok()) {
    if (record.status().IsNotFound()) {
      return Status::NotFound("Resource Arn " + std::string(arn) + " does not exist.");
    }
    return record.status();
  }
  return record->tags;
}

}  // namespace tailor::core
