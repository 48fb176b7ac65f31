#pragma once

#include <string_view>
#include <vector>

#include "common/result.h"
#include "sql/parser/ast.h"

namespace floe::sql::parser {

/// Parses a message of one or more statements separated by semicolons (a simple-query message);
/// empty statements are skipped, so "" and ";;" give no statements. Errors are SyntaxError
/// with PostgreSQL's message ("syntax error at or near \"FROM\"", "syntax error at end of
/// input", "unterminated quoted string at or near \"'abc\"") and its 1-based character
/// position; constructs Floe deliberately does not support are NotSupported, also with a
/// position. Nesting deeper than kMaxNestingDepth is "statement is nested too deeply".
Result<std::vector<ParsedStatement>> ParseStatements(std::string_view text);

/// Parses exactly one statement (a trailing semicolon is allowed).
Result<StatementPtr> ParseStatement(std::string_view text);

/// Parses a single expression, as found in a select list.
Result<ExpressionPtr> ParseExpression(std::string_view text);

/// The deepest nesting of parentheses, subqueries and operators the parser accepts. Recursion
/// over the tree (binding, printing, destruction) stays well within a thread's stack below it.
/// The parser also stops before its own recursion uses 2 MB of stack (more in sanitizer builds),
/// so it must run on a thread with a few megabytes of stack, as threads have by default.
inline constexpr int kMaxNestingDepth = 1000;

/// Returns the 1-based character position (UTF-8 characters, as PostgreSQL counts them) of the
/// 0-based byte offset `location` in `text`, for Status::WithPosition.
int CharacterPosition(std::string_view text, int location);

}  // namespace floe::sql::parser
