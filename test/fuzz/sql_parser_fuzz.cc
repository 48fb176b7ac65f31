// Any text is either parsed or refused with a Status; never a crash, a hang or a huge
// allocation. Whatever parses must print as SQL that parses back to the same tree, which the
// round trip checks by printing the second tree and comparing the texts.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/check.h"
#include "sql/parser/deparser.h"
#include "sql/parser/parser.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  floe::Result<std::vector<floe::sql::parser::ParsedStatement>> statements =
      floe::sql::parser::ParseStatements(text);
  if (!statements.ok()) {
    FLOE_CHECK(statements.status().position() >= 0);
    return 0;
  }
  for (const floe::sql::parser::ParsedStatement& parsed : *statements) {
    FLOE_CHECK(parsed.begin >= 0 && parsed.begin <= parsed.end &&
               static_cast<size_t>(parsed.end) <= size);
    std::string printed = floe::sql::parser::ToSql(*parsed.statement);
    floe::Result<floe::sql::parser::StatementPtr> reparsed =
        floe::sql::parser::ParseStatement(printed);
    if (!reparsed.ok()) {
      // Printing adds parentheses, so text near the nesting limit may print past it.
      FLOE_CHECK(reparsed.status().message() == "statement is nested too deeply");
      continue;
    }
    FLOE_CHECK(floe::sql::parser::ToSql(**reparsed) == printed);
  }
  return 0;
}
