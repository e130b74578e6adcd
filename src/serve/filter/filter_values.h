// Filter values: the request's `filterValues` map (personalize-semantics.md §9), placeholder
// name -> a comma-separated list of double-quoted values in Personalize's wire format, e.g.
// the JSON string "\"comedy\",\"drama\"". Checked and split here.
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "common/status_or.h"

namespace tailor::serve {

// §9 / §11 runtime limits on filterValues.
inline constexpr size_t kMaxFilterValueEntries = 25;
inline constexpr size_t kMaxFilterValueLength = 1000;

// The request's filterValues: placeholder name (without '$', case-sensitive) -> wire value.
using FilterValueMap = std::map<std::string, std::string>;

// Checks the map's shape: at most kMaxFilterValueEntries entries, keys `[A-Za-z0-9_]+` of at
// most 50 characters, values of at most kMaxFilterValueLength characters. InvalidInput naming
// the key otherwise. Values are split only when a placeholder uses them (ParseFilterValueList).
Status ValidateFilterValues(const FilterValueMap& values);

// Whether `wire` holds no value at all (empty or only blanks): the placeholder counts as
// missing, like an absent key.
bool IsBlankFilterValue(std::string_view wire);

// Splits one wire value into its values: `"a","b"` -> {a, b}. Each element is a double-quoted
// string (\" and \\ escape a quote and a backslash) or an unquoted number such as 10 or -2.5
// (§9: accept unquoted numbers for comparisons); blanks around elements are ignored.
// InvalidInput naming `name` and the 1-based character position for an unterminated quote, an
// unquoted word that is not a number, a missing ',' or an empty element.
StatusOr<std::vector<std::string>> ParseFilterValueList(std::string_view name,
                                                        std::string_view wire);

// Parses a whole decimal number ("10", "-2.5", "1e9"), or returns false.
bool ParseFilterNumber(std::string_view text, double* value);

}  // namespace tailor::serve
