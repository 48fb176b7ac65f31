#pragma once

#include <string_view>

namespace floe::sql::parser {

/// PostgreSQL's keyword categories, which decide where a word may serve as a name.
enum class KeywordCategory : unsigned char {
  kNone,          // Not a keyword: an ordinary identifier.
  kUnreserved,    // A name anywhere (column, table, function, type, alias).
  kColumnName,    // A column or table name, not a function or type name (int, substring...).
  kTypeFunction,  // A function or type name, not a column name (left, join, like...).
  kReserved,      // Never a name unless quoted (select, from, table...).
};

/// Returns the category of `word`, which must be lower case.
KeywordCategory CategoryOf(std::string_view word);

}  // namespace floe::sql::parser
