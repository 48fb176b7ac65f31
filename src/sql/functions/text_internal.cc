#include "sql/functions/text_internal.h"

namespace floe::sql::internal {

int64_t Utf8Length(std::string_view text) {
  int64_t count = 0;
  for (unsigned char byte : text) {
    count += (byte & 0xC0) != 0x80 ? 1 : 0;
  }
  return count;
}

size_t Utf8Offset(std::string_view text, int64_t index) {
  size_t position = 0;
  while (index > 0 && position < text.size()) {
    position += static_cast<size_t>(Utf8CharLength(static_cast<unsigned char>(text[position])));
    --index;
  }
  return position < text.size() ? position : text.size();
}

char32_t DecodeUtf8(std::string_view text, size_t position, int* length) {
  auto lead = static_cast<unsigned char>(text[position]);
  int size = Utf8CharLength(lead);
  if (position + static_cast<size_t>(size) > text.size() || size == 1) {
    *length = 1;
    return lead;
  }
  char32_t code_point = lead & (0x7F >> size);
  for (int index = 1; index < size; ++index) {
    code_point = (code_point << 6) | (static_cast<unsigned char>(text[position + index]) & 0x3F);
  }
  *length = size;
  return code_point;
}

void AppendUtf8(char32_t code_point, std::string& out) {
  if (code_point < 0x80) {
    out.push_back(static_cast<char>(code_point));
  } else if (code_point < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (code_point >> 6)));
    out.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  } else if (code_point < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (code_point >> 12)));
    out.push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (code_point >> 18)));
    out.push_back(static_cast<char>(0x80 | ((code_point >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  }
}

char32_t ToLowerCodePoint(char32_t c) {
  if (c >= 'A' && c <= 'Z') {
    return c + 32;
  }
  if (c < 0xC0) {
    return c;
  }
  if ((c >= 0xC0 && c <= 0xDE && c != 0xD7) || (c >= 0x391 && c <= 0x3AB && c != 0x3A2) ||
      (c >= 0x410 && c <= 0x42F)) {
    return c + 32;
  }
  if (c >= 0x400 && c <= 0x40F) {
    return c + 80;
  }
  if (((c >= 0x100 && c <= 0x137) || (c >= 0x14A && c <= 0x177)) && c % 2 == 0) {
    return c + 1;
  }
  if (((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E)) && c % 2 == 1) {
    return c + 1;
  }
  return c;
}

char32_t ToUpperCodePoint(char32_t c) {
  if (c >= 'a' && c <= 'z') {
    return c - 32;
  }
  if (c < 0xE0) {
    return c;
  }
  if ((c >= 0xE0 && c <= 0xFE && c != 0xF7) || (c >= 0x3B1 && c <= 0x3CB && c != 0x3C2) ||
      (c >= 0x430 && c <= 0x44F)) {
    return c - 32;
  }
  if (c >= 0x450 && c <= 0x45F) {
    return c - 80;
  }
  if (((c >= 0x101 && c <= 0x137) || (c >= 0x14B && c <= 0x177)) && c % 2 == 1) {
    return c - 1;
  }
  if (((c >= 0x13A && c <= 0x148) || (c >= 0x17A && c <= 0x17E)) && c % 2 == 0) {
    return c - 1;
  }
  return c;
}

namespace {

template <typename Map>
void AppendMapped(std::string_view text, std::string& out, Map map) {
  size_t position = 0;
  while (position < text.size()) {
    auto byte = static_cast<unsigned char>(text[position]);
    if (byte < 0x80) {
      out.push_back(static_cast<char>(map(byte)));
      ++position;
      continue;
    }
    int length = 0;
    char32_t code_point = DecodeUtf8(text, position, &length);
    if (length == 1) {
      out.push_back(static_cast<char>(byte));
    } else {
      AppendUtf8(map(code_point), out);
    }
    position += static_cast<size_t>(length);
  }
}

}  // namespace

void AppendLower(std::string_view text, std::string& out) {
  AppendMapped(text, out, ToLowerCodePoint);
}

void AppendUpper(std::string_view text, std::string& out) {
  AppendMapped(text, out, ToUpperCodePoint);
}

}  // namespace floe::sql::internal
