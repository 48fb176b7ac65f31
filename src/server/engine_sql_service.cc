#include "server/engine_sql_service.h"

#include "catalog/metastore.h"
#include "io/file_system.h"
#include "io/file_system_registry.h"
#include "sql/engine/database.h"
#include "sql/engine/query_result.h"
#include "sql/engine/session.h"

namespace floe::server {
namespace {

using sql::engine::QueryResult;

std::vector<ColumnInfo> ColumnsOf(const std::vector<sql::engine::ResultColumn>& columns) {
  std::vector<ColumnInfo> out;
  out.reserve(columns.size());
  for (const sql::engine::ResultColumn& column : columns) {
    out.push_back({column.name, column.type});
  }
  return out;
}

PreparedInfo InfoOf(const sql::engine::StatementDescription& description) {
  return {.parameter_types = description.parameter_types,
          .columns = ColumnsOf(description.columns),
          .has_rows = description.has_rows};
}

/// Wraps a QueryResult, owned or borrowed from ExecuteEach.
class EngineResult final : public StatementResult {
 public:
  explicit EngineResult(QueryResult* borrowed)
      : result_(borrowed), columns_(ColumnsOf(borrowed->columns())) {}
  explicit EngineResult(QueryResult owned)
      : owned_(std::move(owned)), result_(&owned_), columns_(ColumnsOf(owned_.columns())) {}

  bool has_rows() const override { return result_->has_rows(); }
  const std::vector<ColumnInfo>& columns() const override { return columns_; }
  Result<std::optional<vector::Batch>> Next() override { return result_->Next(); }
  std::string command_tag() const override { return result_->command_tag(); }
  const std::vector<std::string>& notices() const override { return result_->notices(); }
  int64_t copy_out_columns() const override { return result_->copy_out_columns(); }

 private:
  QueryResult owned_;
  QueryResult* result_;
  std::vector<ColumnInfo> columns_;
};

class EngineSession final : public SqlSession {
 public:
  explicit EngineSession(std::unique_ptr<sql::engine::Session> session)
      : session_(std::move(session)) {}

  Status ExecuteEach(std::string_view sql,
                     const std::function<Status(StatementResult& result)>& consume) override {
    return session_->ExecuteEach(sql, [&consume](QueryResult& result) {
      EngineResult wrapped(&result);
      return consume(wrapped);
    });
  }
  Result<std::unique_ptr<StatementResult>> Execute(
      std::string_view sql, std::span<const types::Value> parameters) override {
    FLOE_ASSIGN_OR_RETURN(QueryResult result, session_->Execute(sql, parameters));
    return std::unique_ptr<StatementResult>(std::make_unique<EngineResult>(std::move(result)));
  }
  Result<PreparedInfo> Prepare(const std::string& name, std::string_view sql,
                               std::span<const types::LogicalType> parameter_types) override {
    FLOE_ASSIGN_OR_RETURN(sql::engine::StatementDescription description,
                          session_->Prepare(name, sql, parameter_types));
    return InfoOf(description);
  }
  Result<PreparedInfo> Describe(const std::string& name) override {
    FLOE_ASSIGN_OR_RETURN(sql::engine::StatementDescription description, session_->Describe(name));
    return InfoOf(description);
  }
  Result<std::unique_ptr<StatementResult>> ExecutePrepared(
      const std::string& name, std::span<const types::Value> parameters) override {
    FLOE_ASSIGN_OR_RETURN(QueryResult result, session_->ExecutePrepared(name, parameters));
    return std::unique_ptr<StatementResult>(std::make_unique<EngineResult>(std::move(result)));
  }
  void Deallocate(const std::string& name) override { session_->Deallocate(name); }
  void ExpireBindings() override { session_->ExpireBindings(); }
  void Cancel() override { session_->Cancel(); }
  bool in_transaction_block() const override { return session_->in_transaction_block(); }
  void SetCopyInput(sql::engine::CopyInput* input) override { session_->SetCopyInput(input); }
  Status SetParameter(std::string_view name, std::string_view value) override {
    return session_->context().settings.Set(name, value);
  }
  Result<std::string> GetParameter(std::string_view name) const override {
    return session_->context().settings.Get(name);
  }

 private:
  std::unique_ptr<sql::engine::Session> session_;
};

class EngineSqlService final : public SqlService {
 public:
  explicit EngineSqlService(std::shared_ptr<sql::engine::Database> database)
      : database_(std::move(database)) {}

  Result<std::unique_ptr<SqlSession>> Connect(const std::string& user,
                                              const std::string& database) override {
    std::unique_ptr<sql::engine::Session> session = database_->Connect(user);
    session->context().database = database;
    return std::unique_ptr<SqlSession>(std::make_unique<EngineSession>(std::move(session)));
  }

  Status CheckReady() override {
    Status metastore = database_->metastore().CheckHealth();
    if (!metastore.ok()) {
      return metastore.WithContext("metastore");
    }
    // Listing a prefix that matches nothing proves the warehouse answers without reading it.
    std::string probe = database_->settings().warehouse + "/.floe-ready-check";
    Result<std::shared_ptr<io::FileSystem>> file_system = database_->file_systems().Resolve(probe);
    if (!file_system.ok()) {
      return file_system.status().WithContext("warehouse");
    }
    Result<std::vector<io::FileInfo>> listed = (*file_system)->List(probe);
    if (!listed.ok()) {
      return listed.status().WithContext("warehouse");
    }
    return Status::OK();
  }

 private:
  std::shared_ptr<sql::engine::Database> database_;
};

}  // namespace

std::unique_ptr<SqlService> MakeEngineSqlService(std::shared_ptr<sql::engine::Database> database) {
  return std::make_unique<EngineSqlService>(std::move(database));
}

}  // namespace floe::server
