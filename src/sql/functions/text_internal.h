#pragma once

// UTF-8 helpers shared by the string functions and pattern matching. Text is assumed to be
// valid UTF-8 (the readers and the wire validate it); these functions never read past the end
// of a view even when it is not.

#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"

namespace floe::sql::internal {

/// Returns the length in bytes of the UTF-8 character starting with `lead` (1 for stray
/// continuation bytes, so that scanning always advances).
inline int Utf8CharLength(unsigned char lead) {
  if (lead < 0x80) {
    return 1;
  }
  if ((lead & 0xE0) == 0xC0) {
    return 2;
  }
  if ((lead & 0xF0) == 0xE0) {
    return 3;
  }
  if ((lead & 0xF8) == 0xF0) {
    return 4;
  }
  return 1;
}

/// Returns the number of characters of UTF-8 text.
int64_t Utf8Length(std::string_view text);

/// Returns the byte offset of character `index` (0-based), or text.size() past the end.
size_t Utf8Offset(std::string_view text, int64_t index);

/// Decodes the character at `position`, storing its byte length in `length`.
char32_t DecodeUtf8(std::string_view text, size_t position, int* length);
/// Appends the UTF-8 encoding of `code_point`.
void AppendUtf8(char32_t code_point, std::string& out);

/// Simple case mappings for ASCII, Latin-1, Latin Extended-A, Greek and Cyrillic letters (the
/// letters whose case PostgreSQL's lower() and upper() change in a UTF-8 database).
char32_t ToLowerCodePoint(char32_t code_point);
char32_t ToUpperCodePoint(char32_t code_point);

/// Appends `text` lower-cased (or upper-cased) to `out`.
void AppendLower(std::string_view text, std::string& out);
void AppendUpper(std::string_view text, std::string& out);

/// Appends `text` as quote_ident() returns it: unchanged when it is a lower-case identifier
/// that is not a reserved word, else in double quotes with inner quotes doubled.
void QuoteIdentifier(std::string_view text, std::string& out);
/// Appends `text` as quote_literal() returns it: in single quotes, quotes and backslashes
/// doubled, with an E prefix when it holds a backslash.
void QuoteLiteral(std::string_view text, std::string& out);

/// Translates a SIMILAR TO pattern into an anchored regular expression, as PostgreSQL's
/// similar_to_escape() does; `escape` is empty or one character.
Result<std::string> SimilarToRegex(std::string_view pattern, std::string_view escape);

}  // namespace floe::sql::internal
