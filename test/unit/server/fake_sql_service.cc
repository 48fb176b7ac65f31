#include "fake_sql_service.h"

#include <chrono>
#include <map>
#include <thread>

#include "types/value.h"
#include "vector/schema.h"
#include "vector/vector_builder.h"

namespace floe::server::test {
namespace {

using types::LogicalType;
using types::Value;

Result<vector::Batch> MakeBatch(const std::vector<ColumnInfo>& columns,
                                const std::vector<std::vector<Value>>& rows) {
  std::vector<vector::Field> fields;
  std::vector<vector::Vector> vectors;
  for (size_t column = 0; column < columns.size(); ++column) {
    fields.push_back({columns[column].name, columns[column].type, true});
    vector::VectorBuilder builder(columns[column].type);
    for (const std::vector<Value>& row : rows) {
      FLOE_RETURN_NOT_OK(builder.AppendValue(row[column]));
    }
    FLOE_ASSIGN_OR_RETURN(vector::Vector built, builder.Finish());
    vectors.push_back(std::move(built));
  }
  return vector::Batch::Make(std::make_shared<const vector::Schema>(std::move(fields)),
                             std::move(vectors), static_cast<int64_t>(rows.size()));
}

class FakeResult final : public StatementResult {
 public:
  FakeResult(std::vector<ColumnInfo> columns, std::vector<vector::Batch> batches, bool has_rows,
             std::string tag)
      : columns_(std::move(columns)),
        batches_(std::move(batches)),
        has_rows_(has_rows),
        tag_(std::move(tag)) {}
  bool has_rows() const override { return has_rows_; }
  const std::vector<ColumnInfo>& columns() const override { return columns_; }
  Result<std::optional<vector::Batch>> Next() override {
    if (next_ >= batches_.size()) {
      return std::optional<vector::Batch>();
    }
    rows_ += batches_[next_].num_rows();
    return std::optional<vector::Batch>(batches_[next_++]);
  }
  std::string command_tag() const override {
    return has_rows_ ? fmt::format("SELECT {}", rows_) : tag_;
  }
  const std::vector<std::string>& notices() const override { return notices_; }

 private:
  std::vector<ColumnInfo> columns_;
  std::vector<vector::Batch> batches_;
  bool has_rows_;
  std::string tag_;
  std::vector<std::string> notices_;
  size_t next_ = 0;
  int64_t rows_ = 0;
};

std::string Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\n')) {
    text.remove_prefix(1);
  }
  while (!text.empty() && (text.back() == ' ' || text.back() == '\n' || text.back() == ';')) {
    text.remove_suffix(1);
  }
  return std::string(text);
}

class FakeSession final : public SqlSession {
 public:
  explicit FakeSession(FakeSqlService& service) : service_(service) {}

  Status ExecuteEach(std::string_view sql,
                     const std::function<Status(StatementResult& result)>& consume) override {
    std::string_view rest = sql;
    while (!rest.empty()) {
      size_t semicolon = rest.find(';');
      std::string statement = Trim(rest.substr(0, semicolon));
      rest = semicolon == std::string_view::npos ? std::string_view() : rest.substr(semicolon + 1);
      if (statement.empty()) {
        continue;
      }
      FLOE_ASSIGN_OR_RETURN(std::unique_ptr<StatementResult> result, Run(statement, {}));
      FLOE_RETURN_NOT_OK(consume(*result));
    }
    return Status::OK();
  }
  Result<std::unique_ptr<StatementResult>> Execute(
      std::string_view sql, std::span<const types::Value> parameters) override {
    return Run(Trim(sql), parameters);
  }
  Result<PreparedInfo> Prepare(const std::string& name, std::string_view sql,
                               std::span<const types::LogicalType> parameter_types) override {
    std::string statement = Trim(sql);
    PreparedInfo info;
    if (statement == "ECHO") {
      LogicalType type = parameter_types.empty() || parameter_types[0].id() == types::TypeId::kNull
                             ? LogicalType::Varchar()
                             : parameter_types[0];
      info.parameter_types = {type};
      info.columns = {{"echo", type}};
      info.has_rows = true;
    } else if (statement == "RETYPED") {
      info.columns = {{"n", LogicalType::Integer()}};
      info.has_rows = true;
    } else if (statement == "SELECT 1" || statement.starts_with("ROWS ") || statement == "TYPES" ||
               statement == "SLEEP") {
      FLOE_ASSIGN_OR_RETURN(std::unique_ptr<StatementResult> probe, Probe(statement));
      info.columns = probe->columns();
      info.has_rows = true;
    } else if (statement != "BEGIN" && statement != "COMMIT") {
      return Status::SyntaxError("syntax error at or near \"{}\"", statement).WithPosition(1);
    }
    prepared_[name] = {statement, info};
    return info;
  }
  Result<PreparedInfo> Describe(const std::string& name) override {
    auto found = prepared_.find(name);
    if (found == prepared_.end()) {
      return Status::NotFound("prepared statement \"{}\" does not exist", name)
          .WithSqlState("26000");
    }
    return found->second.second;
  }
  Result<std::unique_ptr<StatementResult>> ExecutePrepared(
      const std::string& name, std::span<const types::Value> parameters) override {
    auto found = prepared_.find(name);
    if (found == prepared_.end()) {
      return Status::NotFound("prepared statement \"{}\" does not exist", name)
          .WithSqlState("26000");
    }
    ++service_.prepared_executions;
    if (found->second.first == "RETYPED") {
      return Run("ROWS 1", parameters);
    }
    return Run(found->second.first, parameters);
  }
  void Deallocate(const std::string& name) override { prepared_.erase(name); }
  void ExpireBindings() override { ++service_.expired_bindings; }
  void Cancel() override { is_cancelled_ = true; }
  bool in_transaction_block() const override { return in_block_; }
  void SetCopyInput(sql::engine::CopyInput* /*input*/) override {}
  Status SetParameter(std::string_view name, std::string_view value) override {
    settings_[std::string(name)] = std::string(value);
    return Status::OK();
  }
  Result<std::string> GetParameter(std::string_view name) const override {
    auto found = settings_.find(std::string(name));
    if (found == settings_.end()) {
      return Status::NotFound("unrecognized configuration parameter \"{}\"", name);
    }
    return found->second;
  }

 private:
  Result<std::unique_ptr<StatementResult>> Probe(const std::string& statement) {
    return Run(statement, {}, /*describe_only=*/true);
  }

  Result<std::unique_ptr<StatementResult>> Run(const std::string& statement,
                                               std::span<const types::Value> parameters,
                                               bool describe_only = false) {
    if (statement == "SELECT 1") {
      std::vector<ColumnInfo> columns = {{"?column?", LogicalType::Integer()}};
      FLOE_ASSIGN_OR_RETURN(vector::Batch batch, MakeBatch(columns, {{Value::Integer(1)}}));
      return Rows(columns, {batch});
    }
    if (statement == "TYPES") {
      std::vector<ColumnInfo> columns = {
          {"b", LogicalType::Boolean()},       {"i2", LogicalType::SmallInt()},
          {"i8", LogicalType::BigInt()},       {"f8", LogicalType::Double()},
          {"n", *LogicalType::Decimal(10, 2)}, {"t", LogicalType::Varchar()},
          {"d", LogicalType::Date()},          {"ts", LogicalType::Timestamp()},
          {"nothing", LogicalType::Integer()}};
      std::vector<Value> row = {Value::Boolean(true),
                                Value::SmallInt(-2),
                                Value::BigInt(9000000000),
                                Value::Double(1.5),
                                Value::Decimal(-1234, 10, 2),
                                Value::Varchar("héllo, \"world\""),
                                Value::Date(19723),
                                Value::Timestamp(int64_t{1704067200} * 1000000 + 500000),
                                Value::Null(LogicalType::Integer())};
      FLOE_ASSIGN_OR_RETURN(vector::Batch batch, MakeBatch(columns, {row}));
      return Rows(columns, {batch});
    }
    if (statement.starts_with("ROWS ")) {
      int64_t count = std::stoll(statement.substr(5));
      std::vector<ColumnInfo> columns = {{"n", LogicalType::BigInt()}};
      std::vector<vector::Batch> batches;
      for (int64_t start = 0; start < count && !describe_only; start += 100) {
        std::vector<std::vector<Value>> rows;
        for (int64_t value = start; value < std::min(count, start + 100); ++value) {
          rows.push_back({Value::BigInt(value)});
        }
        FLOE_ASSIGN_OR_RETURN(vector::Batch batch, MakeBatch(columns, rows));
        batches.push_back(std::move(batch));
      }
      return Rows(columns, std::move(batches));
    }
    if (statement == "ECHO") {
      Value value = parameters.empty() ? Value::Null(LogicalType::Varchar()) : parameters[0];
      std::vector<ColumnInfo> columns = {{"echo", value.type()}};
      FLOE_ASSIGN_OR_RETURN(vector::Batch batch, MakeBatch(columns, {{value}}));
      return Rows(columns, {batch});
    }
    if (statement == "SLEEP") {
      std::vector<ColumnInfo> columns = {{"slept", LogicalType::Integer()}};
      if (describe_only) {
        return Rows(columns, {});
      }
      auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
      while (!is_cancelled_ && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
      }
      // Cleared here, not when a statement starts: a server may cancel a statement it has
      // marked running before it reaches this point, and that cancel must still stop it.
      is_cancelled_ = false;
      return Status::Cancelled("canceling statement due to user request").WithSqlState("57014");
    }
    if (statement == "BEGIN" || statement == "COMMIT") {
      in_block_ = statement == "BEGIN";
      return std::unique_ptr<StatementResult>(std::make_unique<FakeResult>(
          std::vector<ColumnInfo>{}, std::vector<vector::Batch>{}, false, statement));
    }
    return Status::SyntaxError("syntax error at or near \"{}\"", statement).WithPosition(1);
  }

  static Result<std::unique_ptr<StatementResult>> Rows(std::vector<ColumnInfo> columns,
                                                       std::vector<vector::Batch> batches) {
    return std::unique_ptr<StatementResult>(
        std::make_unique<FakeResult>(std::move(columns), std::move(batches), true, "SELECT"));
  }

  FakeSqlService& service_;
  std::map<std::string, std::pair<std::string, PreparedInfo>> prepared_;
  std::map<std::string, std::string> settings_{{"statement_timeout", "0"}};
  std::atomic<bool> is_cancelled_{false};
  bool in_block_ = false;
};

}  // namespace

Result<std::unique_ptr<SqlSession>> FakeSqlService::Connect(const std::string& user,
                                                            const std::string& database) {
  ++sessions_opened;
  return std::unique_ptr<SqlSession>(std::make_unique<FakeSession>(*this));
}

}  // namespace floe::server::test
