#pragma once

#include <string>
#include <string_view>

#include "sql/parser/ast.h"

namespace floe::sql::parser {

/// Prints canonical SQL for a tree: keywords in upper case, every compound expression in
/// parentheses, identifiers quoted when they need it, strings escaped. Parsing the result gives
/// an equal tree (same text when printed again), which view definitions, EXPLAIN and the
/// round-trip tests rely on.
std::string ToSql(const Statement& statement);
std::string ToSql(const Query& query);
std::string ToSql(const Expression& expression);
std::string ToSql(const TypeName& type);
/// Prints a FROM-clause item (a table, subquery, function or join) with its alias.
std::string ToSql(const TableRef& ref);
/// Prints `WITH [RECURSIVE] name AS (query), ... ` (with a trailing space), to go before a
/// statement.
std::string ToSql(const WithClause& with);

/// Returns `name` as is when it reads back unchanged as an identifier (lower case, not a
/// reserved keyword), else double-quoted with embedded quotes doubled.
std::string QuoteIdentifier(std::string_view name);

/// Returns `value` as a SQL string constant: '...' with embedded quotes doubled.
std::string QuoteString(std::string_view value);

}  // namespace floe::sql::parser
