#include "common/arn.h"

#include <string>

namespace tailor {
namespace {

constexpr size_t kMaxArnLength = 256;
constexpr size_t kMaxNameLength = 63;

bool IsAlnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

}  // namespace

std::string MakeArn(const ArnContext& context, std::string_view suffix) {
  std::string arn = "arn:aws:personalize:";
  arn += context.region;
  arn += ':';
  arn += context.account;
  arn += ':';
  arn += suffix;
  return arn;
}

StatusOr<ParsedArn> ParseArn(std::string_view field, std::string_view arn) {
  auto invalid = [&](std::string_view why) {
    return Status::InvalidInput(std::string(field) + " '" + std::string(arn.substr(0, 300)) +
                                "' is not a valid ARN: " + std::string(why) + ".");
  };
  if (arn.empty()) return invalid("it is empty");
  if (arn.size() > kMaxArnLength) return invalid("it is longer than 256 characters");
  // arn:<partition>:personalize:<region>:<account>:<resource>
  std::string_view parts[6];
  std::string_view rest = arn;
  for (int i = 0; i < 5; ++i) {
    size_t colon = rest.find(':');
    if (colon == std::string_view::npos) return invalid("expected arn:aws:personalize:...");
    parts[i] = rest.substr(0, colon);
    rest.remove_prefix(colon + 1);
  }
  parts[5] = rest;
  if (parts[0] != "arn" || parts[1].empty() || parts[2] != "personalize") {
    return invalid("expected arn:aws:personalize:...");
  }
  for (char c : parts[1]) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
      return invalid("the partition has illegal characters");
    }
  }
  if (parts[5].empty()) return invalid("the resource part is empty");
  ParsedArn parsed;
  parsed.region = std::string(parts[3]);
  parsed.account = std::string(parts[4]);
  size_t slash = parts[5].find('/');
  parsed.resource_type = std::string(parts[5].substr(0, slash));
  if (slash != std::string_view::npos)
    parsed.resource_path = std::string(parts[5].substr(slash + 1));
  return parsed;
}

Status ValidateArn(std::string_view field, std::string_view arn) {
  return ParseArn(field, arn).status();
}

Status ValidateName(std::string_view field, std::string_view name) {
  auto invalid = [&](std::string_view why) {
    return Status::InvalidInput(std::string(field) + " '" + std::string(name.substr(0, 100)) +
                                "' is invalid: " + std::string(why) + ".");
  };
  if (name.empty()) return invalid("it must not be empty");
  if (name.size() > kMaxNameLength) return invalid("it must be at most 63 characters");
  if (!IsAlnum(name[0])) return invalid("it must start with a letter or digit");
  for (size_t i = 1; i < name.size(); ++i) {
    char c = name[i];
    if (!IsAlnum(c) && c != '-' && c != '_') {
      return invalid("character " + std::to_string(i + 1) +
                     " is not allowed; use letters, digits, '-' and '_' only");
    }
  }
  return Status::OK();
}

}  // namespace tailor
