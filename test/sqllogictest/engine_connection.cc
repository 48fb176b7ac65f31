// Connects the sqllogictest runner to Floe's SQL engine: one embedded database per test file,
// with its warehouse and SQLite metastore in the file's scratch directory.
#include <memory>
#include <string>
#include <utility>

#include "common/config.h"
#include "sql/engine/database.h"
#include "sql/engine/result_text.h"
#include "sql/engine/session.h"
#include "sqllogictest/linked_engine.h"

namespace floe::sqllogictest {
namespace {

TypeClass ClassOf(const types::LogicalType& type) {
  switch (type.id()) {
    case types::TypeId::kSmallInt:
    case types::TypeId::kInteger:
    case types::TypeId::kBigInt:
      return TypeClass::kInteger;
    case types::TypeId::kReal:
    case types::TypeId::kDouble:
    case types::TypeId::kDecimal:
      return TypeClass::kFloat;
    case types::TypeId::kVarchar:
      return TypeClass::kText;
    case types::TypeId::kBoolean:
      return TypeClass::kBoolean;
    case types::TypeId::kDate:
    case types::TypeId::kTime:
    case types::TypeId::kTimestamp:
    case types::TypeId::kTimestampTz:
      return TypeClass::kDateTime;
    default:
      return TypeClass::kOther;
  }
}

class EngineConnection final : public SqlConnection {
 public:
  EngineConnection(std::shared_ptr<sql::engine::Database> database)  // NOLINT
      : database_(std::move(database)), session_(database_->Connect("floe")) {}

  Result<QueryResult> Execute(std::string_view sql) override {
    FLOE_ASSIGN_OR_RETURN(sql::engine::QueryResult result, session_->Execute(sql));
    QueryResult out;
    for (const sql::engine::ResultColumn& column : result.columns()) {
      out.column_names.push_back(column.name);
      out.column_types.push_back(ClassOf(column.type));
    }
    std::vector<sql::engine::TextRow> rows;
    while (true) {
      FLOE_ASSIGN_OR_RETURN(std::optional<vector::Batch> batch, result.Next());
      if (!batch.has_value()) {
        break;
      }
      FLOE_RETURN_NOT_OK(
          sql::engine::AppendTextRows(*batch, rows, *session_->context().settings.time_zone()));
    }
    out.rows = std::move(rows);
    return out;
  }

 private:
  std::shared_ptr<sql::engine::Database> database_;
  std::unique_ptr<sql::engine::Session> session_;
};

class EngineConnectionFactory final : public SqlConnectionFactory {
 public:
  Result<std::unique_ptr<SqlConnection>> Connect(
      const std::filesystem::path& scratch_directory) override {
    Settings settings;
    settings.warehouse = (scratch_directory / "warehouse").string();
    settings.metastore = "sqlite:" + (scratch_directory / "floe.db").string();
    settings.threads = 2;
    FLOE_ASSIGN_OR_RETURN(std::shared_ptr<sql::engine::Database> database,
                          sql::engine::Database::Open(settings));
    return std::unique_ptr<SqlConnection>(std::make_unique<EngineConnection>(std::move(database)));
  }

  bool HasFeature(std::string_view feature) const override {
    return feature == "parquet" || feature == "tpch";
  }
};

}  // namespace

std::unique_ptr<SqlConnectionFactory> MakeLinkedEngineFactory() {
  return std::make_unique<EngineConnectionFactory>();
}

}  // namespace floe::sqllogictest
