#include "types/nested_text.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "types/cast.h"
#include "types/logical_type.h"
#include "types/text_internal.h"
#include "types/value.h"

namespace floe::types {
namespace {

using internal::EqualsIgnoringCase;
using internal::IsSpace;

class LiteralReader {
 public:
  explicit LiteralReader(std::string_view text) : text_(text) {}

  bool AtEnd() const { return position_ == text_.size(); }
  char Peek() const { return AtEnd() ? '\0' : text_[position_]; }
  bool Consume(char expected) {
    if (Peek() != expected) {
      return false;
    }
    ++position_;
    return true;
  }
  void SkipSpaces() {
    while (IsSpace(Peek())) {
      ++position_;
    }
  }

  /// Reads one array element as array_in does; false when the text is malformed.
  bool ReadArrayElement(std::string& element, bool& is_quoted) {
    is_quoted = Consume('"');
    size_t unescaped_end = 0;  // Trailing white space after this is not part of the element.
    while (!AtEnd()) {
      char ch = text_[position_];
      if (is_quoted ? ch == '"' : (ch == ',' || ch == '}')) {
        break;
      }
      if (!is_quoted && (ch == '{' || ch == '"')) {
        return false;
      }
      ++position_;
      if (ch == '\\') {
        if (AtEnd()) {
          return false;
        }
        ch = text_[position_++];
        unescaped_end = element.size() + 1;
      }
      element.push_back(ch);
    }
    if (is_quoted) {
      return Consume('"');
    }
    size_t end = element.find_last_not_of(" \t\n\r\v\f");
    element.resize(std::max(unescaped_end, end == std::string::npos ? 0 : end + 1));
    return !element.empty();
  }

  /// Reads one record field as record_in does: quotes may cover parts of the field, a doubled
  /// quote inside quotes is a quote, a backslash escapes the next character.
  bool ReadRecordField(std::string& field, bool& is_null) {
    is_null = Peek() == ',' || Peek() == ')';
    bool is_quoted = false;
    while (!AtEnd()) {
      char ch = text_[position_];
      if (!is_quoted && (ch == ',' || ch == ')')) {
        return true;
      }
      ++position_;
      if (ch == '"') {
        if (is_quoted && Consume('"')) {
          field.push_back('"');
        } else {
          is_quoted = !is_quoted;
        }
      } else if (ch == '\\') {
        if (AtEnd()) {
          return false;
        }
        field.push_back(text_[position_++]);
      } else {
        field.push_back(ch);
      }
    }
    return false;
  }

 private:
  std::string_view text_;
  size_t position_ = 0;
};

Status MalformedArray(std::string_view text) {
  return Status::InvalidCast("malformed array literal: \"{}\"", text);
}

Result<Value> ElementFromText(std::string element, const LogicalType& type) {
  return CastValue(Value::Varchar(std::move(element)), type);
}

Result<Value> ReadList(LiteralReader& reader, std::string_view text, const LogicalType& type);

Result<Value> ReadListElement(LiteralReader& reader, std::string_view text,
                              const LogicalType& element_type) {
  if (reader.Peek() == '{') {
    if (element_type.id() != TypeId::kList) {
      return MalformedArray(text);
    }
    return ReadList(reader, text, element_type.element_type());
  }
  std::string element;
  bool is_quoted = false;
  if (!reader.ReadArrayElement(element, is_quoted)) {
    return MalformedArray(text);
  }
  if (!is_quoted && EqualsIgnoringCase(element, "null")) {
    return Value::Null(element_type);
  }
  return ElementFromText(std::move(element), element_type);
}

Result<Value> ReadList(LiteralReader& reader, std::string_view text,
                       const LogicalType& element_type) {
  if (!reader.Consume('{')) {
    return MalformedArray(text);
  }
  std::vector<Value> elements;
  reader.SkipSpaces();
  if (reader.Consume('}')) {
    return Value::List(element_type, std::move(elements));
  }
  while (true) {
    reader.SkipSpaces();
    FLOE_ASSIGN_OR_RETURN(Value element, ReadListElement(reader, text, element_type));
    elements.push_back(std::move(element));
    reader.SkipSpaces();
    if (reader.Consume('}')) {
      return Value::List(element_type, std::move(elements));
    }
    if (!reader.Consume(',')) {
      return MalformedArray(text);
    }
  }
}

}  // namespace

Result<Value> ParseListLiteral(std::string_view text, const LogicalType& list_type) {
  LiteralReader reader(text);
  reader.SkipSpaces();
  FLOE_ASSIGN_OR_RETURN(Value list, ReadList(reader, text, list_type.element_type()));
  reader.SkipSpaces();
  if (!reader.AtEnd()) {
    return MalformedArray(text);
  }
  return list;
}

Result<Value> ParseStructLiteral(std::string_view text, const LogicalType& struct_type) {
  auto malformed = [text] { return Status::InvalidCast("malformed record literal: \"{}\"", text); };
  LiteralReader reader(text);
  reader.SkipSpaces();
  if (!reader.Consume('(')) {
    return malformed();
  }
  std::vector<Value> fields;
  for (const StructField& member : struct_type.fields()) {
    if (!fields.empty() && !reader.Consume(',')) {
      return malformed();
    }
    std::string field;
    bool is_null = false;
    if (!reader.ReadRecordField(field, is_null)) {
      return malformed();
    }
    if (is_null) {
      fields.push_back(Value::Null(*member.type));
      continue;
    }
    FLOE_ASSIGN_OR_RETURN(Value value, ElementFromText(std::move(field), *member.type));
    fields.push_back(std::move(value));
  }
  if (!reader.Consume(')')) {
    return malformed();
  }
  reader.SkipSpaces();
  if (!reader.AtEnd()) {
    return malformed();
  }
  return Value::Struct(struct_type, std::move(fields));
}

}  // namespace floe::types
