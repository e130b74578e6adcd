#include "serve/filter/filter_values.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <string>

#include "serve/filter/filter_expression.h"

namespace tailor::serve {
namespace {

bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

bool IsKeyChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

Status Malformed(std::string_view name, size_t position, std::string_view detail) {
  return Status::InvalidInput("filterValues " + std::string(name) + " is malformed at character " +
                              std::to_string(position) + ": " + std::string(detail) +
                              "; expected a comma-separated list of double-quoted values such as "
                              "\"comedy\",\"drama\"");
}

}  // namespace

Status ValidateFilterValues(const FilterValueMap& values) {
  if (values.size() > kMaxFilterValueEntries) {
    return Status::InvalidInput("filterValues has " + std::to_string(values.size()) +
                                " entries; at most " + std::to_string(kMaxFilterValueEntries) +
                                " are allowed");
  }
  for (const auto& [key, value] : values) {
    bool ok = !key.empty() && key.size() <= kMaxPlaceholderNameLength;
    for (char c : key) ok = ok && IsKeyChar(c);
    if (!ok) {
      return Status::InvalidInput("filterValues key '" + key.substr(0, 60) +
                                  "' must be 1 to 50 letters, digits or '_'");
    }
    if (value.size() > kMaxFilterValueLength) {
      return Status::InvalidInput("filterValues " + key + " has " + std::to_string(value.size()) +
                                  " characters; at most " + std::to_string(kMaxFilterValueLength) +
                                  " are allowed");
    }
  }
  return Status::OK();
}

bool IsBlankFilterValue(std::string_view wire) {
  for (char c : wire) {
    if (!IsBlank(c)) return false;
  }
  return true;
}

bool ParseFilterNumber(std::string_view text, double* value) {
  if (text.empty() || text.size() > 64) return false;
  // strtod would also take hex, inf and nan; a filter number is plain decimal.
  for (char c : text) {
    const bool allowed =
        (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E';
    if (!allowed) return false;
  }
  const std::string copy(text);
  char* end = nullptr;
  errno = 0;
  const double parsed = std::strtod(copy.c_str(), &end);
  if (end != copy.c_str() + copy.size() || errno == ERANGE || !std::isfinite(parsed)) return false;
  *value = parsed;
  return true;
}

StatusOr<std::vector<std::string>> ParseFilterValueList(std::string_view name,
                                                        std::string_view wire) {
  std::vector<std::string> values;
  size_t i = 0;
  while (true) {
    while (i < wire.size() && IsBlank(wire[i])) ++i;
    if (i == wire.size()) return Malformed(name, i + 1, "a value is missing");
    if (wire[i] == '"') {
      const size_t open = i;
      std::string value;
      ++i;
      bool closed = false;
      while (i < wire.size()) {
        if (wire[i] == '\\' && i + 1 < wire.size() && (wire[i + 1] == '"' || wire[i + 1] == '\\')) {
          value += wire[i + 1];
          i += 2;
        } else if (wire[i] == '"') {
          closed = true;
          ++i;
          break;
        } else {
          value += wire[i++];
        }
      }
      if (!closed) return Malformed(name, open + 1, "the quote is not closed");
      values.push_back(std::move(value));
    } else {
      const size_t start = i;
      while (i < wire.size() && wire[i] != ',' && !IsBlank(wire[i])) ++i;
      const std::string_view word = wire.substr(start, i - start);
      double number = 0;
      if (word.empty()) return Malformed(name, start + 1, "a value is missing");
      if (!ParseFilterNumber(word, &number)) {
        return Malformed(
            name, start + 1,
            "'" + std::string(word.substr(0, 40)) + "' is neither quoted nor a number");
      }
      values.emplace_back(word);
    }
    while (i < wire.size() && IsBlank(wire[i])) ++i;
    if (i == wire.size()) return values;
    if (wire[i] != ',') return Malformed(name, i + 1, "expected ',' between values");
    ++i;
  }
}

}  // namespace tailor::serve
