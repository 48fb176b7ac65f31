#include "sql/planner/physical_planner.h"

#include <algorithm>
#include <atomic>
#include <mutex>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "sql/binder/expression_rewriter.h"
#include "sql/execution/data_source.h"
#include "sql/execution/expression_evaluator.h"
#include "sql/execution/operators/cte_scan.h"
#include "sql/execution/operators/filter.h"
#include "sql/execution/operators/hash_aggregate.h"
#include "sql/execution/operators/hash_join.h"
#include "sql/execution/operators/limit.h"
#include "sql/execution/operators/projection.h"
#include "sql/execution/operators/recursive_cte.h"
#include "sql/execution/operators/set_operation.h"
#include "sql/execution/operators/sort.h"
#include "sql/execution/operators/table_function.h"
#include "sql/execution/operators/union_all.h"
#include "sql/execution/operators/window.h"
#include "sql/execution/sources/batch_source.h"
#include "sql/execution/sources/generate_series.h"
#include "sql/execution/sources/parquet_source.h"
#include "sql/functions/aggregate/ordered_aggregate.h"
#include "sql/planner/iceberg_scan_source.h"
#include "sql/planner/runtime_filters.h"
#include "types/cast.h"
#include "vector/selection_vector.h"
#include "vector/vector_builder.h"

namespace floe::sql::planner {
namespace {

using binder::JoinType;
using binder::LogicalColumn;
using binder::LogicalKind;
using binder::LogicalOperator;
using binder::SourceKind;
using execution::Expression;
using execution::ExpressionPtr;
using execution::PhysicalOperatorPtr;

/// A physical operator and the logical column id at each of its output positions.
struct Planned {
  PhysicalOperatorPtr op;
  std::vector<int64_t> layout;
};

std::shared_ptr<const vector::Schema> SchemaOf(const std::vector<LogicalColumn>& columns) {
  std::vector<vector::Field> fields;
  for (const LogicalColumn& column : columns) {
    fields.push_back({column.name, column.type, true});
  }
  return std::make_shared<const vector::Schema>(std::move(fields));
}

/// Fails a scalar subquery that returns more than one row (PostgreSQL's 21000).
class EnforceSingleRowOperator final : public execution::PhysicalOperator {
 public:
  EnforceSingleRowOperator(std::shared_ptr<const vector::Schema> schema,
                           PhysicalOperatorPtr&& child)
      : PhysicalOperator(std::move(schema), MakeChildren(std::move(child))) {}
  std::string Name() const override { return "ENFORCE_SINGLE_ROW"; }
  execution::OperatorRoles Roles() const override { return {.is_streaming = true}; }
  Status Execute(execution::QueryContext& context, execution::OperatorState* state,
                 const vector::Batch& input, std::vector<vector::Batch>& output) override {
    if (rows_.fetch_add(input.num_rows()) + input.num_rows() > 1) {
      return Status::InvalidArgument(
                 "more than one row returned by a subquery used as an "
                 "expression")
          .WithSqlState("21000");
    }
    output.push_back(input);
    return Status::OK();
  }

 private:
  static std::vector<PhysicalOperatorPtr> MakeChildren(PhysicalOperatorPtr child) {
    std::vector<PhysicalOperatorPtr> children;
    children.push_back(std::move(child));
    return children;
  }
  std::atomic<int64_t> rows_{0};
};

/// DISTINCT ON: keeps the first row of each run of equal keys. Its input is sorted by the keys
/// first, and an ordered pipeline hands it the batches one after another, in order.
class DistinctOnOperator final : public execution::PhysicalOperator {
 public:
  DistinctOnOperator(std::shared_ptr<const vector::Schema> schema, PhysicalOperatorPtr&& child,
                     std::vector<ExpressionPtr> keys)
      : PhysicalOperator(std::move(schema), MakeChildren(std::move(child))),
        keys_(std::move(keys)) {}
  std::string Name() const override { return "DISTINCT_ON"; }
  execution::OperatorRoles Roles() const override { return {.is_streaming = true}; }
  Status Execute(execution::QueryContext& context, execution::OperatorState* state,
                 const vector::Batch& input, std::vector<vector::Batch>& output) override {
    std::lock_guard<std::mutex> lock(mutex_);
    execution::ExpressionEvaluator evaluator(&context.function_context());
    std::vector<vector::Vector> keys;
    for (const ExpressionPtr& key : keys_) {
      FLOE_ASSIGN_OR_RETURN(vector::Vector values, evaluator.Evaluate(*key, input));
      keys.push_back(std::move(values));
    }
    std::vector<uint32_t> kept;
    for (int64_t row = 0; row < input.num_rows(); ++row) {
      std::vector<types::Value> current;
      for (const vector::Vector& values : keys) {
        FLOE_ASSIGN_OR_RETURN(types::Value value, values.GetValue(row));
        current.push_back(std::move(value));
      }
      if (!has_last_ || current != last_) {
        kept.push_back(static_cast<uint32_t>(row));
        last_ = std::move(current);
        has_last_ = true;
      }
    }
    if (!kept.empty()) {
      FLOE_ASSIGN_OR_RETURN(
          vector::Batch batch,
          input.Gather(vector::SelectionVector(std::move(kept)), context.tracker()));
      output.push_back(std::move(batch));
    }
    return Status::OK();
  }

 private:
  static std::vector<PhysicalOperatorPtr> MakeChildren(PhysicalOperatorPtr child) {
    std::vector<PhysicalOperatorPtr> children;
    children.push_back(std::move(child));
    return children;
  }
  std::vector<ExpressionPtr> keys_;
  std::mutex mutex_;
  bool has_last_ = false;
  std::vector<types::Value> last_;
};

class PhysicalPlanner {
 public:
  explicit PhysicalPlanner(const PlannerContext& context) : context_(context) {}

  Result<Planned> Plan(const LogicalOperator& op);

  /// Rewrites `expr` over ids into positions of `layout` (and substitutes parameters).
  Result<ExpressionPtr> Remap(const ExpressionPtr& expr, const std::vector<int64_t>& layout) {
    if (expr == nullptr) {
      return expr;
    }
    ExpressionPtr bound = expr;
    if (!context_.parameters.empty()) {
      FLOE_ASSIGN_OR_RETURN(bound, execution::BindParameters(bound, context_.parameters));
    }
    int64_t max_id = -1;
    std::unordered_set<int64_t> ids;
    binder::CollectColumnIds(*bound, ids);
    for (int64_t id : ids) {
      max_id = std::max(max_id, id);
    }
    for (int64_t id : layout) {
      max_id = std::max(max_id, id);
    }
    std::vector<int64_t> mapping(static_cast<size_t>(max_id + 1), -1);
    for (size_t i = 0; i < layout.size(); ++i) {
      if (mapping[static_cast<size_t>(layout[i])] < 0) {
        mapping[static_cast<size_t>(layout[i])] = static_cast<int64_t>(i);
      }
    }
    for (int64_t id : ids) {
      if (mapping[static_cast<size_t>(id)] < 0) {
        return Status::Internal("column #{} is not available to {}", id, expr->ToString());
      }
    }
    return execution::RemapColumns(bound, mapping);
  }

  /// Reorders a planned operator's output to `ids` (a projection, unless already in order).
  Result<Planned> Arrange(Planned planned, const std::vector<LogicalColumn>& columns) {
    std::vector<int64_t> ids;
    for (const LogicalColumn& column : columns) {
      ids.push_back(column.id);
    }
    if (planned.layout == ids) {
      return planned;
    }
    std::vector<ExpressionPtr> expressions;
    std::vector<std::string> names;
    for (const LogicalColumn& column : columns) {
      FLOE_ASSIGN_OR_RETURN(
          ExpressionPtr ref,
          Remap(Expression::ColumnRef(column.id, column.type, column.name), planned.layout));
      expressions.push_back(ref);
      names.push_back(column.name);
    }
    Planned result;
    result.op = std::make_unique<execution::ProjectionOperator>(
        std::move(planned.op), std::move(expressions), std::move(names));
    result.layout = ids;
    return result;
  }

 private:
  Result<Planned> PlanGet(const LogicalOperator& op);
  Result<Planned> PlanJoin(const LogicalOperator& op);
  /// The number of hash aggregates below `probe` that a runtime filter on the keys `op`'s
  /// condition gives it would reach, were `probe` and `build` joined as `type`.
  Result<int> FilteredAggregates(const LogicalOperator& op, const Planned& probe,
                                 const Planned& build, JoinType type);
  /// Returns whether to swap the sides of join `op`, given the choice by size (`swap`).
  Result<bool> PreferFilteredAggregate(const LogicalOperator& op, const Planned& left,
                                       const Planned& right, bool swap);
  /// Plans a semi or anti join whose preserved side `left` is estimated much smaller than
  /// `right` by building `left` instead (see the definition).
  Result<Planned> PlanJoinOnDistinctKeys(const LogicalOperator& op, Planned left, Planned right,
                                         std::vector<ExpressionPtr> left_keys,
                                         std::vector<ExpressionPtr> right_keys);
  /// Plans a semi or anti join whose preserved side `left` is estimated much smaller than
  /// `right` and whose condition has a `residual` part as a RIGHT SEMI or RIGHT ANTI hash
  /// join building `left`.
  Result<Planned> PlanRightSemiOrAnti(const LogicalOperator& op, Planned left, Planned right,
                                      std::vector<ExpressionPtr> left_keys,
                                      std::vector<ExpressionPtr> right_keys,
                                      const std::vector<ExpressionPtr>& residual);
  Result<Planned> PlanSetOperation(const LogicalOperator& op);
  Result<Planned> PlanRecursiveCte(const LogicalOperator& op);
  Result<Planned> PlanDistinct(Planned child, const std::vector<LogicalColumn>& columns);
  Result<Planned> PlanWindow(const LogicalOperator& op);
  Result<Planned> PlanTableFunction(const LogicalOperator& op);
  Result<types::Value> EvaluateConstant(const ExpressionPtr& expr);
  /// Makes `spec` (an aggregate with ORDER BY, WITHIN GROUP or FILTER) sort and filter its
  /// group's rows before its function sees them: MakeOrderedAggregate over the arguments and
  /// the filter. Checks a constant percentile fraction of an aggregate without groups here,
  /// since PostgreSQL rejects it even when there are no rows.
  Status WrapOrderedAggregate(const binder::AggregateCall& call, bool is_ungrouped,
                              const std::vector<int64_t>& layout, execution::AggregateSpec& spec);
  Status PlanFrameOffsets(const binder::WindowCall& call, execution::WindowFrame& frame);

  const PlannerContext& context_;
  int next_runtime_filter_id_ = 1;
  /// The result of each materialized WITH query, shared by its references.
  std::unordered_map<const binder::CteDefinition*, std::shared_ptr<execution::MaterializedCte>>
      ctes_;
};

Result<Planned> PhysicalPlanner::PlanGet(const LogicalOperator& op) {
  Planned planned;
  planned.layout = op.ColumnIds();
  auto schema = SchemaOf(op.columns);
  switch (op.source) {
    case SourceKind::kSingleRow: {
      FLOE_ASSIGN_OR_RETURN(vector::Batch batch, vector::Batch::Make(schema, {}, 1));
      planned.op = std::make_unique<execution::TableScan>(std::make_unique<execution::BatchSource>(
          schema, std::vector<vector::Batch>{batch}, "SINGLE_ROW"));
      return planned;
    }
    case SourceKind::kWorkTable:
      planned.op = std::make_unique<execution::TableScan>(
          std::make_unique<execution::WorkTableScan>(schema, op.work_table));
      return planned;
    case SourceKind::kEmpty:
      planned.op = std::make_unique<execution::TableScan>(
          std::make_unique<execution::BatchSource>(schema, std::vector<vector::Batch>{}, "EMPTY"));
      return planned;
    case SourceKind::kCte: {
      std::shared_ptr<execution::MaterializedCte> cte;
      auto found = ctes_.find(op.cte.get());
      const bool is_first = found == ctes_.end();
      if (is_first) {
        FLOE_ASSIGN_OR_RETURN(Planned query, Plan(*op.cte->plan));
        FLOE_ASSIGN_OR_RETURN(query, Arrange(std::move(query), op.cte->plan->columns));
        cte = std::make_shared<execution::MaterializedCte>(op.cte->name, std::move(query.op));
        ctes_.emplace(op.cte.get(), cte);
      } else {
        cte = found->second;
      }
      planned.op = std::make_unique<execution::CteScanOperator>(schema, std::move(cte),
                                                                op.cte->references, is_first);
      return planned;
    }
    case SourceKind::kValues: {
      // Each row's expressions are column-free: evaluate them over a one-row batch.
      FunctionContext function_context;
      function_context.statement_time_micros = context_.statement_time_micros;
      function_context.time_zone = context_.time_zone;
      execution::ExpressionEvaluator evaluator(&function_context);
      FLOE_ASSIGN_OR_RETURN(vector::Batch one_row,
                            vector::Batch::Make(std::make_shared<const vector::Schema>(), {}, 1));
      std::vector<vector::VectorBuilder> builders;
      for (const LogicalColumn& column : op.columns) {
        builders.emplace_back(column.type);
      }
      for (const auto& row : op.values_rows) {
        for (size_t c = 0; c < row.size(); ++c) {
          FLOE_ASSIGN_OR_RETURN(ExpressionPtr expr, Remap(row[c], {}));
          FLOE_ASSIGN_OR_RETURN(vector::Vector value, evaluator.Evaluate(*expr, one_row));
          FLOE_ASSIGN_OR_RETURN(types::Value scalar, value.GetValue(0));
          FLOE_RETURN_NOT_OK(builders[c].AppendValue(scalar));
        }
      }
      std::vector<vector::Vector> columns;
      for (auto& builder : builders) {
        FLOE_ASSIGN_OR_RETURN(vector::Vector column, builder.Finish());
        columns.push_back(std::move(column));
      }
      FLOE_ASSIGN_OR_RETURN(vector::Batch batch,
                            vector::Batch::Make(schema, std::move(columns),
                                                static_cast<int64_t>(op.values_rows.size())));
      std::vector<vector::Batch> batches;
      for (int64_t offset = 0; offset < batch.num_rows();
           offset += vector::Batch::kDefaultBatchSize) {
        batches.push_back(batch.Slice(
            offset, std::min(vector::Batch::kDefaultBatchSize, batch.num_rows() - offset)));
      }
      planned.op = std::make_unique<execution::TableScan>(
          std::make_unique<execution::BatchSource>(schema, std::move(batches), "VALUES"));
      return planned;
    }
    case SourceKind::kGenerateSeries: {
      const auto& args = op.series_arguments;
      bool has_null =
          std::any_of(args.begin(), args.end(), [](const types::Value& v) { return v.is_null(); });
      const types::LogicalType& type = op.columns[0].type;
      if (has_null) {
        planned.op =
            std::make_unique<execution::TableScan>(std::make_unique<execution::BatchSource>(
                schema, std::vector<vector::Batch>{}, "GENERATE_SERIES"));
        return planned;
      }
      if (type.id() == types::TypeId::kTimestamp || type.id() == types::TypeId::kTimestampTz) {
        FLOE_ASSIGN_OR_RETURN(auto series,
                              execution::GenerateSeries::Timestamps(type, args[0].timestamp_value(),
                                                                    args[1].timestamp_value(),
                                                                    args[2].interval_value()));
        planned.op = std::make_unique<execution::TableScan>(std::move(series));
        return planned;
      }
      auto as_int = [&](const types::Value& value) {
        return type.id() == types::TypeId::kInteger ? int64_t{value.integer_value()}
                                                    : value.bigint_value();
      };
      int64_t step = args.size() == 3 ? as_int(args[2]) : 1;
      FLOE_ASSIGN_OR_RETURN(auto series, execution::GenerateSeries::Integers(
                                             type, as_int(args[0]), as_int(args[1]), step));
      planned.op = std::make_unique<execution::TableScan>(std::move(series));
      return planned;
    }
    case SourceKind::kIceberg: {
      FLOE_ASSIGN_OR_RETURN(std::unique_ptr<IcebergScanSource> source,
                            IcebergScanSource::Make(op.iceberg_table, op.source_name, op.field_ids,
                                                    schema, op.iceberg_filter,
                                                    op.iceberg_snapshot_id, context_.column_cache));
      planned.op = std::make_unique<execution::TableScan>(std::move(source));
      return planned;
    }
    case SourceKind::kParquet: {
      execution::ParquetSourceOptions options;
      for (const LogicalColumn& column : op.columns) {
        options.column_names.push_back(column.name);
      }
      options.predicates = op.parquet_predicates;
      if (op.files.empty()) {
        return Status::Internal("a Parquet scan without files");
      }
      FLOE_ASSIGN_OR_RETURN(std::shared_ptr<io::FileSystem> file_system,
                            context_.file_systems->Resolve(op.files.front()));
      FLOE_ASSIGN_OR_RETURN(
          std::unique_ptr<execution::ParquetSource> source,
          execution::ParquetSource::Make(std::move(file_system), op.files, std::move(options)));
      for (size_t i = 0; i < op.columns.size(); ++i) {
        const types::LogicalType& read = source->schema()->field(static_cast<int64_t>(i)).type;
        if (!(read == op.columns[i].type)) {
          return Status::InvalidArgument("column {} of {} is {}, not {} as when it was bound",
                                         op.columns[i].name, op.files.front(), read.ToString(),
                                         op.columns[i].type.ToString());
        }
      }
      planned.op = std::make_unique<execution::TableScan>(std::move(source));
      return planned;
    }
  }
  return Status::Internal("unknown source");
}

execution::JoinType ExecutionJoinType(JoinType type) {
  switch (type) {
    case JoinType::kInner:
    case JoinType::kCross:
      return execution::JoinType::kInner;
    case JoinType::kLeft:
      return execution::JoinType::kLeft;
    case JoinType::kRight:
      return execution::JoinType::kRight;
    case JoinType::kFull:
      return execution::JoinType::kFull;
    case JoinType::kSemi:
      return execution::JoinType::kSemi;
    case JoinType::kAnti:
      return execution::JoinType::kAnti;
    case JoinType::kMark:
      return execution::JoinType::kMark;
  }
  return execution::JoinType::kInner;
}

Result<int> PhysicalPlanner::FilteredAggregates(const LogicalOperator& op, const Planned& probe,
                                                const Planned& build, JoinType type) {
  if (type != JoinType::kInner && type != JoinType::kCross && type != JoinType::kRight) {
    return 0;
  }
  std::unordered_set<int64_t> probe_ids(probe.layout.begin(), probe.layout.end());
  std::unordered_set<int64_t> build_ids(build.layout.begin(), build.layout.end());
  std::vector<ExpressionPtr> keys;
  if (op.condition != nullptr) {
    for (const ExpressionPtr& conjunct : execution::SplitConjuncts(op.condition)) {
      if (conjunct->kind() != execution::ExpressionKind::kFunction ||
          conjunct->function().name != "=" || conjunct->children().size() != 2 ||
          !(conjunct->child(0).type() == conjunct->child(1).type())) {
        continue;
      }
      for (size_t side = 0; side < 2; ++side) {
        const ExpressionPtr& mine = conjunct->children()[side];
        const ExpressionPtr& other = conjunct->children()[1 - side];
        if (binder::ReferencesOnly(*mine, probe_ids) && !mine->IsColumnFree() &&
            binder::ReferencesOnly(*other, build_ids) && !other->IsColumnFree()) {
          FLOE_ASSIGN_OR_RETURN(ExpressionPtr key, Remap(mine, probe.layout));
          keys.push_back(std::move(key));
          break;
        }
      }
    }
  }
  return keys.empty() ? 0 : CountFilteredAggregates(*probe.op, keys);
}

Result<bool> PhysicalPlanner::PreferFilteredAggregate(const LogicalOperator& op,
                                                      const Planned& left, const Planned& right,
                                                      bool swap) {
  // A runtime filter that reaches a hash aggregate below the probe side drops the groups no
  // build row joins before they are aggregated (TPC-H Q17 and Q20, whose correlated
  // subqueries become an aggregate of all of lineitem joined to a few rows). That saves more
  // than a build side a few times larger costs, so the side with the aggregate is probed when
  // the other side is estimated at most kLargerBuildFactor times as large.
  constexpr double kLargerBuildFactor = 4;
  const JoinType type = op.join_type;
  const JoinType mirrored = type == JoinType::kLeft    ? JoinType::kRight
                            : type == JoinType::kRight ? JoinType::kLeft
                                                       : type;
  FLOE_ASSIGN_OR_RETURN(int as_is, FilteredAggregates(op, left, right, type));
  FLOE_ASSIGN_OR_RETURN(int swapped, FilteredAggregates(op, right, left, mirrored));
  const double left_rows = op.children[0]->estimate.rows;
  const double right_rows = op.children[1]->estimate.rows;
  if (!swap && swapped > as_is && left_rows <= kLargerBuildFactor * right_rows) {
    return true;
  }
  if (swap && as_is > swapped && right_rows <= kLargerBuildFactor * left_rows) {
    return false;
  }
  return swap;
}

Result<Planned> PhysicalPlanner::PlanJoin(const LogicalOperator& op) {
  FLOE_ASSIGN_OR_RETURN(Planned left, Plan(*op.children[0]));
  FLOE_ASSIGN_OR_RETURN(Planned right, Plan(*op.children[1]));
  JoinType type = op.join_type;
  // The build side (child 1 of a hash join) is held in memory: make it the smaller input
  // where the join type allows swapping.
  const bool can_swap = type == JoinType::kInner || type == JoinType::kCross ||
                        type == JoinType::kLeft || type == JoinType::kRight;
  bool swap = can_swap && op.children[0]->estimate.rows < op.children[1]->estimate.rows;
  if (can_swap) {
    FLOE_ASSIGN_OR_RETURN(swap, PreferFilteredAggregate(op, left, right, swap));
  }
  if (swap) {
    std::swap(left, right);
    if (type == JoinType::kLeft) {
      type = JoinType::kRight;
    } else if (type == JoinType::kRight) {
      type = JoinType::kLeft;
    }
  }
  std::unordered_set<int64_t> left_ids(left.layout.begin(), left.layout.end());
  std::unordered_set<int64_t> right_ids(right.layout.begin(), right.layout.end());
  std::vector<ExpressionPtr> probe_keys;
  std::vector<ExpressionPtr> build_keys;
  std::vector<ExpressionPtr> residual;
  std::vector<ExpressionPtr> conjuncts;
  if (op.condition != nullptr) {
    conjuncts = execution::SplitConjuncts(op.condition);
  }
  for (const ExpressionPtr& conjunct : conjuncts) {
    bool is_equality = conjunct->kind() == execution::ExpressionKind::kFunction &&
                       conjunct->function().name == "=" && conjunct->children().size() == 2 &&
                       conjunct->child(0).type() == conjunct->child(1).type();
    if (is_equality) {
      const ExpressionPtr& a = conjunct->children()[0];
      const ExpressionPtr& b = conjunct->children()[1];
      bool a_left = binder::ReferencesOnly(*a, left_ids) && !a->IsColumnFree();
      bool b_right = binder::ReferencesOnly(*b, right_ids) && !b->IsColumnFree();
      bool a_right = binder::ReferencesOnly(*a, right_ids) && !a->IsColumnFree();
      bool b_left = binder::ReferencesOnly(*b, left_ids) && !b->IsColumnFree();
      if (a_left && b_right) {
        FLOE_ASSIGN_OR_RETURN(ExpressionPtr probe, Remap(a, left.layout));
        FLOE_ASSIGN_OR_RETURN(ExpressionPtr build, Remap(b, right.layout));
        probe_keys.push_back(probe);
        build_keys.push_back(build);
        continue;
      }
      if (a_right && b_left) {
        FLOE_ASSIGN_OR_RETURN(ExpressionPtr probe, Remap(b, left.layout));
        FLOE_ASSIGN_OR_RETURN(ExpressionPtr build, Remap(a, right.layout));
        probe_keys.push_back(probe);
        build_keys.push_back(build);
        continue;
      }
    }
    if (conjunct->kind() == execution::ExpressionKind::kConstant && !conjunct->value().is_null() &&
        conjunct->value().boolean_value()) {
      continue;
    }
    residual.push_back(conjunct);
  }
  // A semi or anti join builds its subquery side and streams the preserved side past it. When
  // the preserved side is much the smaller (TPC-H Q4: 57 thousand orders against 3.8 million
  // late lines), building the subquery side costs most of the query: the preserved side is
  // built instead, probed by the subquery side's distinct keys when the condition is keys
  // only, else by its rows in a RIGHT SEMI or RIGHT ANTI join (TPC-H Q21).
  constexpr double kPreservedBuildFactor = 4;
  if ((type == JoinType::kSemi || type == JoinType::kAnti) && !probe_keys.empty() &&
      op.children[0]->estimate.rows * kPreservedBuildFactor < op.children[1]->estimate.rows) {
    if (residual.empty()) {
      return PlanJoinOnDistinctKeys(op, std::move(left), std::move(right), std::move(probe_keys),
                                    std::move(build_keys));
    }
    return PlanRightSemiOrAnti(op, std::move(left), std::move(right), std::move(probe_keys),
                               std::move(build_keys), residual);
  }
  std::vector<int64_t> joined = left.layout;
  joined.insert(joined.end(), right.layout.begin(), right.layout.end());
  ExpressionPtr residual_expr;
  if (!residual.empty()) {
    FLOE_ASSIGN_OR_RETURN(residual_expr, Remap(binder::MakeConjunction(residual), joined));
  }
  Planned planned;
  if (type == JoinType::kSemi || type == JoinType::kAnti) {
    planned.layout = left.layout;
  } else if (type == JoinType::kMark) {
    planned.layout = left.layout;
    planned.layout.push_back(op.columns.back().id);
  } else {
    planned.layout = joined;
  }
  auto join = std::make_unique<execution::HashJoinOperator>(
      std::move(left.op), std::move(right.op), ExecutionJoinType(type), std::move(probe_keys),
      std::move(build_keys), residual_expr);
  PlaceRuntimeFilters(*join, next_runtime_filter_id_);
  planned.op = std::move(join);
  return planned;
}

// `left SEMI JOIN right ON keys` is `left` joined to the distinct keys of `right`: each left
// row matches at most one distinct key, so an inner join keeps it once when it has a match,
// and a right join marks the rows without one by a NULL key (the matched key is never NULL,
// as `=` never matches NULL), which is the anti join. Building `left` lets the join's runtime
// filter reach the scans below the aggregate of `right`'s keys, which then groups only the
// rows that can match.
Result<Planned> PhysicalPlanner::PlanJoinOnDistinctKeys(const LogicalOperator& op, Planned left,
                                                        Planned right,
                                                        std::vector<ExpressionPtr> left_keys,
                                                        std::vector<ExpressionPtr> right_keys) {
  const JoinType type = op.join_type;
  const size_t num_keys = right_keys.size();
  std::vector<std::string> key_names;
  std::vector<ExpressionPtr> distinct_keys;
  for (size_t k = 0; k < num_keys; ++k) {
    key_names.push_back(right_keys[k]->ToString());
    distinct_keys.push_back(Expression::ColumnRef(static_cast<int64_t>(k), right_keys[k]->type(),
                                                  key_names.back()));
  }
  auto distinct = std::make_unique<execution::HashAggregateOperator>(
      std::move(right.op), std::move(right_keys), std::vector<execution::AggregateSpec>{},
      key_names);
  // As the optimizer estimates an aggregate.
  distinct->set_estimated_rows(
      static_cast<int64_t>(std::max(1.0, op.children[1]->estimate.rows * 0.25)));
  const std::vector<vector::Field> left_fields = left.op->output_schema()->fields();
  auto join = std::make_unique<execution::HashJoinOperator>(
      std::move(distinct), std::move(left.op),
      type == JoinType::kSemi ? execution::JoinType::kInner : execution::JoinType::kRight,
      distinct_keys, std::move(left_keys));
  join->set_estimated_rows(static_cast<int64_t>(
      type == JoinType::kSemi ? op.estimate.rows : op.children[0]->estimate.rows));
  PlaceRuntimeFilters(*join, next_runtime_filter_id_);
  PhysicalOperatorPtr joined = std::move(join);
  if (type == JoinType::kAnti) {
    joined = std::make_unique<execution::FilterOperator>(
        std::move(joined),
        Expression::Test(execution::ExpressionKind::kIsNull, distinct_keys[0]));
  }
  // The output is the left side's columns, which follow the keys.
  std::vector<ExpressionPtr> columns;
  std::vector<std::string> names;
  for (size_t i = 0; i < left_fields.size(); ++i) {
    columns.push_back(Expression::ColumnRef(static_cast<int64_t>(num_keys + i),
                                            left_fields[i].type, left_fields[i].name));
    names.push_back(left_fields[i].name);
  }
  Planned planned;
  planned.layout = std::move(left.layout);
  planned.op = std::make_unique<execution::ProjectionOperator>(std::move(joined),
                                                               std::move(columns), names);
  return planned;
}

// A residual condition compares each pair of rows, so the distinct keys of `right` cannot
// stand for its rows as in PlanJoinOnDistinctKeys. The join builds `left` instead, flags the
// left rows that some `right` row matches (TPC-H Q21: 68 thousand lines against all of
// lineitem, whose scan the join's runtime filter then thins) and returns the flagged or the
// unflagged ones.
Result<Planned> PhysicalPlanner::PlanRightSemiOrAnti(const LogicalOperator& op, Planned left,
                                                     Planned right,
                                                     std::vector<ExpressionPtr> left_keys,
                                                     std::vector<ExpressionPtr> right_keys,
                                                     const std::vector<ExpressionPtr>& residual) {
  // The join's rows are the probe (right) columns followed by the build (left) ones.
  std::vector<int64_t> joined = right.layout;
  joined.insert(joined.end(), left.layout.begin(), left.layout.end());
  FLOE_ASSIGN_OR_RETURN(ExpressionPtr residual_expr,
                        Remap(binder::MakeConjunction(residual), joined));
  auto join = std::make_unique<execution::HashJoinOperator>(
      std::move(right.op), std::move(left.op),
      op.join_type == JoinType::kSemi ? execution::JoinType::kRightSemi
                                      : execution::JoinType::kRightAnti,
      std::move(right_keys), std::move(left_keys), residual_expr);
  PlaceRuntimeFilters(*join, next_runtime_filter_id_);
  Planned planned;
  planned.layout = std::move(left.layout);
  planned.op = std::move(join);
  return planned;
}

Result<Planned> PhysicalPlanner::PlanDistinct(Planned child,
                                              const std::vector<LogicalColumn>& columns) {
  FLOE_ASSIGN_OR_RETURN(child, Arrange(std::move(child), columns));
  std::vector<ExpressionPtr> groups;
  std::vector<std::string> names;
  for (size_t i = 0; i < columns.size(); ++i) {
    groups.push_back(
        Expression::ColumnRef(static_cast<int64_t>(i), columns[i].type, columns[i].name));
    names.push_back(columns[i].name);
  }
  Planned planned;
  planned.layout = child.layout;
  planned.op = std::make_unique<execution::HashAggregateOperator>(
      std::move(child.op), std::move(groups), std::vector<execution::AggregateSpec>{},
      std::move(names));
  return planned;
}

Result<Planned> PhysicalPlanner::PlanSetOperation(const LogicalOperator& op) {
  std::vector<Planned> inputs;
  for (const auto& child : op.children) {
    FLOE_ASSIGN_OR_RETURN(Planned input, Plan(*child));
    FLOE_ASSIGN_OR_RETURN(input, Arrange(std::move(input), child->columns));
    inputs.push_back(std::move(input));
  }
  std::vector<int64_t> layout = op.ColumnIds();
  if (op.set_operation == binder::SetOperationKind::kUnion) {
    std::vector<PhysicalOperatorPtr> children;
    for (Planned& input : inputs) {
      children.push_back(std::move(input.op));
    }
    Planned planned;
    planned.layout = layout;
    planned.op = std::make_unique<execution::UnionAllOperator>(std::move(children));
    if (op.is_all) {
      return planned;
    }
    return PlanDistinct(std::move(planned), op.columns);
  }
  if (op.is_all) {
    // Multiset semantics need per-row counts on both sides, which a join cannot give.
    Planned counted;
    counted.layout = layout;
    counted.op = std::make_unique<execution::SetOperationOperator>(
        std::move(inputs[0].op), std::move(inputs[1].op),
        op.set_operation == binder::SetOperationKind::kIntersect
            ? execution::SetOperationKind::kIntersect
            : execution::SetOperationKind::kExcept,
        true);
    return counted;
  }
  // INTERSECT and EXCEPT: distinct left rows with (without) a right row equal to them, NULLs
  // comparing equal.
  std::vector<ExpressionPtr> probe_keys;
  std::vector<ExpressionPtr> build_keys;
  for (size_t i = 0; i < op.columns.size(); ++i) {
    const LogicalColumn& left = op.children[0]->columns[i];
    const LogicalColumn& right = op.children[1]->columns[i];
    probe_keys.push_back(Expression::ColumnRef(static_cast<int64_t>(i), left.type, left.name));
    build_keys.push_back(Expression::ColumnRef(static_cast<int64_t>(i), right.type, right.name));
  }
  std::vector<bool> null_equals_null(op.columns.size(), true);
  Planned joined;
  joined.layout = layout;
  joined.op = std::make_unique<execution::HashJoinOperator>(
      std::move(inputs[0].op), std::move(inputs[1].op),
      op.set_operation == binder::SetOperationKind::kIntersect ? execution::JoinType::kSemi
                                                               : execution::JoinType::kAnti,
      std::move(probe_keys), std::move(build_keys), nullptr, std::move(null_equals_null));
  return PlanDistinct(std::move(joined), op.columns);
}

Result<Planned> PhysicalPlanner::PlanRecursiveCte(const LogicalOperator& op) {
  FLOE_ASSIGN_OR_RETURN(Planned anchor, Plan(*op.children[0]));
  FLOE_ASSIGN_OR_RETURN(anchor, Arrange(std::move(anchor), op.children[0]->columns));
  // Each iteration runs the recursive term with fresh operators, planned from a copy of its
  // logical plan that lives as long as the operator (the statement's plan may not).
  struct TermPlanning {
    std::shared_ptr<const LogicalOperator> term;
    std::vector<types::Value> parameters;
    PlannerContext context;
  };
  auto planning = std::make_shared<TermPlanning>();
  planning->term = binder::CloneLogicalPlan(*op.children[1]);
  planning->parameters.assign(context_.parameters.begin(), context_.parameters.end());
  planning->context = context_;
  planning->context.parameters = planning->parameters;
  auto make_term = [planning]() { return PlanPhysical(*planning->term, planning->context); };
  // Planned once here so that a term execution cannot run fails now, not after an iteration.
  FLOE_ASSIGN_OR_RETURN(execution::PhysicalOperatorPtr probe, make_term());
  (void)probe;
  Planned planned;
  planned.layout = op.ColumnIds();
  planned.op = std::make_unique<execution::RecursiveCteOperator>(
      SchemaOf(op.columns), op.source_name, std::move(anchor.op), std::move(make_term),
      op.work_table, op.is_all, context_.max_recursive_iterations);
  return planned;
}

Result<types::Value> PhysicalPlanner::EvaluateConstant(const ExpressionPtr& expr) {
  FLOE_ASSIGN_OR_RETURN(ExpressionPtr bound, Remap(expr, {}));
  FLOE_ASSIGN_OR_RETURN(vector::Batch one_row,
                        vector::Batch::Make(std::make_shared<const vector::Schema>(), {}, 1));
  FunctionContext function_context;
  function_context.statement_time_micros = context_.statement_time_micros;
  function_context.time_zone = context_.time_zone;
  execution::ExpressionEvaluator evaluator(&function_context);
  FLOE_ASSIGN_OR_RETURN(vector::Vector value, evaluator.Evaluate(*bound, one_row));
  return value.GetValue(0);
}

Status PhysicalPlanner::WrapOrderedAggregate(const binder::AggregateCall& call, bool is_ungrouped,
                                             const std::vector<int64_t>& layout,
                                             execution::AggregateSpec& spec) {
  if (call.is_within_group && is_ungrouped && call.function->name.starts_with("percentile_") &&
      call.arguments[0]->type().id() != types::TypeId::kList && call.arguments[0]->IsConstant()) {
    FLOE_ASSIGN_OR_RETURN(types::Value value, EvaluateConstant(call.arguments[0]));
    FLOE_ASSIGN_OR_RETURN(types::Value fraction,
                          types::CastValue(value, types::LogicalType::Double()));
    if (!fraction.is_null() && !(fraction.double_value() >= 0 && fraction.double_value() <= 1)) {
      return Status::OutOfRange("percentile value {} is not between 0 and 1",
                                fraction.double_value());
    }
  }
  std::vector<types::LogicalType> input_types;
  for (const ExpressionPtr& argument : spec.arguments) {
    input_types.push_back(argument->type());
  }
  binder::AggregateCall shown = call;
  shown.arguments = spec.arguments;
  if (call.filter != nullptr) {
    FLOE_ASSIGN_OR_RETURN(shown.filter, Remap(call.filter, layout));
    spec.arguments.push_back(shown.filter);
  }
  spec.text = shown.ToString();
  spec.function = MakeOrderedAggregate(
      std::move(spec.function), call.arguments.size() - call.num_sort_only_arguments,
      std::move(input_types), call.order_by, call.filter != nullptr);
  return Status::OK();
}

namespace {

bool IsNegative(const types::Value& value) {
  switch (value.type().id()) {
    case types::TypeId::kSmallInt:
      return value.smallint_value() < 0;
    case types::TypeId::kInteger:
      return value.integer_value() < 0;
    case types::TypeId::kBigInt:
      return value.bigint_value() < 0;
    case types::TypeId::kReal:
      return value.real_value() < 0;
    case types::TypeId::kDouble:
      return value.double_value() < 0;
    case types::TypeId::kDecimal:
      return value.decimal_value() < 0;
    case types::TypeId::kInterval: {
      // PostgreSQL compares intervals by their length with 30-day months.
      const types::Interval& interval = value.interval_value();
      constexpr types::Int128 kMicrosPerDay = types::Int128{86400} * 1000000;
      return types::Int128{interval.months} * 30 * kMicrosPerDay +
                 types::Int128{interval.days} * kMicrosPerDay + interval.micros <
             0;
    }
    default:
      return false;
  }
}

}  // namespace

// The offsets are checked when the statement runs, as PostgreSQL does: a parameter may hold
// any value.
Status PhysicalPlanner::PlanFrameOffsets(const binder::WindowCall& call,
                                         execution::WindowFrame& frame) {
  const bool is_range = frame.unit == execution::WindowFrame::Unit::kRange;
  for (bool is_start : {true, false}) {
    const ExpressionPtr& offset = is_start ? call.start_offset : call.end_offset;
    if (offset == nullptr) {
      continue;
    }
    std::string_view which = is_start ? "starting" : "ending";
    FLOE_ASSIGN_OR_RETURN(types::Value value, EvaluateConstant(offset));
    if (value.is_null()) {
      return Status::InvalidArgument("frame {} offset must not be null", which)
          .WithSqlState("22004");
    }
    if (IsNegative(value)) {
      if (is_range) {
        return Status::InvalidArgument("invalid preceding or following size in window function")
            .WithSqlState("22013");
      }
      return Status::InvalidArgument("frame {} offset must not be negative", which)
          .WithSqlState("22013");
    }
    if (!is_range) {
      (is_start ? frame.start_offset : frame.end_offset) = value.bigint_value();
    }
  }
  return Status::OK();
}

Result<Planned> PhysicalPlanner::PlanWindow(const LogicalOperator& op) {
  FLOE_ASSIGN_OR_RETURN(Planned child, Plan(*op.children[0]));
  std::vector<ExpressionPtr> partition_by;
  for (const ExpressionPtr& key : op.partition_by) {
    FLOE_ASSIGN_OR_RETURN(ExpressionPtr remapped, Remap(key, child.layout));
    partition_by.push_back(std::move(remapped));
  }
  std::vector<execution::SortKey> order_by;
  for (const binder::SortKey& key : op.sort_keys) {
    FLOE_ASSIGN_OR_RETURN(ExpressionPtr expr, Remap(key.expression, child.layout));
    order_by.push_back({.expr = std::move(expr),
                        .is_descending = key.is_descending,
                        .nulls_first = key.is_nulls_first});
  }
  const size_t first_column = op.columns.size() - op.window_calls.size();
  std::vector<execution::WindowFunctionSpec> functions;
  for (size_t c = 0; c < op.window_calls.size(); ++c) {
    const binder::WindowCall& call = op.window_calls[c];
    execution::WindowFunctionSpec spec;
    spec.kind = call.kind;
    if (call.aggregate != nullptr) {
      spec.aggregate = *call.aggregate;
    }
    for (const ExpressionPtr& argument : call.arguments) {
      FLOE_ASSIGN_OR_RETURN(ExpressionPtr arg, Remap(argument, child.layout));
      spec.arguments.push_back(std::move(arg));
    }
    FLOE_ASSIGN_OR_RETURN(spec.default_value, Remap(call.default_value, child.layout));
    spec.frame = call.frame;
    FLOE_RETURN_NOT_OK(PlanFrameOffsets(call, spec.frame));
    FLOE_ASSIGN_OR_RETURN(spec.range_key, Remap(call.range_key, child.layout));
    FLOE_ASSIGN_OR_RETURN(spec.range_start, Remap(call.range_start, child.layout));
    FLOE_ASSIGN_OR_RETURN(spec.range_end, Remap(call.range_end, child.layout));
    spec.type = call.type;
    spec.name = op.columns[first_column + c].name;
    functions.push_back(std::move(spec));
  }
  Planned planned;
  planned.layout = child.layout;
  for (size_t c = first_column; c < op.columns.size(); ++c) {
    planned.layout.push_back(op.columns[c].id);
  }
  planned.op = std::make_unique<execution::WindowOperator>(
      std::move(child.op), std::move(partition_by), std::move(order_by), std::move(functions));
  return planned;
}

Result<Planned> PhysicalPlanner::PlanTableFunction(const LogicalOperator& op) {
  FLOE_ASSIGN_OR_RETURN(Planned child, Plan(*op.children[0]));
  std::vector<ExpressionPtr> arguments;
  for (const ExpressionPtr& argument : op.expressions) {
    FLOE_ASSIGN_OR_RETURN(ExpressionPtr remapped, Remap(argument, child.layout));
    arguments.push_back(std::move(remapped));
  }
  const size_t first = op.children[0]->columns.size();
  const LogicalColumn& produced = op.columns[first];
  execution::TableFunctionKind kind = execution::TableFunctionKind::kUnnest;
  if (op.source_name == "generate_series") {
    const types::TypeId id = produced.type.id();
    kind = id == types::TypeId::kTimestamp || id == types::TypeId::kTimestampTz
               ? execution::TableFunctionKind::kTimestampSeries
               : execution::TableFunctionKind::kIntegerSeries;
  }
  Planned planned;
  planned.layout = child.layout;
  for (size_t c = first; c < op.columns.size(); ++c) {
    planned.layout.push_back(op.columns[c].id);
  }
  planned.op = std::make_unique<execution::TableFunctionOperator>(
      std::move(child.op), kind, op.source_name, std::move(arguments), produced.type,
      op.join_type == JoinType::kLeft, op.with_ordinality);
  return planned;
}

Result<Planned> PhysicalPlanner::Plan(const LogicalOperator& op) {
  Planned planned;
  switch (op.kind) {
    case LogicalKind::kGet: {
      FLOE_ASSIGN_OR_RETURN(planned, PlanGet(op));
      break;
    }
    case LogicalKind::kFilter: {
      FLOE_ASSIGN_OR_RETURN(Planned child, Plan(*op.children[0]));
      FLOE_ASSIGN_OR_RETURN(ExpressionPtr condition, Remap(op.condition, child.layout));
      planned.layout = child.layout;
      planned.op =
          std::make_unique<execution::FilterOperator>(std::move(child.op), std::move(condition));
      break;
    }
    case LogicalKind::kProject: {
      FLOE_ASSIGN_OR_RETURN(Planned child, Plan(*op.children[0]));
      std::vector<ExpressionPtr> expressions;
      std::vector<std::string> names;
      for (size_t i = 0; i < op.expressions.size(); ++i) {
        FLOE_ASSIGN_OR_RETURN(ExpressionPtr expr, Remap(op.expressions[i], child.layout));
        expressions.push_back(std::move(expr));
        names.push_back(op.columns[i].name);
      }
      planned.layout = op.ColumnIds();
      planned.op = std::make_unique<execution::ProjectionOperator>(
          std::move(child.op), std::move(expressions), std::move(names));
      break;
    }
    case LogicalKind::kAggregate: {
      FLOE_ASSIGN_OR_RETURN(Planned child, Plan(*op.children[0]));
      std::vector<ExpressionPtr> groups;
      std::vector<std::string> names;
      for (size_t i = 0; i < op.groups.size(); ++i) {
        FLOE_ASSIGN_OR_RETURN(ExpressionPtr group, Remap(op.groups[i], child.layout));
        groups.push_back(std::move(group));
        names.push_back(op.columns[i].name);
      }
      std::vector<execution::AggregateSpec> specs;
      for (size_t a = 0; a < op.aggregates.size(); ++a) {
        const binder::AggregateCall& call = op.aggregates[a];
        execution::AggregateSpec spec;
        spec.function = *call.function;
        for (const ExpressionPtr& argument : call.arguments) {
          FLOE_ASSIGN_OR_RETURN(ExpressionPtr arg, Remap(argument, child.layout));
          spec.arguments.push_back(std::move(arg));
        }
        if (!call.order_by.empty() || call.filter != nullptr) {
          FLOE_RETURN_NOT_OK(WrapOrderedAggregate(call, op.groups.empty(), child.layout, spec));
        }
        spec.is_distinct = call.is_distinct;
        spec.name = op.columns[op.groups.size() + a].name;
        specs.push_back(std::move(spec));
      }
      planned.layout = op.ColumnIds();
      auto aggregate = std::make_unique<execution::HashAggregateOperator>(
          std::move(child.op), std::move(groups), std::move(specs), std::move(names));
      aggregate->SetEmptyInputGroups(op.empty_input_groups);
      planned.op = std::move(aggregate);
      break;
    }
    case LogicalKind::kJoin: {
      FLOE_ASSIGN_OR_RETURN(planned, PlanJoin(op));
      break;
    }
    case LogicalKind::kSort: {
      FLOE_ASSIGN_OR_RETURN(Planned child, Plan(*op.children[0]));
      std::vector<execution::SortKey> keys;
      for (const binder::SortKey& key : op.sort_keys) {
        FLOE_ASSIGN_OR_RETURN(ExpressionPtr expr, Remap(key.expression, child.layout));
        keys.push_back({.expr = std::move(expr),
                        .is_descending = key.is_descending,
                        .nulls_first = key.is_nulls_first});
      }
      planned.layout = child.layout;
      planned.op = std::make_unique<execution::SortOperator>(std::move(child.op), std::move(keys),
                                                             op.limit, op.offset);
      break;
    }
    case LogicalKind::kLimit: {
      FLOE_ASSIGN_OR_RETURN(Planned child, Plan(*op.children[0]));
      planned.layout = child.layout;
      planned.op =
          std::make_unique<execution::LimitOperator>(std::move(child.op), op.limit, op.offset);
      break;
    }
    case LogicalKind::kDistinct: {
      FLOE_ASSIGN_OR_RETURN(Planned child, Plan(*op.children[0]));
      if (!op.distinct_on.empty()) {
        std::vector<ExpressionPtr> keys;
        for (const ExpressionPtr& key : op.distinct_on) {
          FLOE_ASSIGN_OR_RETURN(ExpressionPtr remapped, Remap(key, child.layout));
          keys.push_back(std::move(remapped));
        }
        std::shared_ptr<const vector::Schema> schema = child.op->output_schema();
        planned.layout = child.layout;
        planned.op =
            std::make_unique<DistinctOnOperator>(schema, std::move(child.op), std::move(keys));
        break;
      }
      FLOE_ASSIGN_OR_RETURN(planned, PlanDistinct(std::move(child), op.columns));
      break;
    }
    case LogicalKind::kSetOperation: {
      FLOE_ASSIGN_OR_RETURN(planned, PlanSetOperation(op));
      break;
    }
    case LogicalKind::kRecursiveCte: {
      FLOE_ASSIGN_OR_RETURN(planned, PlanRecursiveCte(op));
      break;
    }
    case LogicalKind::kEnforceSingleRow: {
      FLOE_ASSIGN_OR_RETURN(Planned child, Plan(*op.children[0]));
      planned.layout = child.layout;
      std::shared_ptr<const vector::Schema> schema = child.op->output_schema();
      planned.op = std::make_unique<EnforceSingleRowOperator>(schema, std::move(child.op));
      break;
    }
    case LogicalKind::kWindow: {
      FLOE_ASSIGN_OR_RETURN(planned, PlanWindow(op));
      break;
    }
    case LogicalKind::kTableFunction: {
      FLOE_ASSIGN_OR_RETURN(planned, PlanTableFunction(op));
      break;
    }
  }
  if (planned.op != nullptr && op.estimate.rows >= 0) {
    planned.op->set_estimated_rows(static_cast<int64_t>(op.estimate.rows));
  }
  return planned;
}

}  // namespace

Result<execution::PhysicalOperatorPtr> PlanPhysical(const binder::LogicalOperator& plan,
                                                    const PlannerContext& context) {
  PhysicalPlanner planner(context);
  FLOE_ASSIGN_OR_RETURN(Planned planned, planner.Plan(plan));
  FLOE_ASSIGN_OR_RETURN(planned, planner.Arrange(std::move(planned), plan.columns));
  return std::move(planned.op);
}

}  // namespace floe::sql::planner
