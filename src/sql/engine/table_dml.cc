#include <algorithm>
#include <cstdlib>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
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
  // Between boolean and numbers PostgreSQL casts only explicitly.
  const LogicalType& source = value->type();
  bool is_explicit_only = (source.id() == types::TypeId::kBoolean && target.IsNumeric()) ||
                          (source.IsNumeric() && target.id() == types::TypeId::kBoolean);
  if (source.id() != types::TypeId::kNull &&
      (is_explicit_only || !types::CanCast(source, target))) {
    // PostgreSQL names the types without their modifiers here: numeric, not numeric(8,2).
    auto name = [](const LogicalType& type) {
      std::string text = type.ToString();
      return text.substr(0, text.find('('));
    };
    return Status::InvalidArgument("column \"{}\" is of type {} but expression is of type {}",
                                   column, name(target), name(source))
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

Status CheckNoReturning(const std::vector<parser::SelectItem>& returning,
                        std::string_view statement) {
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

  /// Makes the commit fail on rows concurrent commits added even when this one only adds
  /// rows: what it adds was decided by reading the table (MERGE's NOT MATCHED).
  void DependOnTable() { depends_on_table_ = true; }

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
    if (!removed_.empty() || !delete_files_.empty() || depends_on_table_) {
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
  bool depends_on_table_ = false;
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
    // Casts to and from TIMESTAMPTZ depend on the session's time zone; such bounds prune nothing.
    if (expr.type().id() == types::TypeId::kTimestampTz ||
        expr.child(0).type().id() == types::TypeId::kTimestampTz) {
      return std::nullopt;
    }
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

/// Reads the live rows of one data file: columns of `schema` (the current one), then "_pos".
Result<std::vector<vector::Batch>> ReadDataFile(const TargetTable& target,
                                                const table::Schema& schema,
                                                const table::FileScanTask& task,
                                                table::DeleteFileCache& cache) {
  std::vector<int32_t> field_ids;
  for (const table::NestedField& field : schema.fields()) {
    field_ids.push_back(field.id);
  }
  table::TableReadOptions options;
  options.with_row_position = true;
  options.delete_cache = &cache;
  FLOE_ASSIGN_OR_RETURN(std::unique_ptr<table::TableReader> reader,
                        table::TableReader::Open(target.table, schema, field_ids, task, options));
  std::vector<vector::Batch> batches;
  while (true) {
    FLOE_ASSIGN_OR_RETURN(std::optional<vector::Batch> batch, reader->Next());
    if (!batch.has_value()) {
      return batches;
    }
    batches.push_back(std::move(*batch));
  }
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
  table::DeleteFileCache cache;
  for (const table::FileScanTask& task : tasks) {
    FLOE_ASSIGN_OR_RETURN(std::vector<vector::Batch> batches,
                          ReadDataFile(target, schema, task, cache));
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
  if (context.time_zone != nullptr) {
    binder.SetTimeZone(*context.time_zone);
  }
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
  FunctionContext function_context{nullptr, context.statement_time_micros, context.time_zone};
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
  if (statement.with != nullptr) {
    return Status::NotSupported("WITH before INSERT");
  }
  FLOE_RETURN_NOT_OK(CheckNoReturning(statement.returning, "INSERT"));
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

namespace {

// Names the statement text below gives the target table read with its row identity, the
// identity's two columns and the mark of a MERGE source row. `$` keeps them apart from the
// names of ordinary tables and columns, which need no quotes.
constexpr std::string_view kTargetRelation = "floe$dml_target";
constexpr std::string_view kFileColumn = "floe$file";
constexpr std::string_view kPositionColumn = "floe$pos";
constexpr std::string_view kSourceMark = "floe$source_row";

/// Resolves kTargetRelation to the statement's target table at the version the statement
/// read, with two more columns naming each row's data file and position; every other name
/// resolves as in the session.
class RowIdentityCatalog final : public binder::CatalogAccessor {
 public:
  RowIdentityCatalog(binder::CatalogAccessor& session, binder::RelationInfo target)
      : session_(session), target_(std::move(target)) {}

  Result<std::optional<binder::RelationInfo>> FindRelation(
      const std::vector<std::string>& name) override {
    if (name.size() == 1 && name[0] == kTargetRelation) {
      return std::optional<binder::RelationInfo>(target_);
    }
    return session_.FindRelation(name);
  }
  Result<binder::ParquetSource> OpenParquet(std::string_view path) override {
    return session_.OpenParquet(path);
  }
  std::string CurrentUser() const override { return session_.CurrentUser(); }
  std::string CurrentSchema() const override { return session_.CurrentSchema(); }
  Result<std::vector<std::pair<int32_t, std::string>>> ViewDefinitions() override {
    return session_.ViewDefinitions();
  }
  Result<std::vector<std::string>> ExistingSearchPath() override {
    return session_.ExistingSearchPath();
  }
  Result<std::vector<std::pair<int32_t, bool>>> RelationVisibility() override {
    return session_.RelationVisibility();
  }

 private:
  binder::CatalogAccessor& session_;
  binder::RelationInfo target_;
};

Result<binder::RelationInfo> TargetWithRowIdentity(const TargetTable& target) {
  const table::Schema& schema = *target.table.metadata->CurrentSchema();
  binder::RelationInfo info;
  info.kind = binder::RelationInfo::Kind::kTable;
  info.display_name = catalog::IdentifierToString(target.identifier);
  for (const table::NestedField& field : schema.fields()) {
    info.field_ids.push_back(field.id);
  }
  FLOE_ASSIGN_OR_RETURN(vector::Schema columns, table::ProjectSchema(schema, info.field_ids));
  for (const vector::Field& field : columns.fields()) {
    info.columns.push_back({field.name, field.type});
  }
  info.columns.push_back({std::string(kFileColumn), LogicalType::Varchar()});
  info.field_ids.push_back(table::kFilePathFieldId);
  info.columns.push_back({std::string(kPositionColumn), LogicalType::BigInt()});
  info.field_ids.push_back(table::kRowPositionFieldId);
  info.iceberg_table = std::make_shared<const table::Table>(target.table);
  const table::Snapshot* snapshot = target.table.metadata->CurrentSnapshot();
  if (snapshot != nullptr) {
    auto records = snapshot->summary.find("total-records");
    if (records != snapshot->summary.end()) {
      info.row_count = std::strtoll(records->second.c_str(), nullptr, 10);
    }
  }
  return info;
}

/// Binds `text`, a query over kTargetRelation that plans `statement` (UPDATE, DELETE, MERGE).
Result<binder::BoundQuery> BindOverTarget(TableStatementContext& context, const TargetTable& target,
                                          const std::string& text, std::string_view statement) {
  FLOE_ASSIGN_OR_RETURN(binder::RelationInfo relation, TargetWithRowIdentity(target));
  RowIdentityCatalog catalog(context.catalog, std::move(relation));
  FLOE_ASSIGN_OR_RETURN(parser::StatementPtr parsed, parser::ParseStatement(text));
  if (parsed->kind != parser::StatementKind::kQuery) {
    return Status::Internal("a row-level statement's plan did not parse as a query");
  }
  binder::Binder binder(catalog, FunctionRegistry::Default(), text);
  if (!context.parameter_types.empty()) {
    binder.SetParameterTypes(context.parameter_types);
  }
  if (context.time_zone != nullptr) {
    binder.SetTimeZone(*context.time_zone);
  }
  Result<binder::BoundQuery> bound = binder.BindQuery(*parsed->As<parser::QueryStatement>().query);
  if (!bound.ok()) {
    Status error = bound.status();
    // An aggregate among the statement's values makes the query a grouped one, where the row
    // identity (the first column) is not grouped.
    if (error.sql_state() == "42803" &&
        std::string_view(error.message()).find(kFileColumn) != std::string_view::npos) {
      return Status::InvalidArgument("aggregate functions are not allowed in {}", statement)
          .WithSqlState("42803");
    }
    // Positions point into the rewritten text, not the statement: drop them.
    return Status(error.code(), std::string(error.message())).WithSqlState(error.sql_state());
  }
  // Window functions among the values put a window on the path from the select list down to
  // the target's scan, the leftmost leaf; those of subqueries sit in other branches.
  for (const binder::LogicalOperator* node = bound->plan.get(); !node->children.empty();
       node = node->children[0].get()) {
    if (node->kind == binder::LogicalKind::kWindow) {
      return Status::InvalidArgument("window functions are not allowed in {}", statement)
          .WithSqlState("42P20");
    }
  }
  return bound;
}

/// Binds and runs `text`, a query over kTargetRelation, handing each result batch to `consume`.
Status RunOverTarget(TableStatementContext& context, const TargetTable& target,
                     const std::string& text, std::string_view statement,
                     const BatchConsumer& consume) {
  FLOE_ASSIGN_OR_RETURN(binder::BoundQuery bound, BindOverTarget(context, target, text, statement));
  return context.run(std::move(bound), consume);
}

std::string Quoted(std::string_view name) {
  return parser::QuoteIdentifier(name);
}

/// The select-list items naming the target's row identity and then its columns, under `alias`.
std::string TargetColumnsText(const table::Schema& schema, const std::string& alias) {
  std::string prefix = Quoted(alias) + ".";
  std::string text = prefix + Quoted(kFileColumn) + ", " + prefix + Quoted(kPositionColumn);
  for (const table::NestedField& field : schema.fields()) {
    text += ", " + prefix + Quoted(field.name);
  }
  return text;
}

/// Collects the rows a joined statement removes (by data file and position) and the rows it
/// writes, then commits them: copy-on-write rewrites the other rows of each file touched.
class JoinedChanges {
 public:
  JoinedChanges(TableStatementContext& context, const TargetTable& target, bool is_merge_on_read)
      : target_(target),
        is_merge_on_read_(is_merge_on_read),
        changes_(context, target, is_merge_on_read) {}

  /// Marks the row at `position` of `file` removed; false when it already was.
  bool Remove(const std::string& file, int64_t position) {
    return removed_[file].insert(position).second;
  }
  Status Write(const vector::Batch& batch) { return changes_.Write(batch); }
  void DependOnTable() { changes_.DependOnTable(); }

  Status Commit() {
    if (!removed_.empty()) {
      FLOE_RETURN_NOT_OK(RemoveRows());
    }
    return changes_.Commit();
  }

 private:
  Status RemoveRows() {
    FLOE_ASSIGN_OR_RETURN(table::TableScan scan, table::TableScan::Make(target_.table));
    FLOE_ASSIGN_OR_RETURN(std::vector<table::FileScanTask> tasks, scan.PlanFiles());
    const table::Schema& schema = *target_.table.metadata->CurrentSchema();
    FLOE_ASSIGN_OR_RETURN(std::shared_ptr<const vector::Schema> batch_schema,
                          BatchSchemaOf(schema));
    table::DeleteFileCache cache;
    size_t files_found = 0;
    for (const table::FileScanTask& task : tasks) {
      auto found = removed_.find(task.data_file.file_path);
      if (found == removed_.end()) {
        continue;
      }
      ++files_found;
      std::vector<int64_t> positions(found->second.begin(), found->second.end());
      std::sort(positions.begin(), positions.end());
      if (is_merge_on_read_) {
        bool is_whole_file = task.delete_files.empty() &&
                             static_cast<int64_t>(positions.size()) == task.data_file.record_count;
        FLOE_RETURN_NOT_OK(changes_.RemoveRows(task, positions, {}, is_whole_file));
        continue;
      }
      FLOE_ASSIGN_OR_RETURN(std::vector<vector::Batch> batches,
                            ReadDataFile(target_, schema, task, cache));
      std::vector<vector::Batch> kept;
      int64_t rows_read = 0;
      for (const vector::Batch& batch : batches) {
        rows_read += batch.num_rows();
        const vector::Vector& column = batch.column(batch.num_columns() - 1);
        std::vector<uint32_t> rows;
        for (int64_t row = 0; row < batch.num_rows(); ++row) {
          FLOE_ASSIGN_OR_RETURN(types::Value value, column.GetValue(row));
          if (!std::binary_search(positions.begin(), positions.end(), value.bigint_value())) {
            rows.push_back(static_cast<uint32_t>(row));
          }
        }
        FLOE_ASSIGN_OR_RETURN(vector::Batch rest, TakeRows(batch, std::move(rows), batch_schema));
        kept.push_back(std::move(rest));
      }
      bool is_whole_file = static_cast<int64_t>(positions.size()) == rows_read;
      FLOE_RETURN_NOT_OK(changes_.RemoveRows(task, positions, kept, is_whole_file));
    }
    if (files_found != removed_.size()) {
      return Status::Internal("rows of {} data files to change are not in table {}",
                              removed_.size() - files_found, target_.identifier.name);
    }
    return Status::OK();
  }

  const TargetTable& target_;
  bool is_merge_on_read_;
  RowChanges changes_;
  std::map<std::string, std::unordered_set<int64_t>> removed_;
};

/// The data file and position of row `row` of a batch whose first two columns are the target's
/// row identity; nullopt for a row no target row joined.
using RowIdentity = std::optional<std::pair<std::string, int64_t>>;

Result<RowIdentity> RowIdentityOf(const vector::Batch& batch, int64_t row) {
  if (batch.column(1).IsNull(row)) {
    return RowIdentity();
  }
  FLOE_ASSIGN_OR_RETURN(types::Value file, batch.column(0).GetValue(row));
  FLOE_ASSIGN_OR_RETURN(types::Value position, batch.column(1).GetValue(row));
  return RowIdentity(std::make_pair(file.string_value(), position.bigint_value()));
}

/// Builds rows of the table from `rows` of a joined batch: column f is `values[f]` evaluated
/// over the batch when set, else the batch's column `first_target_column + f` (the target
/// row's old value) when `keep_old`, else NULL. Checks NOT NULL columns.
Result<vector::Batch> NewRows(execution::ExpressionEvaluator& evaluator, const TargetTable& target,
                              const std::shared_ptr<const vector::Schema>& schema,
                              const std::vector<ExpressionPtr>& values, bool keep_old,
                              int64_t first_target_column, const vector::Batch& batch,
                              const vector::SelectionVector& rows) {
  std::vector<vector::Vector> columns;
  for (size_t f = 0; f < values.size(); ++f) {
    const vector::Field& field = schema->fields()[f];
    vector::Vector column;
    if (values[f] != nullptr) {
      FLOE_ASSIGN_OR_RETURN(column, evaluator.Evaluate(*values[f], batch, rows));
    } else if (keep_old) {
      FLOE_ASSIGN_OR_RETURN(
          column, batch.column(first_target_column + static_cast<int64_t>(f)).Gather(rows));
    } else {
      FLOE_ASSIGN_OR_RETURN(column, vector::Vector::MakeConstantNull(field.type, rows.size()));
    }
    FLOE_RETURN_NOT_OK(CheckNotNull(column, field, target));
    FLOE_ASSIGN_OR_RETURN(column, column.Flatten());
    columns.push_back(std::move(column));
  }
  return vector::Batch::Make(schema, std::move(columns), rows.size());
}

/// The column of the table each SET clause assigns, in order, checking PostgreSQL's rules.
Result<std::vector<size_t>> AssignedColumns(const TargetTable& target,
                                            const std::vector<parser::SetClause>& set,
                                            std::string_view statement) {
  const table::Schema& schema = *target.table.metadata->CurrentSchema();
  std::vector<size_t> assigned;
  for (const parser::SetClause& clause : set) {
    if (clause.is_multi_column || clause.columns.size() != 1) {
      return Status::NotSupported("{} ... SET (a, b) = ... on an Iceberg table", statement);
    }
    if (clause.value->kind == parser::ExpressionKind::kDefault) {
      return Status::NotSupported("{} ... SET column = DEFAULT on an Iceberg table", statement);
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
  }
  return assigned;
}

/// Assignment casts of the result columns `first_value ...` of a joined query (types `types`)
/// to the table columns `assigned`: one expression per table column, null where unassigned.
Result<std::vector<ExpressionPtr>> AssignedValues(
    const std::shared_ptr<const vector::Schema>& schema, const std::vector<size_t>& assigned,
    const std::vector<LogicalType>& types, size_t first_value) {
  std::vector<ExpressionPtr> values(schema->fields().size());
  for (size_t i = 0; i < assigned.size(); ++i) {
    const vector::Field& field = schema->fields()[assigned[i]];
    FLOE_ASSIGN_OR_RETURN(
        values[assigned[i]],
        AssignmentCast(
            Expression::ColumnRef(static_cast<int64_t>(first_value + i), types[first_value + i]),
            field.type, field.name));
  }
  return values;
}

std::vector<LogicalType> TypesOf(const vector::Batch& batch) {
  std::vector<LogicalType> types;
  for (const vector::Field& field : batch.schema().fields()) {
    types.push_back(field.type);
  }
  return types;
}

/// The statement's WITH clause, to go before the query that plans it; empty when it has none.
std::string WithText(const std::unique_ptr<parser::WithClause>& with) {
  return with == nullptr ? std::string() : parser::ToSql(*with);
}

std::string FromListText(const std::vector<parser::TableRefPtr>& from) {
  std::string text;
  for (const parser::TableRefPtr& ref : from) {
    text += ", " + parser::ToSql(*ref);
  }
  return text;
}

// UPDATE ... FROM and UPDATE with subqueries: a query joins the target with the FROM list and
// computes the new values. A target row that several FROM rows join is updated once, with the
// values of whichever comes first, as PostgreSQL does.
Result<QueryResult> RunJoinedUpdate(TableStatementContext& context,
                                    const parser::UpdateStatement& statement) {
  FLOE_ASSIGN_OR_RETURN(TargetTable target, LoadTargetTable(context, statement.table));
  const table::TableMetadata& metadata = *target.table.metadata;
  const table::Schema& schema = *metadata.CurrentSchema();
  FLOE_ASSIGN_OR_RETURN(std::shared_ptr<const vector::Schema> batch_schema, BatchSchemaOf(schema));
  FLOE_ASSIGN_OR_RETURN(std::vector<size_t> assigned,
                        AssignedColumns(target, statement.set, "UPDATE"));
  std::string alias = statement.alias.empty() ? target.identifier.name : statement.alias;
  std::string text = WithText(statement.with) + "SELECT " + TargetColumnsText(schema, alias);
  for (const parser::SetClause& clause : statement.set) {
    text += ", (" + parser::ToSql(*clause.value) + ")";
  }
  text +=
      " FROM " + Quoted(kTargetRelation) + " AS " + Quoted(alias) + FromListText(statement.from);
  if (statement.where != nullptr) {
    text += " WHERE " + parser::ToSql(*statement.where);
  }
  const int64_t first_target_column = 2;
  const size_t first_value = 2 + schema.fields().size();
  JoinedChanges changes(context, target,
                        WriteMode(metadata, "write.update.mode") == "merge-on-read");
  FunctionContext function_context{nullptr, context.statement_time_micros, context.time_zone};
  execution::ExpressionEvaluator evaluator(&function_context);
  std::vector<ExpressionPtr> values;
  int64_t updated = 0;
  FLOE_RETURN_NOT_OK(
      RunOverTarget(context, target, text, "UPDATE", [&](const vector::Batch& batch) {
        if (values.empty()) {
          FLOE_ASSIGN_OR_RETURN(
              values, AssignedValues(batch_schema, assigned, TypesOf(batch), first_value));
        }
        std::vector<uint32_t> rows;
        for (int64_t row = 0; row < batch.num_rows(); ++row) {
          FLOE_ASSIGN_OR_RETURN(RowIdentity identity, RowIdentityOf(batch, row));
          if (identity.has_value() && changes.Remove(identity->first, identity->second)) {
            rows.push_back(static_cast<uint32_t>(row));
          }
        }
        if (rows.empty()) {
          return Status::OK();
        }
        vector::SelectionVector selection(std::move(rows));
        FLOE_ASSIGN_OR_RETURN(vector::Batch changed,
                              NewRows(evaluator, target, batch_schema, values, true,
                                      first_target_column, batch, selection));
        updated += selection.size();
        return changes.Write(changed);
      }));
  FLOE_RETURN_NOT_OK(changes.Commit());
  return QueryResult::Command("UPDATE " + std::to_string(updated));
}

// DELETE ... USING and DELETE with subqueries: a query lists the target rows to delete.
Result<QueryResult> RunJoinedDelete(TableStatementContext& context,
                                    const parser::DeleteStatement& statement) {
  FLOE_ASSIGN_OR_RETURN(TargetTable target, LoadTargetTable(context, statement.table));
  const table::TableMetadata& metadata = *target.table.metadata;
  std::string alias = statement.alias.empty() ? target.identifier.name : statement.alias;
  std::string prefix = Quoted(alias) + ".";
  std::string text = WithText(statement.with) + "SELECT " + prefix + Quoted(kFileColumn) + ", " +
                     prefix + Quoted(kPositionColumn) + " FROM " + Quoted(kTargetRelation) +
                     " AS " + Quoted(alias) + FromListText(statement.using_tables);
  if (statement.where != nullptr) {
    text += " WHERE " + parser::ToSql(*statement.where);
  }
  JoinedChanges changes(context, target,
                        WriteMode(metadata, "write.delete.mode") == "merge-on-read");
  int64_t deleted = 0;
  FLOE_RETURN_NOT_OK(
      RunOverTarget(context, target, text, "DELETE", [&](const vector::Batch& batch) {
        for (int64_t row = 0; row < batch.num_rows(); ++row) {
          FLOE_ASSIGN_OR_RETURN(RowIdentity identity, RowIdentityOf(batch, row));
          if (identity.has_value() && changes.Remove(identity->first, identity->second)) {
            ++deleted;
          }
        }
        return Status::OK();
      }));
  FLOE_RETURN_NOT_OK(changes.Commit());
  return QueryResult::Command("DELETE " + std::to_string(deleted));
}

// Whether binding a statement's expressions over the target's columns alone failed because they
// need a plan of their own (subqueries), which the joined form of the statement runs.
bool NeedsJoinedPlan(const Status& status) {
  return status.code() == StatusCode::kNotSupported &&
         std::string_view(status.message()).find("subqueries") != std::string_view::npos;
}

}  // namespace

Result<QueryResult> RunDelete(TableStatementContext& context,
                              const parser::DeleteStatement& statement) {
  FLOE_RETURN_NOT_OK(CheckNoReturning(statement.returning, "DELETE"));
  if (!statement.using_tables.empty() || statement.with != nullptr) {
    return RunJoinedDelete(context, statement);
  }
  FLOE_ASSIGN_OR_RETURN(TargetTable target, LoadTargetTable(context, statement.table));
  std::string alias = statement.alias.empty() ? target.identifier.name : statement.alias;
  Result<ExpressionPtr> bound_condition =
      BindCondition(context, target, alias, statement.where.get());
  if (!bound_condition.ok() && NeedsJoinedPlan(bound_condition.status())) {
    return RunJoinedDelete(context, statement);
  }
  FLOE_ASSIGN_OR_RETURN(ExpressionPtr condition, std::move(bound_condition));
  const table::TableMetadata& metadata = *target.table.metadata;
  FLOE_ASSIGN_OR_RETURN(std::shared_ptr<const vector::Schema> batch_schema,
                        BatchSchemaOf(*metadata.CurrentSchema()));
  RowChanges changes(context, target, WriteMode(metadata, "write.delete.mode") == "merge-on-read");
  FunctionContext function_context{nullptr, context.statement_time_micros, context.time_zone};
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
  FLOE_RETURN_NOT_OK(CheckNoReturning(statement.returning, "UPDATE"));
  if (!statement.from.empty() || statement.with != nullptr) {
    return RunJoinedUpdate(context, statement);
  }
  FLOE_ASSIGN_OR_RETURN(TargetTable target, LoadTargetTable(context, statement.table));
  const table::TableMetadata& metadata = *target.table.metadata;
  const table::Schema& schema = *metadata.CurrentSchema();
  FLOE_ASSIGN_OR_RETURN(std::shared_ptr<const vector::Schema> batch_schema, BatchSchemaOf(schema));
  std::string alias = statement.alias.empty() ? target.identifier.name : statement.alias;

  FLOE_ASSIGN_OR_RETURN(std::vector<size_t> assigned,
                        AssignedColumns(target, statement.set, "UPDATE"));
  std::vector<const parser::Expression*> expressions;
  for (const parser::SetClause& clause : statement.set) {
    expressions.push_back(clause.value.get());
  }
  Result<std::vector<ExpressionPtr>> bound_values =
      BindRowExpressions(context, schema, alias, expressions);
  if (!bound_values.ok() && NeedsJoinedPlan(bound_values.status())) {
    return RunJoinedUpdate(context, statement);
  }
  FLOE_ASSIGN_OR_RETURN(std::vector<ExpressionPtr> bound, std::move(bound_values));
  std::vector<ExpressionPtr> new_values(batch_schema->fields().size());
  for (size_t i = 0; i < assigned.size(); ++i) {
    const vector::Field& field = batch_schema->fields()[assigned[i]];
    FLOE_ASSIGN_OR_RETURN(new_values[assigned[i]],
                          AssignmentCast(bound[i], field.type, field.name));
  }
  Result<ExpressionPtr> bound_condition =
      BindCondition(context, target, alias, statement.where.get());
  if (!bound_condition.ok() && NeedsJoinedPlan(bound_condition.status())) {
    return RunJoinedUpdate(context, statement);
  }
  FLOE_ASSIGN_OR_RETURN(ExpressionPtr condition, std::move(bound_condition));

  RowChanges changes(context, target, WriteMode(metadata, "write.update.mode") == "merge-on-read");
  FunctionContext function_context{nullptr, context.statement_time_micros, context.time_zone};
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

namespace {

/// What one WHEN clause of MERGE writes, resolved against the table.
struct MergeClausePlan {
  std::vector<size_t> columns;                    // UPDATE and INSERT: the table columns set.
  std::vector<const parser::Expression*> values;  // Their values, in the same order.
  size_t first_value = 0;                         // The value columns' place in the joined rows.
  std::vector<ExpressionPtr> casts;               // Per table column; bound with the first batch.
  std::vector<uint32_t> rows;                     // The rows of the current batch it acts on.
};

Result<MergeClausePlan> PlanMergeClause(const TargetTable& target,
                                        const parser::MergeWhenClause& clause) {
  MergeClausePlan plan;
  if (clause.action == parser::MergeAction::kUpdate) {
    FLOE_ASSIGN_OR_RETURN(plan.columns, AssignedColumns(target, clause.set, "MERGE ... UPDATE"));
    for (const parser::SetClause& set : clause.set) {
      plan.values.push_back(set.value.get());
    }
    return plan;
  }
  if (clause.action != parser::MergeAction::kInsert) {
    return plan;
  }
  if (clause.insert_default_values) {
    return Status::NotSupported("MERGE ... INSERT DEFAULT VALUES on an Iceberg table");
  }
  FLOE_ASSIGN_OR_RETURN(std::vector<int> columns,
                        ResolveTargetColumns(target, clause.insert_columns));
  if (clause.insert_values.size() > columns.size()) {
    return Status::InvalidArgument("INSERT has more expressions than target columns")
        .WithSqlState("42601");
  }
  if (clause.insert_values.size() < columns.size()) {
    if (!clause.insert_columns.empty()) {
      return Status::InvalidArgument("INSERT has more target columns than expressions")
          .WithSqlState("42601");
    }
    // Without a column list, the columns after the last value get NULL, as in INSERT.
    columns.resize(clause.insert_values.size());
  }
  for (size_t i = 0; i < columns.size(); ++i) {
    if (clause.insert_values[i]->kind == parser::ExpressionKind::kDefault) {
      return Status::NotSupported("MERGE ... INSERT VALUES (DEFAULT) on an Iceberg table");
    }
    plan.columns.push_back(static_cast<size_t>(columns[i]));
    plan.values.push_back(clause.insert_values[i].get());
  }
  return plan;
}

/// The alias a MERGE source goes by: its own, else a table's or function's name.
std::string SourceAlias(const parser::TableRef& source) {
  switch (source.kind) {
    case parser::TableRefKind::kTable: {
      const auto& table = source.As<parser::TableNameRef>();
      return table.alias.name.empty() ? table.name.back() : table.alias.name;
    }
    case parser::TableRefKind::kSubquery:
      return source.As<parser::SubqueryRef>().alias.name;
    case parser::TableRefKind::kFunction: {
      const auto& function = source.As<parser::FunctionRef>();
      return function.alias.name.empty() ? function.call->names.back() : function.alias.name;
    }
    default:
      return "";
  }
}

/// The expression giving the index of the WHEN clause that acts on a joined row (NULL: none).
/// As in PostgreSQL, the clauses of the row's kind are tried in order and the first whose
/// condition holds acts.
std::string MergeActionText(const parser::MergeStatement& statement,
                            const std::string& target_alias, const std::string& source_alias) {
  auto clauses_of = [&](parser::MergeMatch match) {
    std::string text;
    for (size_t i = 0; i < statement.when_clauses.size(); ++i) {
      const parser::MergeWhenClause& clause = statement.when_clauses[i];
      if (clause.match != match) {
        continue;
      }
      std::string condition =
          clause.condition == nullptr ? "TRUE" : "(" + parser::ToSql(*clause.condition) + ")";
      text += " WHEN " + condition + " THEN " + std::to_string(i);
    }
    return text.empty() ? std::string("CAST(NULL AS integer)") : "(CASE" + text + " END)";
  };
  std::string position = Quoted(target_alias) + "." + Quoted(kPositionColumn);
  std::string mark = Quoted(source_alias) + "." + Quoted(kSourceMark);
  return "(CASE WHEN " + position + " IS NOT NULL AND " + mark + " IS NOT NULL THEN " +
         clauses_of(parser::MergeMatch::kMatched) + " WHEN " + position + " IS NULL THEN " +
         clauses_of(parser::MergeMatch::kNotMatchedByTarget) + " ELSE " +
         clauses_of(parser::MergeMatch::kNotMatchedBySource) + " END)";
}

// PostgreSQL lets WHEN NOT MATCHED [BY TARGET] clauses see the source's columns only, and BY
// SOURCE clauses the target's only; in the joined query the other side's columns would read as
// NULL instead of failing. Binding each kind's expressions over its side alone finds them.
Status CheckMergeClauseScopes(TableStatementContext& context, const TargetTable& target,
                              const parser::MergeStatement& statement,
                              const std::vector<MergeClausePlan>& plans, const std::string& with,
                              const std::string& target_from, const std::string& source_from) {
  for (parser::MergeMatch match :
       {parser::MergeMatch::kNotMatchedByTarget, parser::MergeMatch::kNotMatchedBySource}) {
    std::string items;
    for (size_t i = 0; i < plans.size(); ++i) {
      const parser::MergeWhenClause& clause = statement.when_clauses[i];
      if (clause.match != match) {
        continue;
      }
      if (clause.condition != nullptr) {
        items += (items.empty() ? "" : ", ") + parser::ToSql(*clause.condition);
      }
      for (const parser::Expression* value : plans[i].values) {
        items += (items.empty() ? "" : ", ") + parser::ToSql(*value);
      }
    }
    if (items.empty()) {
      continue;
    }
    const std::string& from =
        match == parser::MergeMatch::kNotMatchedByTarget ? source_from : target_from;
    std::string text = with + "SELECT " + items + " FROM " + from;
    FLOE_RETURN_NOT_OK(BindOverTarget(context, target, text, "MERGE").status());
  }
  return Status::OK();
}

}  // namespace

Result<QueryResult> RunMerge(TableStatementContext& context,
                             const parser::MergeStatement& statement) {
  FLOE_ASSIGN_OR_RETURN(TargetTable target, LoadTargetTable(context, statement.table));
  const table::TableMetadata& metadata = *target.table.metadata;
  const table::Schema& schema = *metadata.CurrentSchema();
  FLOE_ASSIGN_OR_RETURN(std::shared_ptr<const vector::Schema> batch_schema, BatchSchemaOf(schema));
  std::string alias = statement.alias.empty() ? target.identifier.name : statement.alias;
  std::string source_alias = SourceAlias(*statement.source);
  if (source_alias.empty()) {
    source_alias = "floe$source";
  }
  if (source_alias == alias) {
    return Status::InvalidArgument("name \"{}\" specified more than once", alias)
        .WithDetail("The name is used both as MERGE target table and data source.")
        .WithSqlState("42712");
  }
  bool has_insert = false;
  bool has_by_source = false;
  std::vector<MergeClausePlan> plans;
  for (const parser::MergeWhenClause& clause : statement.when_clauses) {
    FLOE_ASSIGN_OR_RETURN(MergeClausePlan plan, PlanMergeClause(target, clause));
    plans.push_back(std::move(plan));
    has_insert = has_insert || clause.match == parser::MergeMatch::kNotMatchedByTarget;
    has_by_source = has_by_source || clause.match == parser::MergeMatch::kNotMatchedBySource;
  }
  // The joined rows: the target's row identity and columns, the acting clause, then each
  // clause's values, computed only for the rows it acts on.
  std::string action = MergeActionText(statement, alias, source_alias);
  std::string with = WithText(statement.with);
  std::string text = with + "SELECT " + TargetColumnsText(schema, alias) + ", " + action;
  size_t next_column = 3 + schema.fields().size();
  for (size_t i = 0; i < plans.size(); ++i) {
    plans[i].first_value = next_column;
    for (const parser::Expression* value : plans[i].values) {
      text += ", (CASE WHEN " + action + " = " + std::to_string(i) + " THEN (" +
              parser::ToSql(*value) + ") END)";
      ++next_column;
    }
  }
  static constexpr std::string_view kJoins[2][2] = {{" JOIN ", " LEFT JOIN "},
                                                    {" RIGHT JOIN ", " FULL JOIN "}};
  std::string target_from = Quoted(kTargetRelation) + " AS " + Quoted(alias);
  std::string source_from = "(SELECT TRUE AS " + Quoted(kSourceMark) + ", * FROM " +
                            parser::ToSql(*statement.source) + ") AS " + Quoted(source_alias);
  FLOE_RETURN_NOT_OK(
      CheckMergeClauseScopes(context, target, statement, plans, with, target_from, source_from));
  text += " FROM " + target_from + std::string(kJoins[has_insert ? 1 : 0][has_by_source ? 1 : 0]) +
          source_from + " ON (" + parser::ToSql(*statement.condition) + ")";

  const int64_t action_column = 2 + static_cast<int64_t>(schema.fields().size());
  JoinedChanges changes(context, target,
                        WriteMode(metadata, "write.merge.mode") == "merge-on-read");
  changes.DependOnTable();
  FunctionContext function_context{nullptr, context.statement_time_micros, context.time_zone};
  execution::ExpressionEvaluator evaluator(&function_context);
  int64_t affected = 0;
  bool is_bound = false;
  FLOE_RETURN_NOT_OK(RunOverTarget(context, target, text, "MERGE", [&](const vector::Batch& batch) {
    if (!is_bound) {
      for (MergeClausePlan& plan : plans) {
        FLOE_ASSIGN_OR_RETURN(plan.casts, AssignedValues(batch_schema, plan.columns, TypesOf(batch),
                                                         plan.first_value));
      }
      is_bound = true;
    }
    const vector::Vector& actions = batch.column(action_column);
    for (int64_t row = 0; row < batch.num_rows(); ++row) {
      if (actions.IsNull(row)) {
        continue;
      }
      FLOE_ASSIGN_OR_RETURN(types::Value index, actions.GetValue(row));
      size_t clause = static_cast<size_t>(index.integer_value());
      parser::MergeAction kind = statement.when_clauses[clause].action;
      if (kind == parser::MergeAction::kDoNothing) {
        continue;
      }
      if (kind != parser::MergeAction::kInsert) {
        FLOE_ASSIGN_OR_RETURN(RowIdentity identity, RowIdentityOf(batch, row));
        if (!identity.has_value()) {
          return Status::Internal("MERGE matched a row without its identity");
        }
        if (!changes.Remove(identity->first, identity->second)) {
          return Status::InvalidArgument("MERGE command cannot affect row a second time")
              .WithHint("Ensure that not more than one source row matches any one target row.")
              .WithSqlState("21000");
        }
      }
      plans[clause].rows.push_back(static_cast<uint32_t>(row));
      ++affected;
    }
    for (size_t i = 0; i < plans.size(); ++i) {
      if (plans[i].rows.empty()) {
        continue;
      }
      vector::SelectionVector selection(std::move(plans[i].rows));
      plans[i].rows.clear();
      parser::MergeAction kind = statement.when_clauses[i].action;
      if (kind == parser::MergeAction::kDelete) {
        continue;
      }
      FLOE_ASSIGN_OR_RETURN(vector::Batch rows,
                            NewRows(evaluator, target, batch_schema, plans[i].casts,
                                    kind == parser::MergeAction::kUpdate, 2, batch, selection));
      FLOE_RETURN_NOT_OK(changes.Write(rows));
    }
    return Status::OK();
  }));
  FLOE_RETURN_NOT_OK(changes.Commit());
  return QueryResult::Command("MERGE " + std::to_string(affected));
}

}  // namespace floe::sql::engine
