#include "io/uri.h"

#include <cctype>

namespace floe::io {
namespace {

// RFC 3986 section 3.1: scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ).
bool IsSchemeName(std::string_view text) {
  if (text.empty() || std::isalpha(static_cast<unsigned char>(text[0])) == 0) {
    return false;
  }
  for (char character : text) {
    auto byte = static_cast<unsigned char>(character);
    if (std::isalnum(byte) == 0 && character != '+' && character != '-' && character != '.') {
      return false;
    }
  }
  return true;
}

std::string ToLower(std::string_view text) {
  std::string lower(text);
  for (char& character : lower) {
    character = static_cast<char>(std::tolower(static_cast<unsigned char>(character)));
  }
  return lower;
}

}  // namespace

std::string SchemeOf(std::string_view location) {
  size_t colon = location.find(':');
  if (colon == std::string_view::npos || !IsSchemeName(location.substr(0, colon))) {
    return {};
  }
  std::string scheme = ToLower(location.substr(0, colon));
  if (location.substr(colon + 1).starts_with("//") || scheme == "file") {
    return scheme;
  }
  return {};
}

}  // namespace floe::io
