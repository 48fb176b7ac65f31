#include "types/uuid.h"

#include "types/text_internal.h"

namespace floe::types {

Result<Uuid> ParseUuid(std::string_view text) {
  auto syntax_error = [text] {
    return Status::InvalidCast("invalid input syntax for type uuid: \"{}\"", text);
  };
  std::string_view rest = text;
  bool has_braces = !rest.empty() && rest.front() == '{';
  if (has_braces) {
    rest.remove_prefix(1);
  }
  Uuid uuid;
  for (size_t index = 0; index < uuid.bytes.size(); ++index) {
    if (rest.size() < 2) {
      return syntax_error();
    }
    int high = internal::HexValue(rest[0]);
    int low = internal::HexValue(rest[1]);
    if (high < 0 || low < 0) {
      return syntax_error();
    }
    uuid.bytes[index] = static_cast<uint8_t>(high * 16 + low);
    rest.remove_prefix(2);
    // A hyphen may follow any complete group of four digits except the last.
    bool is_group_end = index % 2 == 1 && index + 1 < uuid.bytes.size();
    if (is_group_end && !rest.empty() && rest.front() == '-') {
      rest.remove_prefix(1);
    }
  }
  if (has_braces) {
    if (rest.empty() || rest.front() != '}') {
      return syntax_error();
    }
    rest.remove_prefix(1);
  }
  if (!rest.empty()) {
    return syntax_error();
  }
  return uuid;
}

std::string FormatUuid(const Uuid& uuid) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string text;
  text.reserve(36);
  for (size_t index = 0; index < uuid.bytes.size(); ++index) {
    if (index == 4 || index == 6 || index == 8 || index == 10) {
      text.push_back('-');
    }
    text.push_back(kDigits[uuid.bytes[index] >> 4]);
    text.push_back(kDigits[uuid.bytes[index] & 0xf]);
  }
  return text;
}

}  // namespace floe::types
