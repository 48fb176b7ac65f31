#pragma once

#include <string>
#include <string_view>

#include "common/result.h"
#include "sqllogictest/test_file.h"

namespace floe::sqllogictest {

/// Parses the text of a sqllogictest file (the format is described in
/// docs/testing/sqllogictest.md) and expands its loops. `path` names the file in errors.
/// Returns SyntaxError "<path>:<line>: <what is wrong>" for the first malformed record.
Result<TestFile> ParseTestFile(std::string_view text, std::string path);

}  // namespace floe::sqllogictest
