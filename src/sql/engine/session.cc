#include "sql/engine/session.h"

#include <chrono>
#include <optional>
#include <sstream>
#include <utility>

#include <fmt/format.h>

#include "sql/binder/binder.h"
#include "sql/engine/copy_format.h"
#include "sql/engine/database.h"
#include "sql/engine/engine_catalog.h"
#include "sql/engine/procedures.h"
#include "sql/engine/table_statements.h"
#include "sql/engine/user_statements.h"
#include "sql/execution/executor.h"
#include "sql/functions/function_registry.h"
#include "sql/parser/deparser.h"
#include "sql/parser/parser.h"
#include "sql/planner/optimizer.h"
#include "sql/planner/physical_planner.h"
#include "types/cast.h"
#include "vector/vector_builder.h"

namespace floe::sql::engine {

/// A statement kept by Prepare: its text (the syntax tree points into it) and description.
struct PreparedStatement {
  std::string sql;
  parser::StatementPtr statement;
  std::vector<types::LogicalType> declared_types;
  StatementDescription description;
  /// A query as Prepare bound it, for an execution at `bound_epoch` (Session::ExpireBindings).
  std::optional<binder::BoundQuery> bound;
  uint64_t bound_epoch = 0;
};

/// The running query a session can cancel: set while a stream is alive.
struct CancelSlot {
  std::mutex mutex;
  execution::ResultStream* stream = nullptr;
};

namespace {

using types::LogicalType;
using types::Value;

int64_t NowMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

/// Streams an executing query's batches; owns everything the query needs while it runs.
class ExecutionStream final : public BatchStream {
 public:
  ExecutionStream(std::unique_ptr<MemoryTracker> tracker, std::shared_ptr<CancelSlot> slot,
                  int64_t timeout_millis)
      : tracker_(std::move(tracker)),
        slot_(std::move(slot)),
        deadline_(timeout_millis > 0
                      ? std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_millis)
                      : std::chrono::steady_clock::time_point::max()) {}
  ~ExecutionStream() override {
    std::lock_guard<std::mutex> lock(slot_->mutex);
    if (slot_->stream == stream_.get()) {
      slot_->stream = nullptr;
    }
  }

  void Start(std::unique_ptr<execution::ResultStream> stream) {
    stream_ = std::move(stream);
    std::lock_guard<std::mutex> lock(slot_->mutex);
    slot_->stream = stream_.get();
  }

  Result<std::optional<vector::Batch>> Next() override {
    if (std::chrono::steady_clock::now() > deadline_) {
      stream_->Cancel();
      return Status::Cancelled("canceling statement due to statement timeout")
          .WithSqlState("57014");
    }
    Result<std::optional<vector::Batch>> batch = stream_->Next();
    if (!batch.ok() && batch.status().code() == StatusCode::kCancelled) {
      return Status::Cancelled("canceling statement due to user request").WithSqlState("57014");
    }
    return batch;
  }

 private:
  std::unique_ptr<MemoryTracker> tracker_;
  std::shared_ptr<CancelSlot> slot_;
  std::chrono::steady_clock::time_point deadline_;
  std::unique_ptr<execution::ResultStream> stream_;
};

Result<vector::Batch> TextBatch(const std::vector<std::string>& names,
                                const std::vector<std::vector<std::string>>& rows) {
  std::vector<vector::Field> fields;
  for (const std::string& name : names) {
    fields.push_back({name, LogicalType::Varchar(), true});
  }
  auto schema = std::make_shared<const vector::Schema>(std::move(fields));
  std::vector<vector::Vector> columns;
  for (size_t c = 0; c < names.size(); ++c) {
    vector::VectorBuilder builder(LogicalType::Varchar());
    for (const auto& row : rows) {
      FLOE_RETURN_NOT_OK(builder.AppendString(row[c]));
    }
    FLOE_ASSIGN_OR_RETURN(vector::Vector column, builder.Finish());
    columns.push_back(std::move(column));
  }
  return vector::Batch::Make(schema, std::move(columns), static_cast<int64_t>(rows.size()));
}

// A batch of VARCHAR columns `names` holding `rows` (NULLs kept).
Result<vector::Batch> TextRowsBatch(const std::vector<std::string>& names,
                                    const std::vector<TextRow>& rows) {
  std::vector<vector::Field> fields;
  std::vector<vector::Vector> columns;
  for (size_t c = 0; c < names.size(); ++c) {
    fields.push_back({names[c], LogicalType::Varchar(), true});
    vector::VectorBuilder builder(LogicalType::Varchar());
    for (const TextRow& row : rows) {
      FLOE_RETURN_NOT_OK(row[c].has_value() ? builder.AppendString(*row[c]) : builder.AppendNull());
    }
    FLOE_ASSIGN_OR_RETURN(vector::Vector column, builder.Finish());
    columns.push_back(std::move(column));
  }
  return vector::Batch::Make(std::make_shared<const vector::Schema>(std::move(fields)),
                             std::move(columns), static_cast<int64_t>(rows.size()));
}

QueryResult TextResult(std::vector<std::string> names, const vector::Batch& batch,
                       std::string tag) {
  std::vector<ResultColumn> columns;
  for (std::string& name : names) {
    columns.push_back({std::move(name), LogicalType::Varchar()});
  }
  return QueryResult::Materialized(std::move(columns), {batch}, std::move(tag));
}

std::string_view TextOf(std::string_view sql, const parser::ParsedStatement& statement) {
  return sql.substr(static_cast<size_t>(statement.begin),
                    static_cast<size_t>(statement.end - statement.begin));
}

std::string OptionText(const parser::OptionValue& value) {
  return value.text;
}

}  // namespace

/// Runs one statement of a session.
class StatementRunner {
 public:
  StatementRunner(Session& session, std::string_view sql, std::span<const Value> parameters,
                  std::string_view statement_text = {}, std::vector<LogicalType> declared = {})
      : session_(session),
        sql_(sql),
        parameters_(parameters),
        statement_text_(statement_text),
        declared_(std::move(declared)),
        catalog_(*session.database_, session.context_),
        statement_time_(NowMicros()) {}

  Result<QueryResult> Run(const parser::Statement& statement);
  /// Starts a query bound earlier (by Describe, for the same statement text).
  Result<QueryResult> RunBoundQuery(binder::BoundQuery bound);
  /// With `bound`, keeps there the binding of a query.
  Result<StatementDescription> Describe(const parser::Statement& statement,
                                        std::vector<LogicalType> declared,
                                        std::optional<binder::BoundQuery>* bound = nullptr);

 private:
  Result<binder::BoundQuery> BindQuery(const parser::Query& query,
                                       std::vector<LogicalType> declared = {});
  // Plans and starts a query; with `explain`, first writes the plan there as EXPLAIN shows it
  // with `explain_options`.
  Result<std::unique_ptr<execution::ResultStream>> Start(
      binder::BoundQuery bound, std::unique_ptr<MemoryTracker>& tracker, std::string* explain,
      const execution::ExplainOptions& explain_options = {});
  Result<QueryResult> RunQuery(const parser::Query& query);
  Result<QueryResult> RunExplain(const parser::ExplainStatement& explain);
  Result<QueryResult> RunSet(const parser::SetStatement& set);
  Result<QueryResult> RunShow(const parser::ShowStatement& show);
  Result<QueryResult> RunTransaction(const parser::TransactionStatement& statement);
  Result<QueryResult> RunCreateSchema(const parser::CreateSchemaStatement& statement);
  Result<QueryResult> RunCreateView(const parser::CreateViewStatement& statement);
  Result<QueryResult> RunDrop(const parser::DropStatement& statement);
  Result<QueryResult> RunTableStatement(const parser::Statement& statement);
  TableStatementContext MakeTableContext();
  Result<QueryResult> RunCopyFrom(const parser::CopyStatement& copy, const CopyFormat& format);
  Result<QueryResult> RunPrepare(const parser::PrepareStatement& statement);
  Result<QueryResult> RunExecute(const parser::ExecuteStatement& statement);
  Result<QueryResult> RunCopy(const parser::CopyStatement& copy);
  Result<QueryResult> RunCall(const parser::CallStatement& statement);
  Status Error(Status status, int location) const {
    if (status.position() > 0) {
      return status;
    }
    return status.WithPosition(parser::CharacterPosition(sql_, location));
  }

  Session& session_;
  std::string_view sql_;
  std::span<const Value> parameters_;
  std::string_view statement_text_;
  std::vector<LogicalType> declared_;
  EngineCatalog catalog_;
  int64_t statement_time_;
};

Result<binder::BoundQuery> StatementRunner::BindQuery(const parser::Query& query,
                                                      std::vector<LogicalType> declared) {
  binder::Binder binder(catalog_, FunctionRegistry::Default(), sql_);
  binder.SetTimeZone(*session_.context_.settings.time_zone());
  if (declared.empty()) {
    declared = declared_;
  }
  if (!declared.empty()) {
    binder.SetParameterTypes(std::move(declared));
  }
  return binder.BindQuery(query);
}

Result<std::unique_ptr<execution::ResultStream>> StatementRunner::Start(
    binder::BoundQuery bound, std::unique_ptr<MemoryTracker>& tracker, std::string* explain,
    const execution::ExplainOptions& explain_options) {
  // Parameters arrive as values of any type: cast each to the type its placeholder got.
  std::vector<Value> parameters;
  if (parameters_.size() < bound.parameter_types.size()) {
    return Status::InvalidArgument(
               "bind message supplies {} parameters, but prepared statement "
               "requires {}",
               parameters_.size(), bound.parameter_types.size())
        .WithSqlState("08P01");
  }
  for (size_t i = 0; i < bound.parameter_types.size(); ++i) {
    FLOE_ASSIGN_OR_RETURN(Value value, types::CastValue(parameters_[i], bound.parameter_types[i],
                                                        *session_.context_.settings.time_zone()));
    parameters.push_back(std::move(value));
  }
  planner::OptimizerOptions options;
  options.statement_time_micros = statement_time_;
  options.time_zone = session_.context_.settings.time_zone();
  FLOE_ASSIGN_OR_RETURN(binder::LogicalOperatorPtr plan,
                        planner::Optimize(std::move(bound.plan), options));
  planner::PlannerContext context;
  context.file_systems = &session_.database_->file_systems();
  context.parameters = parameters;
  context.statement_time_micros = statement_time_;
  context.time_zone = session_.context_.settings.time_zone();
  context.max_recursive_iterations = session_.context_.settings.max_recursive_iterations();
  if (session_.context_.settings.analytics_cache()) {
    context.column_cache = session_.database_->column_cache();
  }
  FLOE_ASSIGN_OR_RETURN(execution::PhysicalOperatorPtr physical,
                        planner::PlanPhysical(*plan, context));
  if (explain != nullptr) {
    *explain = physical->Explain(explain_options);
  }
  Database& database = *session_.database_;
  int64_t limit = session_.context_.settings.memory_limit() > 0
                      ? session_.context_.settings.memory_limit()
                      : database.query_memory_limit();
  tracker = std::make_unique<MemoryTracker>("query", limit, &database.memory());
  execution::ExecutorOptions executor;
  executor.scheduler = &database.scheduler();
  executor.max_threads = session_.context_.settings.threads();
  executor.tracker = tracker.get();
  executor.statement_time_micros = statement_time_;
  executor.time_zone = session_.context_.settings.time_zone();
  executor.temp_directory = database.temp_directory();
  return execution::Executor::Execute(std::move(physical), executor);
}

Result<QueryResult> StatementRunner::RunQuery(const parser::Query& query) {
  FLOE_ASSIGN_OR_RETURN(binder::BoundQuery bound, BindQuery(query));
  return RunBoundQuery(std::move(bound));
}

Result<QueryResult> StatementRunner::RunBoundQuery(binder::BoundQuery bound) {
  std::vector<ResultColumn> columns;
  for (const binder::LogicalColumn& column : bound.plan->columns) {
    columns.push_back({column.name, column.type});
  }
  std::unique_ptr<MemoryTracker> tracker;
  FLOE_ASSIGN_OR_RETURN(std::unique_ptr<execution::ResultStream> running,
                        Start(std::move(bound), tracker, nullptr));
  auto stream =
      std::make_unique<ExecutionStream>(std::move(tracker), session_.cancel_slot_,
                                        session_.context_.settings.statement_timeout_millis());
  stream->Start(std::move(running));
  return QueryResult::Rows(std::move(columns), std::move(stream));
}

Result<QueryResult> StatementRunner::RunExplain(const parser::ExplainStatement& explain) {
  execution::ExplainOptions options;
  bool logical = false;
  for (const parser::Option& option : explain.options) {
    bool enabled =
        option.value.kind == parser::OptionValueKind::kNone ||
        (option.value.text != "false" && option.value.text != "off" && option.value.text != "0");
    if (option.name == "analyze") {
      options.analyze = enabled;
    } else if (option.name == "verbose") {
      logical = enabled;
    } else if (option.name == "costs") {
      options.costs = enabled;
    } else if (option.name == "timing") {
      options.timing = enabled;
    } else if (option.name == "format") {
      if (option.value.text != "text") {
        return Error(Status::NotSupported("EXPLAIN (FORMAT {}): only FORMAT TEXT is supported",
                                          option.value.text),
                     option.location);
      }
    } else if (option.name == "summary" || option.name == "buffers") {
      // Accepted, and add nothing: planning time and buffer counts are not kept.
    } else {
      return Error(Status::InvalidArgument("unrecognized EXPLAIN option \"{}\"", option.name)
                       .WithSqlState("42601"),
                   option.location);
    }
  }
  if (explain.statement->kind != parser::StatementKind::kQuery) {
    return Error(Status::NotSupported("EXPLAIN of this statement is not supported yet"),
                 explain.statement->location);
  }
  const parser::Query& query = *explain.statement->As<parser::QueryStatement>().query;
  FLOE_ASSIGN_OR_RETURN(binder::BoundQuery bound, BindQuery(query));
  std::string text;
  if (logical) {
    planner::OptimizerOptions optimizer;
    optimizer.statement_time_micros = statement_time_;
    optimizer.time_zone = session_.context_.settings.time_zone();
    FLOE_ASSIGN_OR_RETURN(binder::BoundQuery again, BindQuery(query));
    FLOE_ASSIGN_OR_RETURN(binder::LogicalOperatorPtr optimized,
                          planner::Optimize(std::move(again.plan), optimizer));
    text += "Logical plan:\n" + binder::LogicalPlanToString(*optimized) + "Physical plan:\n";
  }
  std::unique_ptr<MemoryTracker> tracker;
  std::string plan_text;
  FLOE_ASSIGN_OR_RETURN(std::unique_ptr<execution::ResultStream> running,
                        Start(std::move(bound), tracker, &plan_text, options));
  if (options.analyze) {
    FLOE_RETURN_NOT_OK(running->Drain());
    text += running->Explain(options);
  } else {
    running->Cancel();
    (void)running->Drain();
    text += plan_text;
  }
  running.reset();
  std::vector<std::vector<std::string>> rows;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    rows.push_back({line});
  }
  FLOE_ASSIGN_OR_RETURN(vector::Batch batch, TextBatch({"QUERY PLAN"}, rows));
  return TextResult({"QUERY PLAN"}, batch, "EXPLAIN");
}

Result<QueryResult> StatementRunner::RunSet(const parser::SetStatement& set) {
  SessionSettings& settings = session_.context_.settings;
  if (set.is_default) {
    FLOE_RETURN_NOT_OK(Error(settings.Reset(set.name), set.location));
    return QueryResult::Command("SET");
  }
  std::string value;
  for (const parser::OptionValue& item : set.values) {
    if (!value.empty()) {
      value += ", ";
    }
    value += OptionText(item);
  }
  Status status = settings.Set(set.name, value);
  if (!status.ok()) {
    return Error(status, set.location);
  }
  return QueryResult::Command("SET");
}

Result<QueryResult> StatementRunner::RunShow(const parser::ShowStatement& show) {
  SessionSettings& settings = session_.context_.settings;
  switch (show.show_kind) {
    case parser::ShowKind::kVariable: {
      Result<std::string> value = settings.Get(show.name);
      if (!value.ok()) {
        return Error(value.status(), show.location);
      }
      FLOE_ASSIGN_OR_RETURN(vector::Batch batch, TextBatch({show.name}, {{*value}}));
      return TextResult({show.name}, batch, "SHOW");
    }
    case parser::ShowKind::kAll: {
      std::vector<std::vector<std::string>> rows;
      for (const auto& [name, value] : settings.All()) {
        rows.push_back({name, value});
      }
      FLOE_ASSIGN_OR_RETURN(vector::Batch batch, TextBatch({"name", "setting"}, rows));
      return TextResult({"name", "setting"}, batch, "SHOW");
    }
    case parser::ShowKind::kSchemas: {
      FLOE_ASSIGN_OR_RETURN(auto page, session_.database_->metastore().ListNamespaces({}, {}));
      std::vector<std::vector<std::string>> rows;
      for (const catalog::Namespace& schema : page.items) {
        rows.push_back({catalog::NamespaceToString(schema)});
      }
      FLOE_ASSIGN_OR_RETURN(vector::Batch batch, TextBatch({"schema_name"}, rows));
      return TextResult({"schema_name"}, batch, "SHOW");
    }
    case parser::ShowKind::kTables: {
      std::vector<catalog::Namespace> schemas;
      if (show.object.empty()) {
        for (const std::string& schema : settings.SearchPath()) {
          schemas.push_back({schema});
        }
      } else {
        schemas.push_back(show.object);
      }
      std::vector<std::vector<std::string>> rows;
      for (const catalog::Namespace& schema : schemas) {
        FLOE_ASSIGN_OR_RETURN(auto tables, session_.database_->metastore().ListTables(schema, {}));
        for (const catalog::TableIdentifier& table : tables.items) {
          rows.push_back({catalog::NamespaceToString(schema), table.name, "table"});
        }
        FLOE_ASSIGN_OR_RETURN(auto views, session_.database_->metastore().ListViews(schema, {}));
        for (const catalog::TableIdentifier& view : views.items) {
          rows.push_back({catalog::NamespaceToString(schema), view.name, "view"});
        }
      }
      std::sort(rows.begin(), rows.end());
      FLOE_ASSIGN_OR_RETURN(vector::Batch batch, TextBatch({"schema", "name", "type"}, rows));
      return TextResult({"schema", "name", "type"}, batch, "SHOW");
    }
    case parser::ShowKind::kColumns:
      return Error(Status::NotSupported("SHOW COLUMNS is not supported yet"), show.location);
  }
  return Status::Internal("unknown SHOW");
}

Result<QueryResult> StatementRunner::RunTransaction(const parser::TransactionStatement& statement) {
  switch (statement.transaction_kind) {
    case parser::TransactionKind::kBegin:
      session_.in_transaction_block_ = true;
      return QueryResult::Command("BEGIN");
    case parser::TransactionKind::kCommit:
      session_.in_transaction_block_ = false;
      return QueryResult::Command("COMMIT");
    case parser::TransactionKind::kRollback:
      session_.in_transaction_block_ = false;
      return QueryResult::Command("ROLLBACK");
  }
  return Status::Internal("unknown transaction statement");
}

Result<QueryResult> StatementRunner::RunCreateSchema(
    const parser::CreateSchemaStatement& statement) {
  catalog::Namespace schema(statement.name.begin(), statement.name.end());
  catalog::Metastore& metastore = session_.database_->metastore();
  FLOE_ASSIGN_OR_RETURN(bool exists, metastore.NamespaceExists(schema));
  if (exists) {
    if (statement.if_not_exists) {
      QueryResult result = QueryResult::Command("CREATE SCHEMA");
      result.AddNotice(fmt::format("schema \"{}\" already exists, skipping",
                                   catalog::NamespaceToString(schema)));
      return result;
    }
    return Error(
        Status::AlreadyExists("schema \"{}\" already exists", catalog::NamespaceToString(schema))
            .WithSqlState("42P06"),
        statement.location);
  }
  FLOE_RETURN_NOT_OK(Error(metastore.CreateNamespace(schema, {}), statement.location));
  return QueryResult::Command("CREATE SCHEMA");
}

Result<QueryResult> StatementRunner::RunCreateView(const parser::CreateViewStatement& statement) {
  // Bind once so that a view that cannot be queried is never stored.
  FLOE_ASSIGN_OR_RETURN(binder::BoundQuery bound, BindQuery(*statement.query));
  if (statement.columns.size() > bound.plan->columns.size()) {
    return Error(Status::InvalidArgument("CREATE VIEW specifies more column names than columns")
                     .WithSqlState("42601"),
                 statement.location);
  }
  auto [namespaces, name] = catalog_.Candidates(statement.name);
  if (namespaces.empty()) {
    return Error(
        Status::InvalidArgument("no schema has been selected to create in").WithSqlState("3F000"),
        statement.location);
  }
  catalog::TableIdentifier identifier{namespaces[0], name};
  catalog::ViewDefinition definition;
  definition.sql = statement.query_text;
  if (!statement.columns.empty()) {
    definition.schema_json = "[";
    for (size_t i = 0; i < statement.columns.size(); ++i) {
      definition.schema_json += (i == 0 ? "\"" : ",\"") + statement.columns[i] + "\"";
    }
    definition.schema_json += "]";
  }
  catalog::Metastore& metastore = session_.database_->metastore();
  FLOE_ASSIGN_OR_RETURN(bool is_table, metastore.TableExists(identifier));
  if (is_table) {
    return Error(Status::AlreadyExists("\"{}\" is not a view", name).WithSqlState("42809"),
                 statement.location);
  }
  Status status = statement.or_replace ? metastore.ReplaceView(identifier, definition)
                                       : metastore.CreateView(identifier, definition);
  if (status.code() == StatusCode::kAlreadyExists) {
    return Error(
        Status::AlreadyExists("relation \"{}\" already exists", name).WithSqlState("42P07"),
        statement.location);
  }
  if (status.code() == StatusCode::kNotFound) {
    return Error(Status::NotFound("schema \"{}\" does not exist",
                                  catalog::NamespaceToString(identifier.namespace_name))
                     .WithSqlState("3F000"),
                 statement.location);
  }
  FLOE_RETURN_NOT_OK(Error(status, statement.location));
  return QueryResult::Command("CREATE VIEW");
}

Result<QueryResult> StatementRunner::RunDrop(const parser::DropStatement& statement) {
  catalog::Metastore& metastore = session_.database_->metastore();
  switch (statement.object_kind) {
    case parser::ObjectKind::kRole: {
      FLOE_ASSIGN_OR_RETURN(catalog::UserStore * users, session_.database_->users());
      Result<QueryResult> result = RunDropRoles(*users, session_.context_.user, statement);
      return result.ok() ? std::move(result) : Error(result.status(), statement.location);
    }
    case parser::ObjectKind::kSchema: {
      QueryResult result = QueryResult::Command("DROP SCHEMA");
      for (const parser::QualifiedName& name : statement.names) {
        catalog::Namespace schema(name.begin(), name.end());
        FLOE_ASSIGN_OR_RETURN(bool exists, metastore.NamespaceExists(schema));
        if (!exists) {
          if (statement.if_exists) {
            result.AddNotice(fmt::format("schema \"{}\" does not exist, skipping",
                                         catalog::NamespaceToString(schema)));
            continue;
          }
          return Error(
              Status::NotFound("schema \"{}\" does not exist", catalog::NamespaceToString(schema))
                  .WithSqlState("3F000"),
              statement.location);
        }
        if (statement.behavior == parser::DropBehavior::kCascade) {
          return Error(Status::NotSupported("DROP SCHEMA ... CASCADE is not supported yet"),
                       statement.location);
        }
        Status status = metastore.DropNamespace(schema);
        if (status.code() == StatusCode::kInvalidArgument) {
          return Error(Status::InvalidArgument("cannot drop schema {} because other objects "
                                               "depend on it",
                                               catalog::NamespaceToString(schema))
                           .WithSqlState("2BP01"),
                       statement.location);
        }
        FLOE_RETURN_NOT_OK(Error(status, statement.location));
      }
      return result;
    }
    case parser::ObjectKind::kView: {
      QueryResult result = QueryResult::Command("DROP VIEW");
      for (const parser::QualifiedName& name : statement.names) {
        auto [namespaces, object] = catalog_.Candidates(name);
        bool dropped = false;
        for (const catalog::Namespace& schema : namespaces) {
          Status status = metastore.DropView({schema, object});
          if (status.ok()) {
            dropped = true;
            break;
          }
          if (status.code() != StatusCode::kNotFound) {
            return Error(status, statement.location);
          }
        }
        if (!dropped && !statement.if_exists) {
          return Error(Status::NotFound("view \"{}\" does not exist", object).WithSqlState("42P01"),
                       statement.location);
        }
        if (!dropped) {
          result.AddNotice(fmt::format("view \"{}\" does not exist, skipping", object));
        }
      }
      return result;
    }
    case parser::ObjectKind::kTable: {
      QueryResult result = QueryResult::Command("DROP TABLE");
      for (const parser::QualifiedName& name : statement.names) {
        auto [namespaces, object] = catalog_.Candidates(name);
        bool dropped = false;
        for (const catalog::Namespace& schema : namespaces) {
          Result<catalog::TableEntry> entry = metastore.DropTable({schema, object});
          if (entry.ok()) {
            dropped = true;
            break;
          }
          if (entry.status().code() != StatusCode::kNotFound) {
            return Error(entry.status(), statement.location);
          }
        }
        if (!dropped && !statement.if_exists) {
          return Error(
              Status::NotFound("table \"{}\" does not exist", object).WithSqlState("42P01"),
              statement.location);
        }
        if (!dropped) {
          result.AddNotice(fmt::format("table \"{}\" does not exist, skipping", object));
        }
      }
      return result;
    }
    default:
      return Error(Status::NotSupported("DROP of this kind of object is not supported yet"),
                   statement.location);
  }
}

Result<QueryResult> StatementRunner::RunPrepare(const parser::PrepareStatement& statement) {
  std::vector<LogicalType> declared;
  for (const parser::TypeName& type : statement.parameter_types) {
    Result<LogicalType> resolved = binder::ResolveTypeName(type);
    if (!resolved.ok()) {
      return Error(resolved.status(), type.location);
    }
    declared.push_back(*resolved);
  }
  if (session_.prepared_.contains(statement.name)) {
    return Error(Status::AlreadyExists("prepared statement \"{}\" already exists", statement.name)
                     .WithSqlState("42P05"),
                 statement.location);
  }
  // The syntax tree points into the statement's text: keep a copy and parse it again.
  auto prepared = std::make_shared<PreparedStatement>();
  prepared->sql = std::string(statement_text_);
  FLOE_ASSIGN_OR_RETURN(parser::StatementPtr reparsed, parser::ParseStatement(prepared->sql));
  if (reparsed->kind != parser::StatementKind::kPrepare) {
    return Status::Internal("PREPARE did not parse again as PREPARE");
  }
  prepared->statement = std::move(reparsed->As<parser::PrepareStatement>().statement);
  prepared->declared_types = declared;
  StatementRunner describer(session_, prepared->sql, {}, {}, declared);
  FLOE_ASSIGN_OR_RETURN(prepared->description, describer.Describe(*prepared->statement, declared));
  session_.prepared_[statement.name] = std::move(prepared);
  return QueryResult::Command("PREPARE");
}

Result<QueryResult> StatementRunner::RunExecute(const parser::ExecuteStatement& statement) {
  binder::Binder binder(catalog_, FunctionRegistry::Default(), sql_);
  binder.SetTimeZone(*session_.context_.settings.time_zone());
  std::vector<Value> values;
  for (const auto& argument : statement.arguments) {
    FLOE_ASSIGN_OR_RETURN(execution::ExpressionPtr expr, binder.BindConstantExpression(*argument));
    if (expr->kind() != execution::ExpressionKind::kConstant) {
      return Error(Status::NotSupported("EXECUTE arguments must be constants"), argument->location);
    }
    values.push_back(expr->value());
  }
  return session_.ExecutePrepared(statement.name, values);
}

Result<QueryResult> StatementRunner::RunCopy(const parser::CopyStatement& copy) {
  Result<CopyFormat> format = ParseCopyFormat(copy.options, copy.file);
  if (!format.ok()) {
    return Error(format.status(), copy.location);
  }
  if (copy.direction == parser::CopyDirection::kFrom) {
    Result<QueryResult> result = RunCopyFrom(copy, *format);
    return result.ok() ? std::move(result) : Error(result.status(), copy.location);
  }
  // `COPY t (a, b) TO` copies what `SELECT a, b FROM t` returns.
  parser::StatementPtr select;
  const parser::Query* query = copy.query.get();
  if (query == nullptr) {
    std::string text = "SELECT ";
    for (size_t i = 0; i < copy.columns.size(); ++i) {
      text += (i > 0 ? ", " : "") + parser::QuoteIdentifier(copy.columns[i]);
    }
    text += copy.columns.empty() ? "* FROM " : " FROM ";
    for (size_t i = 0; i < copy.table.size(); ++i) {
      text += (i > 0 ? "." : "") + parser::QuoteIdentifier(copy.table[i]);
    }
    FLOE_ASSIGN_OR_RETURN(select, parser::ParseStatement(text));
    query = select->As<parser::QueryStatement>().query.get();
  }
  Result<QueryResult> rows = RunQuery(*query);
  if (!rows.ok()) {
    // Positions in the generated SELECT mean nothing to the user: point at the COPY.
    return query == copy.query.get()
               ? rows.status()
               : rows.status().WithPosition(parser::CharacterPosition(sql_, copy.location));
  }
  if (copy.is_stdio) {
    return CopyToStdout(std::move(*rows), *format);
  }
  FLOE_ASSIGN_OR_RETURN(int64_t count,
                        CopyToFile(*rows, *format, session_.database_->file_systems(), copy.file,
                                   &session_.database_->memory()));
  return QueryResult::Command(fmt::format("COPY {}", count));
}

Result<QueryResult> StatementRunner::RunCall(const parser::CallStatement& statement) {
  binder::Binder binder(catalog_, FunctionRegistry::Default(), sql_);
  binder.SetTimeZone(*session_.context_.settings.time_zone());
  std::vector<ProcedureArgument> arguments;
  for (const parser::FunctionArgument& argument : statement.call->arguments) {
    FLOE_ASSIGN_OR_RETURN(execution::ExpressionPtr expr,
                          binder.BindConstantExpression(*argument.value));
    if (expr->kind() != execution::ExpressionKind::kConstant) {
      return Error(Status::NotSupported("CALL arguments must be constants"),
                   argument.value->location);
    }
    arguments.push_back({argument.name, expr->value()});
  }
  TableStatementContext context = MakeTableContext();
  Result<QueryResult> result = RunProcedure(context, statement.call->names, std::move(arguments));
  return result.ok() ? std::move(result) : Error(result.status(), statement.call->location);
}

TableStatementContext StatementRunner::MakeTableContext() {
  return TableStatementContext{
      .database = *session_.database_,
      .catalog = catalog_,
      .bind = [this](const parser::Query& query) { return BindQuery(query); },
      .run = [this](binder::BoundQuery bound,
                    const std::function<Status(const vector::Batch&)>& consume) -> Status {
        std::unique_ptr<MemoryTracker> tracker;
        FLOE_ASSIGN_OR_RETURN(std::unique_ptr<execution::ResultStream> stream,
                              Start(std::move(bound), tracker, nullptr));
        while (true) {
          FLOE_ASSIGN_OR_RETURN(std::optional<vector::Batch> batch, stream->Next());
          if (!batch.has_value()) {
            return Status::OK();
          }
          FLOE_RETURN_NOT_OK(consume(*batch));
        }
      },
      .statement_time_micros = statement_time_,
      .time_zone = session_.context_.settings.time_zone(),
      .parameters = parameters_,
      .parameter_types = declared_};
}

Result<QueryResult> StatementRunner::RunCopyFrom(const parser::CopyStatement& copy,
                                                 const CopyFormat& format) {
  TableStatementContext context = MakeTableContext();
  if (format.kind == CopyFormat::Kind::kParquet) {
    if (copy.is_stdio) {
      return Status::NotSupported("COPY ... FROM STDIN in Parquet format");
    }
    // The file's columns go to the listed columns (or all) by position, as INSERT ... SELECT.
    std::string text = "INSERT INTO ";
    for (size_t i = 0; i < copy.table.size(); ++i) {
      text += (i > 0 ? "." : "") + parser::QuoteIdentifier(copy.table[i]);
    }
    if (!copy.columns.empty()) {
      text += " (";
      for (size_t i = 0; i < copy.columns.size(); ++i) {
        text += (i > 0 ? ", " : "") + parser::QuoteIdentifier(copy.columns[i]);
      }
      text += ")";
    }
    text += " SELECT * FROM read_parquet(" + parser::QuoteString(copy.file) + ")";
    FLOE_ASSIGN_OR_RETURN(parser::StatementPtr insert, parser::ParseStatement(text));
    FLOE_ASSIGN_OR_RETURN(QueryResult inserted,
                          RunInsert(context, insert->As<parser::InsertStatement>()));
    std::string tag = inserted.command_tag();
    return QueryResult::Command("COPY " + tag.substr(tag.rfind(' ') + 1));
  }
  if (format.kind == CopyFormat::Kind::kJson) {
    return Status::NotSupported("COPY ... FROM in JSON format");
  }
  CopyInput* stdin_input = session_.copy_input_;
  if (copy.is_stdio && stdin_input == nullptr) {
    return Status::NotSupported(
        "COPY ... FROM STDIN needs a client that sends COPY data (psql, a PostgreSQL driver); "
        "use COPY ... FROM 'file' here");
  }
  // The data arrives in chunks: from the client, or read from the file 1 MiB at a time.
  std::unique_ptr<io::RandomAccessFile> file;
  int64_t file_size = 0;
  if (!copy.is_stdio) {
    FLOE_ASSIGN_OR_RETURN(std::shared_ptr<io::FileSystem> file_system,
                          session_.database_->file_systems().Resolve(copy.file));
    Result<std::unique_ptr<io::RandomAccessFile>> opened = file_system->OpenInputFile(copy.file);
    if (!opened.ok()) {
      return Status(opened.status().code(),
                    fmt::format("could not open file \"{}\" for reading: {}", copy.file,
                                opened.status().message()))
          .WithSqlState(opened.status().code() == StatusCode::kNotFound ? "58P01" : "58030");
    }
    file = std::move(*opened);
    file_size = file->Size();
  }
  int64_t offset = 0;
  auto next_chunk = [&]() -> Result<std::optional<std::string>> {
    if (copy.is_stdio) {
      return stdin_input->Read();
    }
    if (offset >= file_size) {
      return std::optional<std::string>();
    }
    int64_t length = std::min<int64_t>(int64_t{1} << 20, file_size - offset);
    FLOE_ASSIGN_OR_RETURN(std::string chunk, file->ReadAt(offset, length));
    offset += length;
    return std::optional<std::string>(std::move(chunk));
  };
  CopyRowsSource produce = [&](const std::vector<std::string>& columns,
                               const std::function<Status(const vector::Batch&)>& consume) {
    if (copy.is_stdio) {
      FLOE_RETURN_NOT_OK(stdin_input->Begin(static_cast<int64_t>(columns.size())));
    }
    CopyRowDecoder decoder(format, columns);
    std::vector<TextRow> rows;
    bool is_done = false;
    while (!is_done) {
      FLOE_ASSIGN_OR_RETURN(std::optional<std::string> chunk, next_chunk());
      if (chunk.has_value()) {
        FLOE_RETURN_NOT_OK(decoder.Feed(*chunk, rows));
      } else {
        FLOE_RETURN_NOT_OK(decoder.Finish(rows));
        is_done = true;
      }
      if (rows.size() >= 2048 || (is_done && !rows.empty())) {
        FLOE_ASSIGN_OR_RETURN(vector::Batch batch, TextRowsBatch(columns, rows));
        FLOE_RETURN_NOT_OK(consume(batch));
        rows.clear();
      }
    }
    return Status::OK();
  };
  FLOE_ASSIGN_OR_RETURN(int64_t count, CopyIntoTable(context, copy.table, copy.columns, produce));
  return QueryResult::Command(fmt::format("COPY {}", count));
}

Result<QueryResult> StatementRunner::RunTableStatement(const parser::Statement& statement) {
  TableStatementContext context = MakeTableContext();
  Result<QueryResult> result = [&]() -> Result<QueryResult> {
    switch (statement.kind) {
      case parser::StatementKind::kCreateTable:
        return RunCreateTable(context, statement.As<parser::CreateTableStatement>());
      case parser::StatementKind::kAlterTable:
        return RunAlterTable(context, statement.As<parser::AlterTableStatement>());
      case parser::StatementKind::kInsert:
        return RunInsert(context, statement.As<parser::InsertStatement>());
      case parser::StatementKind::kDelete:
        return RunDelete(context, statement.As<parser::DeleteStatement>());
      case parser::StatementKind::kUpdate:
        return RunUpdate(context, statement.As<parser::UpdateStatement>());
      case parser::StatementKind::kMerge:
        return RunMerge(context, statement.As<parser::MergeStatement>());
      default:
        return Status::NotSupported("this statement is not supported yet");
    }
  }();
  if (!result.ok()) {
    return Error(result.status(), statement.location);
  }
  return result;
}

Result<StatementDescription> StatementRunner::Describe(const parser::Statement& statement,
                                                       std::vector<LogicalType> declared,
                                                       std::optional<binder::BoundQuery>* bound) {
  StatementDescription description;
  const parser::Query* query = nullptr;
  if (statement.kind == parser::StatementKind::kQuery) {
    query = statement.As<parser::QueryStatement>().query.get();
  }
  if (query == nullptr) {
    description.parameter_types = declared;
    if (statement.kind == parser::StatementKind::kExplain ||
        statement.kind == parser::StatementKind::kShow) {
      description.has_rows = true;
      description.columns.push_back({"QUERY PLAN", LogicalType::Varchar()});
    }
    if (statement.kind == parser::StatementKind::kCall) {
      const parser::FunctionCallExpression& call = *statement.As<parser::CallStatement>().call;
      Result<std::vector<ResultColumn>> columns = ProcedureColumns(call.names);
      if (!columns.ok()) {
        return Error(columns.status(), call.location);
      }
      description.has_rows = true;
      description.columns = std::move(*columns);
    }
    return description;
  }
  FLOE_ASSIGN_OR_RETURN(binder::BoundQuery bound_query, BindQuery(*query, declared));
  description.parameter_types = bound_query.parameter_types;
  description.has_rows = true;
  for (const binder::LogicalColumn& column : bound_query.plan->columns) {
    description.columns.push_back({column.name, column.type});
  }
  if (bound != nullptr) {
    *bound = std::move(bound_query);
  }
  return description;
}

Result<QueryResult> StatementRunner::Run(const parser::Statement& statement) {
  switch (statement.kind) {
    case parser::StatementKind::kQuery:
      return RunQuery(*statement.As<parser::QueryStatement>().query);
    case parser::StatementKind::kExplain:
      return RunExplain(statement.As<parser::ExplainStatement>());
    case parser::StatementKind::kSet:
      return RunSet(statement.As<parser::SetStatement>());
    case parser::StatementKind::kReset: {
      const auto& reset = statement.As<parser::ResetStatement>();
      FLOE_RETURN_NOT_OK(Error(session_.context_.settings.Reset(reset.all ? "all" : reset.name),
                               statement.location));
      return QueryResult::Command("RESET");
    }
    case parser::StatementKind::kShow:
      return RunShow(statement.As<parser::ShowStatement>());
    case parser::StatementKind::kTransaction:
      return RunTransaction(statement.As<parser::TransactionStatement>());
    case parser::StatementKind::kCreateSchema:
      return RunCreateSchema(statement.As<parser::CreateSchemaStatement>());
    case parser::StatementKind::kCreateView:
      return RunCreateView(statement.As<parser::CreateViewStatement>());
    case parser::StatementKind::kDrop:
      return RunDrop(statement.As<parser::DropStatement>());
    case parser::StatementKind::kPrepare:
      return RunPrepare(statement.As<parser::PrepareStatement>());
    case parser::StatementKind::kExecute:
      return RunExecute(statement.As<parser::ExecuteStatement>());
    case parser::StatementKind::kDeallocate: {
      const auto& deallocate = statement.As<parser::DeallocateStatement>();
      if (deallocate.all) {
        session_.prepared_.clear();
      } else if (session_.prepared_.erase(deallocate.name) == 0) {
        return Error(Status::NotFound("prepared statement \"{}\" does not exist", deallocate.name)
                         .WithSqlState("26000"),
                     statement.location);
      }
      return QueryResult::Command("DEALLOCATE");
    }
    case parser::StatementKind::kCopy:
      return RunCopy(statement.As<parser::CopyStatement>());
    case parser::StatementKind::kCall:
      return RunCall(statement.As<parser::CallStatement>());
    case parser::StatementKind::kCreateRole:
    case parser::StatementKind::kAlterRole: {
      FLOE_ASSIGN_OR_RETURN(catalog::UserStore * users, session_.database_->users());
      Result<QueryResult> result = statement.kind == parser::StatementKind::kCreateRole
                                       ? RunCreateRole(*users, session_.context_.user,
                                                       statement.As<parser::CreateRoleStatement>())
                                       : RunAlterRole(*users, session_.context_.user,
                                                      statement.As<parser::AlterRoleStatement>());
      return result.ok() ? std::move(result) : Error(result.status(), statement.location);
    }
    case parser::StatementKind::kDiscard:
      session_.prepared_.clear();
      session_.context_.settings = SessionSettings();
      return QueryResult::Command("DISCARD ALL");
    case parser::StatementKind::kCreateTable:
    case parser::StatementKind::kAlterTable:
    case parser::StatementKind::kInsert:
    case parser::StatementKind::kUpdate:
    case parser::StatementKind::kDelete:
    case parser::StatementKind::kMerge:
      return RunTableStatement(statement);
    default:
      return Error(Status::NotSupported("this statement is not supported yet"), statement.location);
  }
}

// ---------------------------------------------------------------------------------------------

Session::Session(std::shared_ptr<Database> database, std::string user)
    : database_(std::move(database)), cancel_slot_(std::make_shared<CancelSlot>()) {
  context_.user = std::move(user);
}

Session::~Session() = default;

Result<QueryResult> Session::Execute(std::string_view sql, std::span<const Value> parameters) {
  cancel_requested_.store(false);
  ++binding_epoch_;
  FLOE_ASSIGN_OR_RETURN(std::vector<parser::ParsedStatement> statements,
                        parser::ParseStatements(sql));
  if (statements.empty()) {
    return QueryResult::Command("");
  }
  if (!parameters.empty() && statements.size() > 1) {
    return Status::InvalidArgument("cannot insert multiple commands into a prepared statement")
        .WithSqlState("42601");
  }
  for (size_t i = 0; i + 1 < statements.size(); ++i) {
    StatementRunner runner(*this, sql, parameters, TextOf(sql, statements[i]));
    FLOE_ASSIGN_OR_RETURN(QueryResult result, runner.Run(*statements[i].statement));
    FLOE_RETURN_NOT_OK(result.FetchAll().status());
  }
  StatementRunner runner(*this, sql, parameters, TextOf(sql, statements.back()));
  return runner.Run(*statements.back().statement);
}

Status Session::ExecuteEach(std::string_view sql,
                            const std::function<Status(QueryResult& result)>& consume) {
  cancel_requested_.store(false);
  ++binding_epoch_;
  FLOE_ASSIGN_OR_RETURN(std::vector<parser::ParsedStatement> statements,
                        parser::ParseStatements(sql));
  for (const parser::ParsedStatement& statement : statements) {
    StatementRunner runner(*this, sql, {}, TextOf(sql, statement));
    FLOE_ASSIGN_OR_RETURN(QueryResult result, runner.Run(*statement.statement));
    FLOE_RETURN_NOT_OK(consume(result));
  }
  return Status::OK();
}

Result<StatementDescription> Session::Prepare(const std::string& name, std::string_view sql,
                                              std::span<const types::LogicalType> parameter_types) {
  auto prepared = std::make_shared<PreparedStatement>();
  prepared->sql = std::string(sql);
  FLOE_ASSIGN_OR_RETURN(prepared->statement, parser::ParseStatement(prepared->sql));
  prepared->declared_types.assign(parameter_types.begin(), parameter_types.end());
  if (prepared->statement->kind != parser::StatementKind::kPrepare) {
    StatementRunner runner(*this, prepared->sql, {}, prepared->sql, prepared->declared_types);
    FLOE_ASSIGN_OR_RETURN(
        prepared->description,
        runner.Describe(*prepared->statement, prepared->declared_types, &prepared->bound));
    prepared->bound_epoch = binding_epoch_;
  }
  StatementDescription description = prepared->description;
  prepared_[name] = std::move(prepared);
  return description;
}

Result<StatementDescription> Session::Describe(const std::string& name) const {
  auto found = prepared_.find(name);
  if (found == prepared_.end()) {
    return Status::NotFound("prepared statement \"{}\" does not exist", name).WithSqlState("26000");
  }
  return found->second->description;
}

Result<QueryResult> Session::ExecutePrepared(const std::string& name,
                                             std::span<const Value> parameters) {
  auto found = prepared_.find(name);
  if (found == prepared_.end()) {
    return Status::NotFound("prepared statement \"{}\" does not exist", name).WithSqlState("26000");
  }
  std::shared_ptr<PreparedStatement> prepared = found->second;
  const auto& types = prepared->description.parameter_types;
  if (parameters.size() != types.size()) {
    return Status::InvalidArgument(
               "wrong number of parameters for prepared statement \"{}\": "
               "expected {}, got {}",
               name, types.size(), parameters.size())
        .WithSqlState("42601");
  }
  // The binding Prepare made serves one execution, and only one that follows it with nothing
  // in between (see ExpireBindings): it reads the tables at the snapshots Prepare saw.
  std::optional<binder::BoundQuery> bound = std::move(prepared->bound);
  prepared->bound.reset();
  bool is_fresh = bound.has_value() && prepared->bound_epoch == binding_epoch_;
  ++binding_epoch_;
  StatementRunner runner(*this, prepared->sql, parameters, prepared->sql, prepared->declared_types);
  if (is_fresh) {
    return runner.RunBoundQuery(std::move(*bound));
  }
  return runner.Run(*prepared->statement);
}

void Session::Deallocate(const std::string& name) {
  prepared_.erase(name);
}

void Session::Cancel() {
  cancel_requested_.store(true);
  std::lock_guard<std::mutex> lock(cancel_slot_->mutex);
  if (cancel_slot_->stream != nullptr) {
    cancel_slot_->stream->Cancel();
  }
}

}  // namespace floe::sql::engine
