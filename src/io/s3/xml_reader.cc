#include "io/s3/xml_reader.h"

#include <cstdint>

namespace floe::io {
namespace {

constexpr int kMaxDepth = 64;

bool IsSpace(char character) {
  return character == ' ' || character == '\t' || character == '\n' || character == '\r';
}

bool IsNameCharacter(char character) {
  auto byte = static_cast<unsigned char>(character);
  return (byte >= 'a' && byte <= 'z') || (byte >= 'A' && byte <= 'Z') ||
         (byte >= '0' && byte <= '9') || byte == '_' || byte == '-' || byte == '.' || byte == ':' ||
         byte >= 0x80;
}

void AppendUtf8(uint32_t code_point, std::string& out) {
  if (code_point < 0x80) {
    out.push_back(static_cast<char>(code_point));
  } else if (code_point < 0x800) {
    out.push_back(static_cast<char>(0xc0 | (code_point >> 6)));
    out.push_back(static_cast<char>(0x80 | (code_point & 0x3f)));
  } else if (code_point < 0x10000) {
    out.push_back(static_cast<char>(0xe0 | (code_point >> 12)));
    out.push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3f)));
    out.push_back(static_cast<char>(0x80 | (code_point & 0x3f)));
  } else {
    out.push_back(static_cast<char>(0xf0 | (code_point >> 18)));
    out.push_back(static_cast<char>(0x80 | ((code_point >> 12) & 0x3f)));
    out.push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3f)));
    out.push_back(static_cast<char>(0x80 | (code_point & 0x3f)));
  }
}

// Parses a numeric character reference body ("#38", "#x26") into a code point.
bool ParseCharacterReference(std::string_view body, uint32_t* code_point) {
  int base = 10;
  body.remove_prefix(1);
  if (!body.empty() && body[0] == 'x') {
    base = 16;
    body.remove_prefix(1);
  }
  if (body.empty() || body.size() > 8) {
    return false;
  }
  uint32_t value = 0;
  for (char character : body) {
    int digit = -1;
    if (character >= '0' && character <= '9') {
      digit = character - '0';
    } else if (base == 16 && character >= 'a' && character <= 'f') {
      digit = character - 'a' + 10;
    } else if (base == 16 && character >= 'A' && character <= 'F') {
      digit = character - 'A' + 10;
    }
    if (digit < 0) {
      return false;
    }
    value = value * static_cast<uint32_t>(base) + static_cast<uint32_t>(digit);
  }
  if (value == 0 || value > 0x10ffff || (value >= 0xd800 && value <= 0xdfff)) {
    return false;
  }
  *code_point = value;
  return true;
}

class Parser {
 public:
  explicit Parser(std::string_view document) : document_(document) {}

  Result<XmlElement> ParseDocument() {
    if (document_.substr(0, 3) == "\xEF\xBB\xBF") {
      position_ = 3;
    }
    FLOE_RETURN_NOT_OK(SkipMisc());
    if (!StartsWith("<")) {
      return Error("expected the root element");
    }
    XmlElement root;
    FLOE_RETURN_NOT_OK(ParseElement(root, 1));
    FLOE_RETURN_NOT_OK(SkipMisc());
    if (position_ != document_.size()) {
      return Error("unexpected content after the root element");
    }
    return root;
  }

 private:
  Status Error(std::string_view what) const {
    return Status::Corruption("malformed XML at byte {}: {}", position_, what);
  }

  bool StartsWith(std::string_view text) const {
    return document_.substr(position_).starts_with(text);
  }

  // Skips past the next `terminator`, or fails when the document ends first.
  Status SkipPast(std::string_view terminator, std::string_view what) {
    size_t found = document_.find(terminator, position_);
    if (found == std::string_view::npos) {
      return Error(what);
    }
    position_ = found + terminator.size();
    return Status::OK();
  }

  void SkipSpace() {
    while (position_ < document_.size() && IsSpace(document_[position_])) {
      ++position_;
    }
  }

  // Skips whitespace, comments and processing instructions between top-level parts.
  Status SkipMisc() {
    while (true) {
      SkipSpace();
      if (StartsWith("<?")) {
        FLOE_RETURN_NOT_OK(SkipPast("?>", "unterminated processing instruction"));
      } else if (StartsWith("<!--")) {
        FLOE_RETURN_NOT_OK(SkipPast("-->", "unterminated comment"));
      } else {
        return Status::OK();
      }
    }
  }

  Result<std::string_view> ParseName() {
    size_t start = position_;
    while (position_ < document_.size() && IsNameCharacter(document_[position_])) {
      ++position_;
    }
    if (position_ == start) {
      return Error("expected a name");
    }
    return document_.substr(start, position_ - start);
  }

  Status SkipAttribute() {
    FLOE_RETURN_NOT_OK(ParseName().status());
    SkipSpace();
    if (!StartsWith("=")) {
      return Error("expected '=' after an attribute name");
    }
    ++position_;
    SkipSpace();
    if (position_ >= document_.size() ||
        (document_[position_] != '"' && document_[position_] != '\'')) {
      return Error("expected a quoted attribute value");
    }
    char quote = document_[position_++];
    size_t end = document_.find(quote, position_);
    if (end == std::string_view::npos) {
      return Error("unterminated attribute value");
    }
    position_ = end + 1;
    return Status::OK();
  }

  // Parses the rest of a start tag after its name; sets `is_empty` for "<name/>".
  Status ParseStartTagRest(bool* is_empty) {
    while (true) {
      bool had_space = position_ < document_.size() && IsSpace(document_[position_]);
      SkipSpace();
      if (StartsWith("/>")) {
        position_ += 2;
        *is_empty = true;
        return Status::OK();
      }
      if (StartsWith(">")) {
        ++position_;
        *is_empty = false;
        return Status::OK();
      }
      if (!had_space) {
        return Error("expected whitespace, '>' or '/>' in a start tag");
      }
      FLOE_RETURN_NOT_OK(SkipAttribute());
    }
  }

  Status AppendEntity(std::string& text) {
    size_t end = document_.find(';', position_);
    if (end == std::string_view::npos || end - position_ > 12) {
      return Error("unterminated entity reference");
    }
    std::string_view body = document_.substr(position_ + 1, end - position_ - 1);
    uint32_t code_point = 0;
    if (body == "amp") {
      text.push_back('&');
    } else if (body == "lt") {
      text.push_back('<');
    } else if (body == "gt") {
      text.push_back('>');
    } else if (body == "quot") {
      text.push_back('"');
    } else if (body == "apos") {
      text.push_back('\'');
    } else if (!body.empty() && body[0] == '#' && ParseCharacterReference(body, &code_point)) {
      AppendUtf8(code_point, text);
    } else {
      return Error("unknown entity reference");
    }
    position_ = end + 1;
    return Status::OK();
  }

  Status ParseContent(XmlElement& element, int depth) {
    while (true) {
      if (position_ >= document_.size()) {
        return Error("unclosed element " + element.name);
      }
      char character = document_[position_];
      if (character == '&') {
        FLOE_RETURN_NOT_OK(AppendEntity(element.text));
      } else if (character != '<') {
        element.text.push_back(character);
        ++position_;
      } else if (StartsWith("</")) {
        return ParseEndTag(element);
      } else if (StartsWith("<!--")) {
        FLOE_RETURN_NOT_OK(SkipPast("-->", "unterminated comment"));
      } else if (StartsWith("<![CDATA[")) {
        FLOE_RETURN_NOT_OK(AppendCdata(element.text));
      } else if (StartsWith("<?")) {
        FLOE_RETURN_NOT_OK(SkipPast("?>", "unterminated processing instruction"));
      } else {
        element.children.emplace_back();
        FLOE_RETURN_NOT_OK(ParseElement(element.children.back(), depth + 1));
      }
    }
  }

  Status AppendCdata(std::string& text) {
    size_t start = position_ + 9;
    size_t end = document_.find("]]>", start);
    if (end == std::string_view::npos) {
      return Error("unterminated CDATA section");
    }
    text.append(document_.substr(start, end - start));
    position_ = end + 3;
    return Status::OK();
  }

  Status ParseEndTag(const XmlElement& element) {
    position_ += 2;
    FLOE_ASSIGN_OR_RETURN(std::string_view name, ParseName());
    if (name != element.name) {
      return Error("end tag does not match start tag " + element.name);
    }
    SkipSpace();
    if (!StartsWith(">")) {
      return Error("expected '>' to end an end tag");
    }
    ++position_;
    return Status::OK();
  }

  Status ParseElement(XmlElement& element, int depth) {
    if (depth > kMaxDepth) {
      return Error("elements nested too deeply");
    }
    ++position_;  // The '<'.
    FLOE_ASSIGN_OR_RETURN(std::string_view name, ParseName());
    element.name = std::string(name);
    bool is_empty = false;
    FLOE_RETURN_NOT_OK(ParseStartTagRest(&is_empty));
    if (is_empty) {
      return Status::OK();
    }
    return ParseContent(element, depth);
  }

  std::string_view document_;
  size_t position_ = 0;
};

}  // namespace

const XmlElement* XmlElement::Child(std::string_view child_name) const {
  for (const XmlElement& child : children) {
    if (child.name == child_name) {
      return &child;
    }
  }
  return nullptr;
}

std::string_view XmlElement::ChildText(std::string_view child_name) const {
  const XmlElement* child = Child(child_name);
  return child == nullptr ? std::string_view() : std::string_view(child->text);
}

Result<XmlElement> ParseXml(std::string_view document) {
  return Parser(document).ParseDocument();
}

}  // namespace floe::io
