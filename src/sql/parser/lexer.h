#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "sql/parser/keywords.h"

namespace floe::sql::parser {

enum class TokenKind : unsigned char {
  kIdentifier,  // A word or a quoted identifier; `text` is folded to lower case unless quoted.
  kString,      // A string constant; `text` is its value.
  kInteger,     // Decimal digits only (underscores removed, 0x/0o/0b converted).
  kNumeric,     // A number with a decimal point or exponent, underscores removed.
  kParameter,   // $n; `text` holds the digits.
  kOperator,    // An operator symbol: + - * / < = ~ ... ("!=" is returned as "<>").
  kSymbol,      // ( ) [ ] , ; . : :: => :=
  kEnd,
};

struct Token {
  TokenKind kind = TokenKind::kEnd;
  std::string text;
  /// Keyword category of an unquoted word; kNone otherwise.
  KeywordCategory category = KeywordCategory::kNone;
  bool is_quoted = false;  // A "quoted identifier".
  int location = 0;        // Byte offset of the first character.
  int end = 0;             // Byte offset just past the token.
};

/// Splits SQL text into tokens following PostgreSQL's lexical rules (docs/sql/parser.md).
/// Errors are SyntaxError (or NotSupported for bit strings and Unicode escapes) with the
/// 1-based character position of the offending token.
Result<std::vector<Token>> Tokenize(std::string_view text);

}  // namespace floe::sql::parser
