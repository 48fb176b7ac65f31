#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace floe::io {

/// One element of a parsed XML document: its name, its character data and its child elements.
/// Attributes, comments and processing instructions are checked for form and then dropped:
/// the S3 responses Floe reads carry everything it needs in elements.
struct XmlElement {
  std::string name;
  /// The character data directly inside this element, entities decoded, in document order.
  std::string text;
  std::vector<XmlElement> children;

  /// Returns the first child named `child_name`, or null.
  const XmlElement* Child(std::string_view child_name) const;
  /// Returns the text of the first child named `child_name`, or an empty view.
  std::string_view ChildText(std::string_view child_name) const;
};

/// Parses a whole XML document of one root element (an optional XML declaration, comments and
/// whitespace around it), strictly: mismatched or unclosed tags, unknown entities, stray text
/// outside the root, more than 64 levels of nesting or anything after the root is Corruption
/// naming the byte offset. Never reads outside `document`.
Result<XmlElement> ParseXml(std::string_view document);

}  // namespace floe::io
