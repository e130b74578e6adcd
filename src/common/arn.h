// ARNs and resource names as Personalize spells them (personalize-semantics.md §2.1, §11).
// Thread-safety: pure functions and value types.
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"
#include "common/status_or.h"

namespace tailor {

// Region and account that every ARN this server makes carries.
struct ArnContext {
  std::string region = "us-east-1";
  std::string account = "000000000000";
};

// Returns "arn:aws:personalize:<region>:<account>:<suffix>", e.g. suffix "dataset-group/movies".
std::string MakeArn(const ArnContext& context, std::string_view suffix);

// The parts of a Personalize ARN.
struct ParsedArn {
  std::string region;
  std::string account;
  std::string resource_type;  // "dataset-group", "schema", "dataset", ...
  std::string resource_path;  // everything after the first '/', e.g. "movies/INTERACTIONS"
};

// Parses an ARN. Returns InvalidInput naming `field` when it is not a well-formed
// Personalize ARN (at most 256 characters, "arn:<partition>:personalize:...").
StatusOr<ParsedArn> ParseArn(std::string_view field, std::string_view arn);

// Returns InvalidInput naming `field` unless `name` is 1-63 characters matching
// [a-zA-Z0-9][a-zA-Z0-9_-]* in full.
Status ValidateName(std::string_view field, std::string_view name);

// Returns InvalidInput naming `field` unless `arn` is a well-formed ARN (see ParseArn).
Status ValidateArn(std::string_view field, std::string_view arn);

}  // namespace tailor
