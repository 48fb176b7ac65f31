#include "types/bytea.h"

#include "types/text_internal.h"

namespace floe::types {
namespace {

using internal::HexValue;

bool IsHexSpace(char ch) {
  return ch == ' ' || ch == '\n' || ch == '\t' || ch == '\r';
}

Status InvalidHexDigit(char ch) {
  return Status::InvalidArgument("invalid hexadecimal digit: \"{}\"", std::string_view(&ch, 1));
}

Result<std::string> ParseHex(std::string_view digits) {
  std::string bytes;
  bytes.reserve(digits.size() / 2);
  size_t index = 0;
  while (index < digits.size()) {
    if (IsHexSpace(digits[index])) {
      ++index;
      continue;
    }
    int high = HexValue(digits[index]);
    if (high < 0) {
      return InvalidHexDigit(digits[index]);
    }
    if (index + 1 == digits.size()) {
      return Status::InvalidArgument("invalid hexadecimal data: odd number of digits");
    }
    int low = HexValue(digits[index + 1]);
    if (low < 0) {
      return InvalidHexDigit(digits[index + 1]);
    }
    bytes.push_back(static_cast<char>(high * 16 + low));
    index += 2;
  }
  return bytes;
}

bool IsOctalEscape(std::string_view text) {
  return text.size() >= 3 && text[0] >= '0' && text[0] <= '3' && text[1] >= '0' && text[1] <= '7' &&
         text[2] >= '0' && text[2] <= '7';
}

Result<std::string> ParseEscaped(std::string_view text) {
  std::string bytes;
  bytes.reserve(text.size());
  size_t index = 0;
  while (index < text.size()) {
    if (text[index] != '\\') {
      bytes.push_back(text[index++]);
      continue;
    }
    std::string_view escape = text.substr(index + 1);
    if (!escape.empty() && escape[0] == '\\') {
      bytes.push_back('\\');
      index += 2;
    } else if (IsOctalEscape(escape)) {
      bytes.push_back(
          static_cast<char>((escape[0] - '0') * 64 + (escape[1] - '0') * 8 + (escape[2] - '0')));
      index += 4;
    } else {
      return Status::InvalidCast("invalid input syntax for type bytea");
    }
  }
  return bytes;
}

}  // namespace

Result<std::string> ParseBytea(std::string_view text) {
  if (text.size() >= 2 && text[0] == '\\' && text[1] == 'x') {
    return ParseHex(text.substr(2));
  }
  return ParseEscaped(text);
}

std::string FormatBytea(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string text = "\\x";
  text.reserve(2 + bytes.size() * 2);
  for (char byte : bytes) {
    auto value = static_cast<unsigned char>(byte);
    text.push_back(kDigits[value >> 4]);
    text.push_back(kDigits[value & 0xf]);
  }
  return text;
}

}  // namespace floe::types
