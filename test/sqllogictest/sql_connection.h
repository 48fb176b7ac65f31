#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace floe::sqllogictest {

/// Classifies a result column's type as the type letters of a `query` record name it:
/// I integer, R floating point or decimal, T text, B boolean, D date/time. Every other type
/// (interval, bytea, arrays, json...) is kOther and matches only the letter '?'.
enum class TypeClass : unsigned char { kInteger, kFloat, kText, kBoolean, kDateTime, kOther };

/// Returns the lower-case name of a type class ("integer"), used in failure reports.
std::string_view TypeClassName(TypeClass type_class);

/// One value as PostgreSQL's text output format renders it; nullopt is SQL NULL.
using TextValue = std::optional<std::string>;

/// The result of one SQL statement, rendered by the engine in PostgreSQL text format (so
/// `true` prints as "t", a float8 as "0.1", a date as "2024-01-31").
struct QueryResult {
  std::vector<std::string> column_names;
  std::vector<TypeClass> column_types;       // One per column.
  std::vector<std::vector<TextValue>> rows;  // Each row holds one value per column.
};

/// A session on one database, implemented by the SQL engine for the test runner.
///
/// Used from one thread at a time. Statements run in order, each seeing the effects of the
/// ones before it (autocommit, as psql runs them).
class SqlConnection {
 public:
  SqlConnection() = default;
  SqlConnection(const SqlConnection&) = delete;
  SqlConnection& operator=(const SqlConnection&) = delete;
  SqlConnection(SqlConnection&&) = delete;
  SqlConnection& operator=(SqlConnection&&) = delete;
  virtual ~SqlConnection() = default;

  /// Runs one SQL statement. Returns its result set (no columns for a statement without one),
  /// or the error the engine reports, whose message and SQLSTATE `statement error` checks.
  virtual Result<QueryResult> Execute(std::string_view sql) = 0;
};

/// Opens databases for the test runner: one fresh, empty database per test file.
class SqlConnectionFactory {
 public:
  SqlConnectionFactory() = default;
  SqlConnectionFactory(const SqlConnectionFactory&) = delete;
  SqlConnectionFactory& operator=(const SqlConnectionFactory&) = delete;
  SqlConnectionFactory(SqlConnectionFactory&&) = delete;
  SqlConnectionFactory& operator=(SqlConnectionFactory&&) = delete;
  virtual ~SqlConnectionFactory() = default;

  /// Returns a connection to a new empty database that keeps any files it writes (warehouse,
  /// metastore) under `scratch_directory`, which exists, is empty, and is removed by the
  /// runner after the file has run and the connection has been destroyed.
  virtual Result<std::unique_ptr<SqlConnection>> Connect(
      const std::filesystem::path& scratch_directory) = 0;

  /// Returns whether the engine provides `feature`, named by a `require` record ("parquet",
  /// "s3"...). A file requiring a missing feature is reported as skipped.
  virtual bool HasFeature(std::string_view feature) const = 0;
};

}  // namespace floe::sqllogictest
