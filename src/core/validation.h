// Checks on request fields shared by several resource families (personalize-semantics.md §11).
// Each returns InvalidInput naming the field, or TooManyTags.
// Thread-safety: pure functions.
#pragma once

#include <string_view>

#include "common/status.h"
#include "core/resources.h"

namespace tailor::core {

// At most 50 tags; keys 1-128 and values 0-256 characters from the allowed set.
Status ValidateTags(const Tags& tags);
// "" (custom), "ECOMMERCE" or "VIDEO_ON_DEMAND".
Status ValidateDomain(std::string_view domain);
// "" or an IAM role ARN.
Status ValidateRoleArn(std::string_view role_arn);
// "" or a KMS key ARN.
Status ValidateKmsKeyArn(std::string_view kms_key_arn);

}  // namespace tailor::core
