// FilterLexer: splits a filter expression (personalize-semantics.md §9) into tokens, each with
// its 1-based position, for the parser in filter_expression.cc. Layer-internal.
// Thread-safety: a pure function over its input.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "common/status_or.h"

namespace tailor::serve {

struct FilterToken {
  enum class Kind {
    kWord,         // [A-Za-z_][A-Za-z0-9_]*: keywords, dataset and column names
    kString,       // "..." with \" and \\ escapes; `value` holds the unescaped text
    kNumber,       // -?[0-9]+(.[0-9]+)?([eE][+-]?[0-9]+)?
    kPlaceholder,  // $NAME; `value` holds NAME
    kDot,
    kLParen,
    kRParen,
    kComma,
    kPipe,
    kStar,
    kEq,
    kLt,
    kLe,
    kGt,
    kGe,
    kEnd,  // after the last token
  };
  Kind kind = Kind::kEnd;
  std::string_view raw;  // the token as written; borrowed from the lexed text
  std::string value;     // see Kind
  size_t position = 0;   // 1-based offset of the first character
};

// Tokenizes `text`; the last token is always kEnd. InvalidInput naming the position for an
// unexpected character, an unterminated string, or a '$' without a name (or one longer than
// kMaxPlaceholderNameLength). The tokens borrow `text`.
StatusOr<std::vector<FilterToken>> TokenizeFilterExpression(std::string_view text);

// "Invalid filter expression at position <position>: <detail>": the one error shape of the
// lexer and parser.
Status FilterSyntaxError(size_t position, std::string_view detail);

// How a token is quoted in messages: 'WHEN', or "the end of the expression" for kEnd. Long
// tokens are shortened.
std::string DescribeFilterToken(const FilterToken& token);

}  // namespace tailor::serve
