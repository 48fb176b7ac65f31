#pragma once

#include <string>
#include <string_view>

namespace floe::io {

/// Returns the scheme of `location` in lower case ("s3", "file", "memory"), or an empty string
/// for a plain path. A scheme counts only when followed by "://", or for "file:" alone (the
/// Hadoop form "file:/warehouse"), so a relative path such as "a:b" stays a path.
std::string SchemeOf(std::string_view location);

}  // namespace floe::io
