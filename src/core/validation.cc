#include "core/validation.h"

#include <regex>
#include <string>

namespace tailor::core {

Status ValidateDomain(std::string_view domain) {
  if (domain.empty() || domain == "ECOMMERCE" || domain == "VIDEO_ON_DEMAND") return Status::OK();
  return Status::InvalidInput("domain '" + std::string(domain) +
                              "' is invalid; use ECOMMERCE or VIDEO_ON_DEMAND, or leave it out.");
}

Status ValidateRoleArn(std::string_view role_arn) {
  if (role_arn.empty()) return Status::OK();
  static const std::regex kPattern(R"(arn:([a-z\d-]+):iam::\d{12}:role/?[a-zA-Z_0-9+=,.@\-_/]+)");
  if (role_arn.size() > 256 || !std::regex_match(role_arn.begin(), role_arn.end(), kPattern)) {
    return Status::InvalidInput("roleArn '" + std::string(role_arn.substr(0, 300)) +
                                "' is not a valid IAM role ARN.");
  }
  return Status::OK();
}

Status ValidateKmsKeyArn(std::string_view kms_key_arn) {
  if (kms_key_arn.empty()) return Status::OK();
  static const std::regex kPattern(R"(arn:aws.*:kms:.*:[0-9]{12}:key/.*)");
  if (kms_key_arn.size() > 2048 ||
      !std::regex_match(kms_key_arn.begin(), kms_key_arn.end(), kPattern)) {
    return Status::InvalidInput("kmsKeyArn '" + std::string(kms_key_arn.substr(0, 300)) +
                                "' is not a valid KMS key ARN.");
  }
  return Status::OK();
}

}  // namespace tailor::core
