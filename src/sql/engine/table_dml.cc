#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "sql/engine/table_statements.h"
#include "sql/engine/table_write_internal.h"
#include "sql/execution/expression_evaluator.h"
#include "sql/functions/function_registry.h"
#include "sql/parser/deparser.h"
#include "sql/parser/parser.h"
#include "table/data_file_writer.h"
#include "table/delete_file_writer.h"
#include "table/predicate.h"
#include "table/snapshot_producer.h"
#include "table/table_reader.h"
#include "table/table_scan.h"
#include "types/cast.h"
#include "vector/selection_vector.h"

namespace floe::sql::engine {
namespace {

using execution::Expression;
using execution::ExpressionPtr;
using types::LogicalType;

using BatchConsumer = std::function<Status(const vector::Batch&)>;

Result<std::shared_ptr<const vector::Schema>> BatchSchemaOf(const table::Schema& schema) {
  FLOE_ASSIGN_OR_RETURN(vector::Schema floe_schema, schema.ToFloeSchema());
  return std::make_shared<const vector::Schema>(std::move(floe_schema));
}

// PostgreSQL's assignment casts: any value converts to the column's type when a cast exists;
// what does not fit fails when cast (22003, 22007, 22P02).
Result<ExpressionPtr> AssignmentCast(ExpressionPtr value, const LogicalType& target,
                                     const std::string& column) {
  if (value->type() == target) {
    return value;
  }
  if (value->type().id() != types::TypeId::kNull && !types::CanCast(value->type(), target)) {
    return Status::InvalidArgument("column \"{}\" is of type {} but expression is of type {}",
                                   column, target.ToString(), value->type().ToString())
        .WithSqlState("42804");
  }
  return Expression::Cast(std::move(value), target);
}

Status CheckNotNull(const vector::Vector& column, const vector::Field& field,
                    const TargetTable& target) {
  if (field.is_nullable || !column.MayHaveNulls()) {
    return Status::OK();
  }
  for (int64_t row = 0; row < column.length(); ++row) {
    if (!column.IsNull(row)) {
      continue;
    }
    return Status::InvalidArgument(
               "null value in column \"{}\" of relation \"{}\" violates not-null constraint",
               field.name, target.identifier.name)
        .WithSqlState("23502");
  }
  return Status::OK();
}

std::string WriteMode(const table::TableMetadata& metadata, const std::string& key) {
  auto found = metadata.properties.find(key);
  return found == metadata.properties.end() ? "copy-on-write" : found->second;
}

Status CheckPlainStatement(const std::unique_ptr<parser::WithClause>& with,
                           const std::vector<parser::SelectItem>& returning,
                           std::string_view statement) {
  if (with != nullptr) {
    return Status::NotSupported("WITH before {}", statement);
  }
  if (!returning.empty()) {
    return Status::NotSupported("{} ... RETURNING", statement);
  }
  return Status::OK();
}

/// Collects a statement's new data files and its removed or deleted rows, and commits them as
/// one snapshot.
class RowChanges {
 public:
  RowChanges(TableStatementContext& context, const TargetTable& target, bool is_merge_on_read)
      : context_(context), target_(target), is_merge_on_read_(is_merge_on_read) {}
  ~RowChanges() {
    if (writer_ != nullptr) {
      (void)writer_->Abort();
    }
  }
  RowChanges(const RowChanges&) = delete;
  RowChanges& operator=(const RowChanges&) = delete;

  /// Adds new rows, laid out as the table's current schema.
  Status Write(const vector::Batch& batch) {
    if (batch.num_rows() == 0) {
      return Status::OK();
    }
    if (writer_ == nullptr) {
      FLOE_ASSIGN_OR_RETURN(
          writer_, table::DataFileWriter::Open(target_.table.file_system, *target_.table.metadata));
    }
    return writer_->Write(batch);
  }

  /// Removes rows `positions` of the task's data file; `kept` are the file's other rows, which
  /// copy-on-write writes again. A file losing every row is dropped without writing anything.
  Status RemoveRows(const table::FileScanTask& task, const std::vector<int64_t>& positions,
                    const std::vector<vector::Batch>& kept, bool is_whole_file) {
    if (positions.empty()) {
      return Status::OK();
    }
    const std::string& path = task.data_file.file_path;
    if (is_whole_file) {
      removed_.push_back(path);
      return Status::OK();
    }
    if (!is_merge_on_read_) {
      for (const vector::Batch& batch : kept) {
        FLOE_RETURN_NOT_OK(Write(batch));
      }
      removed_.push_back(path);
      return Status::OK();
    }
    FLOE_ASSIGN_OR_RETURN(std::unique_ptr<table::DeleteFileWriter> deletes,
                          table::DeleteFileWriter::OpenPositionDeletes(
                              target_.table.file_system, *target_.table.metadata, task.spec_id,
                              task.data_file.partition));
    FLOE_RETURN_NOT_OK(deletes->WritePositions(path, positions));
    FLOE_ASSIGN_OR_RETURN(table::DataFile file, deletes->Close());
    delete_files_.push_back(std::move(file));
    return Status::OK();
  }

  Status Commit() {
    std::vector<table::DataFile> added;
    if (writer_ != nullptr) {
      FLOE_ASSIGN_OR_RETURN(added, writer_->Close());
      writer_.reset();
    }
    if (added.empty() && removed_.empty() && delete_files_.empty()) {
      return Status::OK();
    }
    std::vector<std::string> written;
    for (const table::DataFile& file : added) {
      written.push_back(file.file_path);
    }
    for (const table::DataFile& file : delete_files_) {
      written.push_back(file.file_path);
    }
    std::unique_ptr<table::SnapshotProducer> producer;
    if (!delete_files_.empty()) {
      producer = table::SnapshotProducer::RowDelta();
    } else if (removed_.empty()) {
      producer = table::SnapshotProducer::Append();
    } else if (added.empty()) {
      producer = table::SnapshotProducer::Delete();
    } else {
      producer = table::SnapshotProducer::Overwrite();
    }
    for (table::DataFile& file : added) {
      producer->AddDataFile(std::move(file));
    }
    for (table::DataFile& file : delete_files_) {
      producer->AddDeleteFile(std::move(file));
    }
    for (std::string& path : removed_) {
      producer->RemoveDataFile(std::move(path));
    }
    if (!removed_.empty() || !delete_files_.empty()) {
      // Serializable, as Iceberg's default isolation: rows another commit added meanwhile were
      // not seen by the condition, so that commit makes this one fail rather than miss them.
      producer->SetConflictDetectionFilter(table::Predicate::True());
    }
    Status committed = [&]() -> Status {
      FLOE_ASSIGN_OR_RETURN(std::unique_ptr<catalog::TableCatalog> tables,
                            OpenTableCatalog(context_.database));
      return tables->Commit(target_.identifier, target_.table, *producer).status();
    }();
    // The catalog removes the metadata files of a failed attempt; the data and delete files
    // this statement wrote are ours to remove, but only when the commit surely did not happen
    // (a lost race): after other failures the table may reference them, so they are kept.
    if (committed.code() == StatusCode::kConflict) {
      (void)target_.table.file_system->DeleteFiles(written);
    }
    return committed;
  }

 private:
  TableStatementContext& context_;
  const TargetTable& target_;
  bool is_merge_on_read_;
  std::unique_ptr<table::DataFileWriter> writer_;
  std::vector<std::string> removed_;
  std::vector<table::DataFile> delete_files_;
};

/// The constant a bound expression is, when it is one (possibly under casts).
std::optional<types::Value> ConstantOf(const Expression& expr) {
  if (expr.kind() == execution::ExpressionKind::kConstant) {
    return expr.value();
  }
  if (expr.kind() == execution::ExpressionKind::kCast) {
    std::optional<types::Value> inner = ConstantOf(expr.child(0));
    if (inner.has_value()) {
      Result<types::Value> cast = types::CastValue(*inner, expr.type());
      if (cast.ok()) {
        return *cast;
      }
    }
  }
  return std::nullopt;
}

/// The table predicate a conjunct of a condition implies (`column op constant`, IS NULL, IN),
/// so that planning skips files whose partitions and statistics exclude it; nullopt for
/// conjuncts the table layer cannot judge, which then prune nothing.
std::optional<table::Predicate> PruningPredicateOf(const Expression& expr,
                                                   const table::Schema& schema) {
  using Kind = execution::ExpressionKind;
  auto field_id = [&](const Expression& column) -> std::optional<int32_t> {
    if (column.kind() != Kind::kColumnRef) {
      return std::nullopt;
    }
    return schema.fields()[static_cast<size_t>(column.column_index())].id;
  };
  if (expr.kind() == Kind::kIsNull || expr.kind() == Kind::kIsNotNull) {
    std::optional<int32_t> id = field_id(expr.child(0));
    if (!id.has_value()) {
      return std::nullopt;
    }
    return expr.kind() == Kind::kIsNull ? table::Predicate::IsNull(*id)
                                        : table::Predicate::IsNotNull(*id);
  }
  if (expr.kind() == Kind::kInList && !expr.negated()) {
    std::optional<int32_t> id = field_id(expr.child(0));
    if (!id.has_value()) {
      return std::nullopt;
    }
    std::vector<types::Value> literals;
    for (size_t i = 1; i < expr.children().size(); ++i) {
      std::optional<types::Value> literal = ConstantOf(expr.child(i));
      if (!literal.has_value() || literal->is_null()) {
        return std::nullopt;
      }
      literals.push_back(std::move(*literal));
    }
    return table::Predicate::In(*id, std::move(literals));
  }
  if (expr.kind() != Kind::kFunction || expr.children().size() != 2) {
    return std::nullopt;
  }
  using PredicateKind = table::Predicate::Kind;
  // Each operator with its mirror, for `constant op column`.
  static const std::map<std::string, std::pair<PredicateKind, PredicateKind>> kComparisons = {
      {"=", {PredicateKind::kEqual, PredicateKind::kEqual}},
      {"<", {PredicateKind::kLess, PredicateKind::kGreater}},
      {"<=", {PredicateKind::kLessEqual, PredicateKind::kGreaterEqual}},
      {">", {PredicateKind::kGreater, PredicateKind::kLess}},
      {">=", {PredicateKind::kGreaterEqual, PredicateKind::kLessEqual}},
  };
  auto comparison = kComparisons.find(expr.function().name);
  if (comparison == kComparisons.end()) {
    return std::nullopt;
  }
  for (size_t side = 0; side < 2; ++side) {
    std::optional<int32_t> id = field_id(expr.child(side));
    std::optional<types::Value> literal = ConstantOf(expr.child(1 - side));
    if (id.has_value() && literal.has_value() && !literal->is_null() &&
        expr.child(side).type() == literal->type()) {
      PredicateKind kind = side == 0 ? comparison->second.first : comparison->second.second;
      return table::Predicate::Compare(kind, *id, std::move(*literal));
    }
  }
  return std::nullopt;
}

table::Predicate PruningFilterOf(const ExpressionPtr& condition, const table::Schema& schema) {
  if (condition == nullptr) {
    return table::Predicate::True();
  }
  std::vector<table::Predicate> conjuncts;
  for (const ExpressionPtr& conjunct : execution::SplitConjuncts(condition)) {
    std::optional<table::Predicate> predicate = PruningPredicateOf(*conjunct, schema);
    if (predicate.has_value()) {
      conjuncts.push_back(std::move(*predicate));
    }
  }
  return conjuncts.empty() ? table::Predicate::True() : table::Predicate::And(std::move(conjuncts));
}

/// Reads every live row, with its position, of the data files that may hold rows matching
/// `condition` (null: all), and hands each file's batches (columns of the current schema, then
/// "_pos") to `visit`.
Status ForEachDataFile(const TargetTable& target, const ExpressionPtr& condition,
                       const std::function<Status(const table::FileScanTask&,
                                                  const std::vector<vector::Batch>&)>& visit) {
  table::ScanOptions scan_options;
  scan_options.filter = PruningFilterOf(condition, *target.table.metadata->CurrentSchema());
  FLOE_ASSIGN_OR_RETURN(table::TableScan scan,
                        table::TableScan::Make(target.table, std::move(scan_options)));
  if (scan.snapshot() == nullptr) {
    return Status::OK();
  }
  FLOE_ASSIGN_OR_RETURN(std::vector<table::FileScanTask> tasks, scan.PlanFiles());
  const table::Schema& schema = *target.table.metadata->CurrentSchema();
  std::vector<int32_t> field_ids;
  for (const table::NestedField& field : schema.fields()) {
    field_ids.push_back(field.id);
  }
  table::DeleteFileCache cache;
  for (const table::FileScanTask& task : tasks) {
    table::TableReadOptions options;
    options.with_row_position = true;
    options.delete_cache = &cache;
    FLOE_ASSIGN_OR_RETURN(std::unique_ptr<table::TableReader> reader,
                          table::TableReader::Open(target.table, schema, field_ids, task, options));
    std::vector<vector::Batch> batches;
    while (true) {
      FLOE_ASSIGN_OR_RETURN(std::optional<vector::Batch> batch, reader->Next());
      if (!batch.has_value()) {
        break;
      }
      batches.push_back(std::move(*batch));
    }
    FLOE_RETURN_NOT_OK(visit(task, batches));
  }
  return Status::OK();
}

/// Rows of a batch that an optional condition selects.
Result<vector::SelectionVector> Matching(execution::ExpressionEvaluator& evaluator,
                                         const ExpressionPtr& condition,
                                         const vector::Batch& batch) {
  if (condition == nullptr) {
    std::vector<uint32_t> all(static_cast<size_t>(batch.num_rows()));
    for (size_t i = 0; i < all.size(); ++i) {
      all[i] = static_cast<uint32_t>(i);
    }
    return vector::SelectionVector(std::move(all));
  }
  vector::SelectionVector selection;
  FLOE_RETURN_NOT_OK(evaluator.Filter(*condition, batch, selection));
  return selection;
}

std::vector<uint32_t> IndicesOf(const vector::SelectionVector& selection) {
  std::vector<uint32_t> indices;
  for (int64_t i = 0; i < selection.size(); ++i) {
    indices.push_back(selection[i]);
  }
  return indices;
}

std::vector<uint32_t> Complement(const std::vector<uint32_t>& selected, int64_t rows) {
  std::vector<uint32_t> others;
  size_t next = 0;
  for (uint32_t row = 0; row < static_cast<uint32_t>(rows); ++row) {
    if (next < selected.size() && selected[next] == row) {
      ++next;
    } else {
      others.push_back(row);
    }
  }
  return others;
}

/// The table's columns of `rows` of a batch read with positions.
Result<vector::Batch> TakeRows(const vector::Batch& batch, std::vector<uint32_t> rows,
                               const std::shared_ptr<const vector::Schema>& schema) {
  vector::SelectionVector selection(std::move(rows));
  std::vector<vector::Vector> columns;
  for (size_t c = 0; c < schema->fields().size(); ++c) {
    FLOE_ASSIGN_OR_RETURN(vector::Vector column,
                          batch.column(static_cast<int64_t>(c)).Gather(selection));
    columns.push_back(std::move(column));
  }
  return vector::Batch::Make(schema, std::move(columns), selection.size());
}

Status CollectPositions(const vector::Batch& batch, const std::vector<uint32_t>& rows,
                        std::vector<int64_t>& positions) {
  const vector::Vector& column = batch.column(batch.num_columns() - 1);
  for (uint32_t row : rows) {
    FLOE_ASSIGN_OR_RETURN(types::Value value, column.GetValue(row));
    positions.push_back(value.bigint_value());
  }
  return Status::OK();
}

Result<ExpressionPtr> BindCondition(TableStatementContext& context, const TargetTable& target,
                                    const std::string& alias, const parser::Expression* where) {
  if (where == nullptr) {
    return ExpressionPtr();
  }
  FLOE_ASSIGN_OR_RETURN(
      std::vector<ExpressionPtr> bound,
      BindRowExpressions(context, *target.table.metadata->CurrentSchema(), alias, {where}));
  if (bound[0]->type().id() != types::TypeId::kBoolean &&
      bound[0]->type().id() != types::TypeId::kNull) {
    return Status::InvalidArgument("argument of WHERE must be type boolean, not type {}",
                                   bound[0]->type().ToString())
        .WithSqlState("42804");
  }
  return bound[0];
}

}  // namespace

Result<std::vector<ExpressionPtr>> BindRowExpressions(
    TableStatementContext& context, const table::Schema& schema, const std::string& alias,
    const std::vector<const parser::Expression*>& expressions) {
  // The expressions are bound as a SELECT list over a one-row VALUES of the table's columns,
  // so they resolve exactly as they would in a query over the table.
  FLOE_ASSIGN_OR_RETURN(vector::Schema columns, schema.ToFloeSchema());
  std::string text = "SELECT ";
  for (size_t i = 0; i < expressions.size(); ++i) {
    text += (i == 0 ? "" : ", ") + parser::ToSql(*expressions[i]);
  }
  std::string row;
  std::string names;
  for (size_t i = 0; i < columns.fields().size(); ++i) {
    const vector::Field& field = columns.fields()[i];
    row += (i == 0 ? "CAST(NULL AS " : ", CAST(NULL AS ") + field.type.ToString() + ")";
    names += (i == 0 ? "" : ", ") + parser::QuoteIdentifier(field.name);
  }
  text += " FROM (VALUES (" + row + ")) AS " + parser::QuoteIdentifier(alias) + " (" + names + ")";
  FLOE_ASSIGN_OR_RETURN(parser::StatementPtr statement, parser::ParseStatement(text));
  if (statement->kind != parser::StatementKind::kQuery) {
    return Status::Internal("row expressions did not parse as a query");
  }
  binder::Binder binder(context.catalog, FunctionRegistry::Default(), text);
  Result<binder::BoundQuery> bound =
      binder.BindQuery(*statement->As<parser::QueryStatement>().query);
  if (!bound.ok()) {
    // Positions point into the rewritten text, not the statement: drop them.
    Status error = bound.status();
    return Status(error.code(), std::string(error.message())).WithSqlState(error.sql_state());
  }
  // Walk down through projections that only pass columns on, to the VALUES.
  const binder::LogicalOperator* top = bound->plan.get();
  if (top->kind != binder::LogicalKind::kProject || top->children.size() != 1) {
    return Status::NotSupported("subqueries in the conditions and values of UPDATE and DELETE");
  }
  std::vector<const binder::LogicalOperator*> chain;
  for (const binder::LogicalOperator* node = top->children[0].get();;
       node = node->children[0].get()) {
    chain.push_back(node);
    if (node->kind == binder::LogicalKind::kGet && node->source == binder::SourceKind::kValues) {
      break;
    }
    if (node->kind != binder::LogicalKind::kProject || node->children.size() != 1) {
      return Status::NotSupported("subqueries in the conditions and values of UPDATE and DELETE");
    }
  }
  std::map<int64_t, int64_t> position_of;
  for (auto node = chain.rbegin(); node != chain.rend(); ++node) {
    std::map<int64_t, int64_t> next;
    for (size_t i = 0; i < (*node)->columns.size(); ++i) {
      int64_t id = (*node)->columns[i].id;
      if ((*node)->kind == binder::LogicalKind::kGet) {
        next[id] = static_cast<int64_t>(i);
        continue;
      }
      const Expression& expr = *(*node)->expressions[i];
      if (expr.kind() != execution::ExpressionKind::kColumnRef) {
        return Status::NotSupported("subqueries in the conditions and values of UPDATE and DELETE");
      }
      next[id] = position_of.at(expr.column_index());
    }
    position_of = std::move(next);
  }
  int64_t highest = 0;
  for (const auto& [id, position] : position_of) {
    highest = std::max(highest, id);
  }
  std::vector<int64_t> mapping(static_cast<size_t>(highest) + 1, -1);
  for (const auto& [id, position] : position_of) {
    mapping[static_cast<size_t>(id)] = position;
  }
  if (context.parameters.size() < bound->parameter_types.size()) {
    return Status::InvalidArgument(
               "bind message supplies {} parameters, but the statement "
               "requires {}",
               context.parameters.size(), bound->parameter_types.size())
        .WithSqlState("08P01");
  }
  std::vector<types::Value> parameters;
  for (size_t i = 0; i < bound->parameter_types.size(); ++i) {
    FLOE_ASSIGN_OR_RETURN(types::Value value,
                          types::CastValue(context.parameters[i], bound->parameter_types[i]));
    parameters.push_back(std::move(value));
  }
  std::vector<ExpressionPtr> result;
  for (const ExpressionPtr& expr : top->expressions) {
    if (expr->HasVolatile()) {
      return Status::NotSupported("volatile functions in UPDATE and DELETE");
    }
    FLOE_ASSIGN_OR_RETURN(ExpressionPtr with_values, execution::BindParameters(expr, parameters));
    FLOE_ASSIGN_OR_RETURN(ExpressionPtr remapped, execution::RemapColumns(with_values, mapping));
    result.push_back(std::move(remapped));
  }
  return result;
}

namespace {

// Writes the rows `produce` hands to its consumer, whose columns have `input_types`, into
// `target_columns` of the table (NULL elsewhere), with assignment casts: one append commit.
Result<int64_t> InsertRows(TableStatementContext& context, const TargetTable& target,
                           const std::vector<LogicalType>& input_types,
                           const std::vector<int>& target_columns,
                           const std::function<Status(const BatchConsumer&)>& produce) {
  const table::Schema& schema = *target.table.metadata->CurrentSchema();
  FLOE_ASSIGN_OR_RETURN(std::shared_ptr<const vector::Schema> batch_schema, BatchSchemaOf(schema));
  if (input_types.size() > target_columns.size()) {
    return Status::InvalidArgument("INSERT has more expressions than target columns")
        .WithSqlState("42601");
  }
  if (input_types.size() < target_columns.size()) {
    return Status::InvalidArgument("INSERT has more target columns than expressions")
        .WithSqlState("42601");
  }
  std::vector<ExpressionPtr> values(batch_schema->fields().size());
  for (size_t i = 0; i < target_columns.size(); ++i) {
    const vector::Field& field = batch_schema->fields()[static_cast<size_t>(target_columns[i])];
    FLOE_ASSIGN_OR_RETURN(
        values[static_cast<size_t>(target_columns[i])],
        AssignmentCast(Expression::ColumnRef(static_cast<int64_t>(i), input_types[i]), field.type,
                       field.name));
  }
  for (size_t f = 0; f < values.size(); ++f) {
    if (values[f] == nullptr && !batch_schema->fields()[f].is_nullable) {
      return CheckNotNull(*vector::Vector::MakeConstantNull(batch_schema->fields()[f].type, 1),
                          batch_schema->fields()[f], target);
    }
  }
  RowChanges changes(context, target, false);
  FunctionContext function_context{nullptr, context.statement_time_micros};
  execution::ExpressionEvaluator evaluator(&function_context);
  int64_t rows = 0;
  FLOE_RETURN_NOT_OK(produce([&](const vector::Batch& batch) -> Status {
    std::vector<vector::Vector> columns;
    for (size_t f = 0; f < values.size(); ++f) {
      const vector::Field& field = batch_schema->fields()[f];
      vector::Vector column;
      if (values[f] == nullptr) {
        FLOE_ASSIGN_OR_RETURN(column,
                              vector::Vector::MakeConstantNull(field.type, batch.num_rows()));
      } else {
        FLOE_ASSIGN_OR_RETURN(column, evaluator.Evaluate(*values[f], batch));
      }
      FLOE_RETURN_NOT_OK(CheckNotNull(column, field, target));
      FLOE_ASSIGN_OR_RETURN(column, column.Flatten());
      columns.push_back(std::move(column));
    }
    FLOE_ASSIGN_OR_RETURN(vector::Batch out,
                          vector::Batch::Make(batch_schema, std::move(columns), batch.num_rows()));
    rows += batch.num_rows();
    return changes.Write(out);
  }));
  FLOE_RETURN_NOT_OK(changes.Commit());
  return rows;
}

// The positions in the table's schema of the columns `names` lists; every column, in order,
// when it lists none.
Result<std::vector<int>> ResolveTargetColumns(const TargetTable& target,
                                              const std::vector<std::string>& names) {
  const table::Schema& schema = *target.table.metadata->CurrentSchema();
  std::vector<int> target_columns;
  if (names.empty()) {
    for (size_t i = 0; i < schema.fields().size(); ++i) {
      target_columns.push_back(static_cast<int>(i));
    }
    return target_columns;
  }
  for (const std::string& name : names) {
    int found = -1;
    for (size_t i = 0; i < schema.fields().size(); ++i) {
      if (schema.fields()[i].name == name) {
        found = static_cast<int>(i);
      }
    }
    if (found < 0) {
      return Status::NotFound("column \"{}\" of relation \"{}\" does not exist", name,
                              target.identifier.name)
          .WithSqlState("42703");
    }
    if (std::find(target_columns.begin(), target_columns.end(), found) != target_columns.end()) {
      return Status::InvalidArgument("column \"{}\" specified more than once", name)
          .WithSqlState("42701");
    }
    target_columns.push_back(found);
  }
  return target_columns;
}

}  // namespace

Result<int64_t> InsertBoundRows(TableStatementContext& context, const TargetTable& target,
                                binder::BoundQuery bound, const std::vector<int>& target_columns) {
  std::vector<LogicalType> input_types;
  for (const binder::LogicalColumn& column : bound.plan->columns) {
    input_types.push_back(column.type);
  }
  return InsertRows(
      context, target, input_types, target_columns,
      [&](const BatchConsumer& consume) { return context.run(std::move(bound), consume); });
}

Result<QueryResult> RunInsert(TableStatementContext& context,
                              const parser::InsertStatement& statement) {
  FLOE_RETURN_NOT_OK(CheckPlainStatement(statement.with, statement.returning, "INSERT"));
  if (statement.default_values || statement.query == nullptr) {
    return Status::NotSupported("INSERT ... DEFAULT VALUES into an Iceberg table");
  }
  FLOE_ASSIGN_OR_RETURN(TargetTable target, LoadTargetTable(context, statement.table));
  FLOE_ASSIGN_OR_RETURN(std::vector<int> target_columns,
                        ResolveTargetColumns(target, statement.columns));
  FLOE_ASSIGN_OR_RETURN(binder::BoundQuery bound, context.bind(*statement.query));
  // A VALUES list shorter than the table fills the remaining columns with NULL, as PostgreSQL
  // does when no column list is given.
  if (statement.columns.empty() && bound.plan->columns.size() < target_columns.size()) {
    target_columns.resize(bound.plan->columns.size());
  }
  FLOE_ASSIGN_OR_RETURN(int64_t rows,
                        InsertBoundRows(context, target, std::move(bound), target_columns));
  return QueryResult::Command("INSERT 0 " + std::to_string(rows));
}

Result<int64_t> CopyIntoTable(TableStatementContext& context, const parser::QualifiedName& table,
                              const std::vector<std::string>& columns,
                              const CopyRowsSource& produce) {
  FLOE_ASSIGN_OR_RETURN(TargetTable target, LoadTargetTable(context, table));
  FLOE_ASSIGN_OR_RETURN(std::vector<int> target_columns, ResolveTargetColumns(target, columns));
  const table::Schema& schema = *target.table.metadata->CurrentSchema();
  std::vector<std::string> names;
  for (int column : target_columns) {
    names.push_back(schema.fields()[static_cast<size_t>(column)].name);
  }
  std::vector<LogicalType> input_types(target_columns.size(), LogicalType::Varchar());
  return InsertRows(context, target, input_types, target_columns,
                    [&](const BatchConsumer& consume) { return produce(names, consume); });
}

namespace {

// Splits `batch` by `condition`: the file positions of the rows it matches go to `positions`,
// the other rows to `kept` (what copy-on-write writes again). Returns the matching rows.
Result<vector::SelectionVector> SplitByCondition(
    execution::ExpressionEvaluator& evaluator, const ExpressionPtr& condition,
    const vector::Batch& batch, const std::shared_ptr<const vector::Schema>& schema,
    std::vector<int64_t>& positions, std::vector<vector::Batch>& kept) {
  FLOE_ASSIGN_OR_RETURN(vector::SelectionVector selection, Matching(evaluator, condition, batch));
  std::vector<uint32_t> matched = IndicesOf(selection);
  FLOE_RETURN_NOT_OK(CollectPositions(batch, matched, positions));
  FLOE_ASSIGN_OR_RETURN(vector::Batch rest,
                        TakeRows(batch, Complement(matched, batch.num_rows()), schema));
  kept.push_back(std::move(rest));
  return selection;
}

}  // namespace

Result<QueryResult> RunDelete(TableStatementContext& context,
                              const parser::DeleteStatement& statement) {
  FLOE_RETURN_NOT_OK(CheckPlainStatement(statement.with, statement.returning, "DELETE"));
  if (!statement.using_tables.empty()) {
    return Status::NotSupported("DELETE ... USING on an Iceberg table");
  }
  FLOE_ASSIGN_OR_RETURN(TargetTable target, LoadTargetTable(context, statement.table));
  std::string alias = statement.alias.empty() ? target.identifier.name : statement.alias;
  FLOE_ASSIGN_OR_RETURN(ExpressionPtr condition,
                        BindCondition(context, target, alias, statement.where.get()));
  const table::TableMetadata& metadata = *target.table.metadata;
  FLOE_ASSIGN_OR_RETURN(std::shared_ptr<const vector::Schema> batch_schema,
                        BatchSchemaOf(*metadata.CurrentSchema()));
  RowChanges changes(context, target, WriteMode(metadata, "write.delete.mode") == "merge-on-read");
  FunctionContext function_context{nullptr, context.statement_time_micros};
  execution::ExpressionEvaluator evaluator(&function_context);
  int64_t deleted = 0;
  FLOE_RETURN_NOT_OK(ForEachDataFile(
      target, condition,
      [&](const table::FileScanTask& task, const std::vector<vector::Batch>& batches) -> Status {
        std::vector<int64_t> positions;
        std::vector<vector::Batch> kept;
        int64_t rows_read = 0;
        for (const vector::Batch& batch : batches) {
          rows_read += batch.num_rows();
          FLOE_RETURN_NOT_OK(
              SplitByCondition(evaluator, condition, batch, batch_schema, positions, kept)
                  .status());
        }
        deleted += static_cast<int64_t>(positions.size());
        bool is_whole_file = static_cast<int64_t>(positions.size()) == rows_read;
        return changes.RemoveRows(task, positions, kept, is_whole_file);
      }));
  FLOE_RETURN_NOT_OK(changes.Commit());
  return QueryResult::Command("DELETE " + std::to_string(deleted));
}

Result<QueryResult> RunUpdate(TableStatementContext& context,
                              const parser::UpdateStatement& statement) {
  FLOE_RETURN_NOT_OK(CheckPlainStatement(statement.with, statement.returning, "UPDATE"));
  if (!statement.from.empty()) {
    return Status::NotSupported("UPDATE ... FROM on an Iceberg table");
  }
  FLOE_ASSIGN_OR_RETURN(TargetTable target, LoadTargetTable(context, statement.table));
  const table::TableMetadata& metadata = *target.table.metadata;
  const table::Schema& schema = *metadata.CurrentSchema();
  FLOE_ASSIGN_OR_RETURN(std::shared_ptr<const vector::Schema> batch_schema, BatchSchemaOf(schema));
  std::string alias = statement.alias.empty() ? target.identifier.name : statement.alias;

  std::vector<const parser::Expression*> expressions;
  std::vector<size_t> assigned;
  for (const parser::SetClause& clause : statement.set) {
    if (clause.is_multi_column || clause.columns.size() != 1) {
      return Status::NotSupported("UPDATE ... SET (a, b) = ... on an Iceberg table");
    }
    if (clause.value->kind == parser::ExpressionKind::kDefault) {
      return Status::NotSupported("UPDATE ... SET column = DEFAULT on an Iceberg table");
    }
    std::optional<size_t> found;
    for (size_t i = 0; i < schema.fields().size(); ++i) {
      if (schema.fields()[i].name == clause.columns[0]) {
        found = i;
      }
    }
    if (!found.has_value()) {
      return Status::NotFound("column \"{}\" of relation \"{}\" does not exist", clause.columns[0],
                              target.identifier.name)
          .WithSqlState("42703");
    }
    if (std::find(assigned.begin(), assigned.end(), *found) != assigned.end()) {
      return Status::InvalidArgument("multiple assignments to same column \"{}\"",
                                     clause.columns[0])
          .WithSqlState("42601");
    }
    assigned.push_back(*found);
    expressions.push_back(clause.value.get());
  }
  FLOE_ASSIGN_OR_RETURN(std::vector<ExpressionPtr> bound,
                        BindRowExpressions(context, schema, alias, expressions));
  std::vector<ExpressionPtr> new_values(batch_schema->fields().size());
  for (size_t i = 0; i < assigned.size(); ++i) {
    const vector::Field& field = batch_schema->fields()[assigned[i]];
    FLOE_ASSIGN_OR_RETURN(new_values[assigned[i]],
                          AssignmentCast(bound[i], field.type, field.name));
  }
  FLOE_ASSIGN_OR_RETURN(ExpressionPtr condition,
                        BindCondition(context, target, alias, statement.where.get()));

  RowChanges changes(context, target, WriteMode(metadata, "write.update.mode") == "merge-on-read");
  FunctionContext function_context{nullptr, context.statement_time_micros};
  execution::ExpressionEvaluator evaluator(&function_context);
  int64_t updated = 0;
  FLOE_RETURN_NOT_OK(ForEachDataFile(
      target, condition,
      [&](const table::FileScanTask& task, const std::vector<vector::Batch>& batches) -> Status {
        std::vector<int64_t> positions;
        std::vector<vector::Batch> kept;
        int64_t rows_read = 0;
        for (const vector::Batch& batch : batches) {
          rows_read += batch.num_rows();
          FLOE_ASSIGN_OR_RETURN(
              vector::SelectionVector selection,
              SplitByCondition(evaluator, condition, batch, batch_schema, positions, kept));
          if (selection.size() == 0) {
            continue;
          }
          std::vector<vector::Vector> columns;
          for (size_t f = 0; f < new_values.size(); ++f) {
            vector::Vector column;
            if (new_values[f] == nullptr) {
              FLOE_ASSIGN_OR_RETURN(column,
                                    batch.column(static_cast<int64_t>(f)).Gather(selection));
            } else {
              FLOE_ASSIGN_OR_RETURN(column, evaluator.Evaluate(*new_values[f], batch, selection));
            }
            FLOE_RETURN_NOT_OK(CheckNotNull(column, batch_schema->fields()[f], target));
            FLOE_ASSIGN_OR_RETURN(column, column.Flatten());
            columns.push_back(std::move(column));
          }
          FLOE_ASSIGN_OR_RETURN(
              vector::Batch changed,
              vector::Batch::Make(batch_schema, std::move(columns), selection.size()));
          FLOE_RETURN_NOT_OK(changes.Write(changed));
        }
        updated += static_cast<int64_t>(positions.size());
        bool is_whole_file = static_cast<int64_t>(positions.size()) == rows_read;
        return changes.RemoveRows(task, positions, kept, is_whole_file);
      }));
  FLOE_RETURN_NOT_OK(changes.Commit());
  return QueryResult::Command("UPDATE " + std::to_string(updated));
}

}  // namespace floe::sql::engine
