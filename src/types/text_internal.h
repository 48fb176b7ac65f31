#pragma once

#include <cctype>
#include <string_view>

/// Small text helpers shared by the parsers of this layer.
namespace floe::types::internal {

inline bool IsSpace(char ch) {
  return std::isspace(static_cast<unsigned char>(ch)) != 0;
}

/// Returns `text` without leading and trailing white space.
inline std::string_view TrimSpace(std::string_view text) {
  while (!text.empty() && IsSpace(text.front())) {
    text.remove_prefix(1);
  }
  while (!text.empty() && IsSpace(text.back())) {
    text.remove_suffix(1);
  }
  return text;
}

/// Compares `text` with a lower-case `word`, ignoring the case of `text` (ASCII only).
inline bool EqualsIgnoringCase(std::string_view text, std::string_view word) {
  if (text.size() != word.size()) {
    return false;
  }
  for (size_t index = 0; index < text.size(); ++index) {
    if (std::tolower(static_cast<unsigned char>(text[index])) != word[index]) {
      return false;
    }
  }
  return true;
}

/// Returns the value of a hexadecimal digit of either case, -1 for any other character.
inline int HexValue(char ch) {
  if (ch >= '0' && ch <= '9') {
    return ch - '0';
  }
  if (ch >= 'a' && ch <= 'f') {
    return ch - 'a' + 10;
  }
  if (ch >= 'A' && ch <= 'F') {
    return ch - 'A' + 10;
  }
  return -1;
}

}  // namespace floe::types::internal
