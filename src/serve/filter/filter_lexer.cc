#include "serve/filter/filter_lexer.h"

#include <cstdlib>
#include <string>

#include "serve/filter/filter_expression.h"

namespace tailor::serve {
namespace {

bool IsWordStart(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsWordChar(char c) { return IsWordStart(c) || IsDigit(c); }
bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

// Length of the number starting at text[i], or 0 when there is none.
size_t NumberLength(std::string_view text, size_t i) {
  size_t j = i;
  if (j < text.size() && text[j] == '-') ++j;
  const size_t digits_start = j;
  while (j < text.size() && IsDigit(text[j])) ++j;
  if (j == digits_start) return 0;
  if (j + 1 < text.size() && text[j] == '.' && IsDigit(text[j + 1])) {
    ++j;
    while (j < text.size() && IsDigit(text[j])) ++j;
  }
  if (j < text.size() && (text[j] == 'e' || text[j] == 'E')) {
    size_t k = j + 1;
    if (k < text.size() && (text[k] == '+' || text[k] == '-')) ++k;
    if (k < text.size() && IsDigit(text[k])) {
      while (k < text.size() && IsDigit(text[k])) ++k;
      j = k;
    }
  }
  return j - i;
}

}  // namespace

Status FilterSyntaxError(size_t position, std::string_view detail) {
  return Status::InvalidInput("Invalid filter expression at position " + std::to_string(position) +
                              ": " + std::string(detail));
}

std::string DescribeFilterToken(const FilterToken& token) {
  if (token.kind == FilterToken::Kind::kEnd) return "the end of the expression";
  constexpr size_t kMaxShown = 40;
  std::string shown(token.raw.substr(0, kMaxShown));
  if (token.raw.size() > kMaxShown) shown += "...";
  return "'" + shown + "'";
}

StatusOr<std::vector<FilterToken>> TokenizeFilterExpression(std::string_view text) {
  using Kind = FilterToken::Kind;
  std::vector<FilterToken> tokens;
  size_t i = 0;
  while (true) {
    while (i < text.size() && IsSpace(text[i])) ++i;
    FilterToken token;
    token.position = i + 1;
    if (i == text.size()) {
      token.kind = Kind::kEnd;
      tokens.push_back(std::move(token));
      return tokens;
    }
    const char c = text[i];
    size_t length = 1;
    if (IsWordStart(c)) {
      while (i + length < text.size() && IsWordChar(text[i + length])) ++length;
      token.kind = Kind::kWord;
    } else if (size_t n = NumberLength(text, i); n > 0) {
      length = n;
      token.kind = Kind::kNumber;
    } else if (c == '"') {
      token.kind = Kind::kString;
      size_t j = i + 1;
      bool closed = false;
      while (j < text.size()) {
        if (text[j] == '\\' && j + 1 < text.size() && (text[j + 1] == '"' || text[j + 1] == '\\')) {
          token.value += text[j + 1];
          j += 2;
        } else if (text[j] == '"') {
          closed = true;
          ++j;
          break;
        } else {
          token.value += text[j++];
        }
      }
      if (!closed) return FilterSyntaxError(token.position, "unterminated string; expected '\"'");
      length = j - i;
    } else if (c == '$') {
      token.kind = Kind::kPlaceholder;
      while (i + length < text.size() && IsWordChar(text[i + length])) ++length;
      if (length == 1) {
        return FilterSyntaxError(
            token.position, "expected a placeholder name of letters, digits and '_' after '$'");
      }
      if (length - 1 > kMaxPlaceholderNameLength) {
        return FilterSyntaxError(token.position, "placeholder names are at most " +
                                                     std::to_string(kMaxPlaceholderNameLength) +
                                                     " characters");
      }
      token.value = std::string(text.substr(i + 1, length - 1));
    } else if (c == '<' || c == '>') {
      const bool or_equal = i + 1 < text.size() && text[i + 1] == '=';
      length = or_equal ? 2 : 1;
      token.kind =
          c == '<' ? (or_equal ? Kind::kLe : Kind::kLt) : (or_equal ? Kind::kGe : Kind::kGt);
    } else {
      switch (c) {
        case '.':
          token.kind = Kind::kDot;
          break;
        case '(':
          token.kind = Kind::kLParen;
          break;
        case ')':
          token.kind = Kind::kRParen;
          break;
        case ',':
          token.kind = Kind::kComma;
          break;
        case '|':
          token.kind = Kind::kPipe;
          break;
        case '*':
          token.kind = Kind::kStar;
          break;
        case '=':
          token.kind = Kind::kEq;
          break;
        default: {
          const bool printable = static_cast<unsigned char>(c) >= 0x20 && c != 0x7f;
          std::string shown = printable ? "'" + std::string(1, c) + "'" : "a control character";
          if (static_cast<unsigned char>(c) >= 0x80) shown = "a non-ASCII character";
          return FilterSyntaxError(token.position, "unexpected character " + shown);
        }
      }
    }
    token.raw = text.substr(i, length);
    i += length;
    tokens.push_back(std::move(token));
  }
}

}  // namespace tailor::serve
