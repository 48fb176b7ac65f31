#pragma once

#include <string>
#include <string_view>

namespace floe {

/// Appends `text` to `out` as a JSON string literal: the quote, the backslash and control
/// characters escaped (as \n, \r, \t or \u00XX); every other byte, UTF-8 included, as it is.
void AppendJsonString(std::string& out, std::string_view text);

/// Returns `text` as a JSON string literal, escaped as AppendJsonString does.
std::string JsonString(std::string_view text);

}  // namespace floe
