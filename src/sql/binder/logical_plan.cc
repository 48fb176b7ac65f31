#include "sql/binder/logical_plan.h"

#include <fmt/format.h>

namespace floe::sql::binder {
namespace {

std::string JoinExpressions(const std::vector<execution::ExpressionPtr>& expressions) {
  std::string text;
  for (const execution::ExpressionPtr& expr : expressions) {
    if (!text.empty()) {
      text += ", ";
    }
    text += expr->ToString();
  }
  return text;
}

std::string SourceDescription(const LogicalOperator& op) {
  switch (op.source) {
    case SourceKind::kSingleRow:
      return "SingleRow";
    case SourceKind::kEmpty:
      return "Empty";
    case SourceKind::kValues:
      return fmt::format("Values ({} rows)", op.values_rows.size());
    case SourceKind::kGenerateSeries:
      return "FunctionScan generate_series";
    case SourceKind::kIceberg:
      return fmt::format("IcebergScan {}", op.source_name);
    case SourceKind::kWorkTable:
      return fmt::format("WorkTableScan {}", op.source_name);
    case SourceKind::kCte:
      return fmt::format("CteScan {}", op.source_name);
    case SourceKind::kParquet: {
      std::string text = fmt::format("ParquetScan {} ({} file{})", op.source_name, op.files.size(),
                                     op.files.size() == 1 ? "" : "s");
      if (!op.parquet_predicates.empty()) {
        text += fmt::format(" pruning on {} predicate{}", op.parquet_predicates.size(),
                            op.parquet_predicates.size() == 1 ? "" : "s");
      }
      return text;
    }
  }
  return "Get";
}

std::string SetOperationName(SetOperationKind kind) {
  switch (kind) {
    case SetOperationKind::kUnion:
      return "Union";
    case SetOperationKind::kIntersect:
      return "Intersect";
    case SetOperationKind::kExcept:
      return "Except";
  }
  return "SetOperation";
}

std::string Describe(const LogicalOperator& op) {
  switch (op.kind) {
    case LogicalKind::kGet:
      return SourceDescription(op);
    case LogicalKind::kFilter:
      return "Filter " + op.condition->ToString();
    case LogicalKind::kProject:
      return "Project " + JoinExpressions(op.expressions);
    case LogicalKind::kAggregate: {
      std::string aggregates;
      for (const AggregateCall& call : op.aggregates) {
        if (!aggregates.empty()) {
          aggregates += ", ";
        }
        aggregates += call.ToString();
      }
      return fmt::format("Aggregate groups=[{}] aggregates=[{}]", JoinExpressions(op.groups),
                         aggregates);
    }
    case LogicalKind::kJoin:
      return fmt::format("Join {}{}", JoinTypeName(op.join_type),
                         op.condition ? " on " + op.condition->ToString() : "");
    case LogicalKind::kSort: {
      std::string keys;
      for (const SortKey& key : op.sort_keys) {
        if (!keys.empty()) {
          keys += ", ";
        }
        keys += key.expression->ToString() + (key.is_descending ? " DESC" : "");
      }
      return op.limit >= 0 ? fmt::format("TopN {} by {}", op.limit, keys) : "Sort " + keys;
    }
    case LogicalKind::kLimit:
      return fmt::format("Limit {} offset {}", op.limit, op.offset);
    case LogicalKind::kDistinct:
      return op.distinct_on.empty() ? "Distinct" : "Distinct on " + JoinExpressions(op.distinct_on);
    case LogicalKind::kSetOperation:
      return SetOperationName(op.set_operation) + (op.is_all ? " All" : "");
    case LogicalKind::kEnforceSingleRow:
      return "EnforceSingleRow";
    case LogicalKind::kWindow: {
      std::string keys;
      for (const SortKey& key : op.sort_keys) {
        if (!keys.empty()) {
          keys += ", ";
        }
        keys += key.expression->ToString() + (key.is_descending ? " DESC" : "");
      }
      std::string calls;
      for (const WindowCall& call : op.window_calls) {
        if (!calls.empty()) {
          calls += ", ";
        }
        calls += call.ToString();
      }
      return fmt::format("Window partition=[{}] order=[{}] functions=[{}]",
                         JoinExpressions(op.partition_by), keys, calls);
    }
    case LogicalKind::kRecursiveCte:
      return fmt::format("RecursiveUnion{} {}", op.is_all ? " All" : "", op.source_name);
    case LogicalKind::kTableFunction:
      return fmt::format("TableFunction {}({}){}{}", op.source_name,
                         JoinExpressions(op.expressions),
                         op.join_type == JoinType::kLeft ? " keeping rows without values" : "",
                         op.with_ordinality ? " with ordinality" : "");
  }
  return "?";
}

void Print(const LogicalOperator& op, int depth, std::string& out) {
  out += std::string(static_cast<size_t>(depth) * 2, ' ');
  out += Describe(op);
  out += '\n';
  for (const LogicalOperatorPtr& child : op.children) {
    Print(*child, depth + 1, out);
  }
}

}  // namespace

std::string AggregateCall::ToString() const {
  std::string text = function->name + "(";
  if (is_distinct) {
    text += "DISTINCT ";
  }
  // Direct and plain arguments; WITHIN GROUP's and sort-only ones show in the ORDER BY.
  const size_t shown = is_within_group ? arguments.size() - order_by.size()
                                       : arguments.size() - num_sort_only_arguments;
  for (size_t i = 0; i < shown; ++i) {
    text += (i > 0 ? ", " : "") + arguments[i]->ToString();
  }
  if (arguments.empty()) {
    text += "*";
  }
  if (!order_by.empty()) {
    text += is_within_group ? ") WITHIN GROUP (ORDER BY " : " ORDER BY ";
    for (size_t k = 0; k < order_by.size(); ++k) {
      text += (k > 0 ? ", " : "") + arguments[order_by[k].column]->ToString() +
              (order_by[k].is_descending ? " DESC" : "") +
              (order_by[k].is_nulls_first ? " NULLS FIRST" : " NULLS LAST");
    }
  }
  text += ")";
  if (filter != nullptr) {
    text += " FILTER (WHERE " + filter->ToString() + ")";
  }
  return text;
}

std::string WindowCall::ToString() const {
  std::string text = name + "(" + JoinExpressions(arguments);
  if (default_value != nullptr) {
    text += ", " + default_value->ToString();
  }
  text += ")";
  if (!execution::UsesFrame(kind)) {
    return text;
  }
  auto bound = [](execution::WindowFrame::Bound kind, const execution::ExpressionPtr& offset) {
    switch (kind) {
      case execution::WindowFrame::Bound::kUnboundedPreceding:
        return std::string("UNBOUNDED PRECEDING");
      case execution::WindowFrame::Bound::kPreceding:
        return offset->ToString() + " PRECEDING";
      case execution::WindowFrame::Bound::kCurrentRow:
        return std::string("CURRENT ROW");
      case execution::WindowFrame::Bound::kFollowing:
        return offset->ToString() + " FOLLOWING";
      case execution::WindowFrame::Bound::kUnboundedFollowing:
        return std::string("UNBOUNDED FOLLOWING");
    }
    return std::string("?");
  };
  text += frame.unit == execution::WindowFrame::Unit::kRows    ? " ROWS"
          : frame.unit == execution::WindowFrame::Unit::kRange ? " RANGE"
                                                               : " GROUPS";
  text += " BETWEEN " + bound(frame.start, start_offset) + " AND " + bound(frame.end, end_offset);
  static constexpr std::string_view kExclusions[] = {"", " EXCLUDE CURRENT ROW", " EXCLUDE GROUP",
                                                     " EXCLUDE TIES"};
  text += kExclusions[static_cast<size_t>(frame.exclusion)];
  return text;
}

std::vector<int64_t> LogicalOperator::ColumnIds() const {
  std::vector<int64_t> ids;
  ids.reserve(columns.size());
  for (const LogicalColumn& column : columns) {
    ids.push_back(column.id);
  }
  return ids;
}

int64_t LogicalOperator::IndexOfColumn(int64_t id) const {
  for (size_t i = 0; i < columns.size(); ++i) {
    if (columns[i].id == id) {
      return static_cast<int64_t>(i);
    }
  }
  return -1;
}

std::string_view JoinTypeName(JoinType type) {
  switch (type) {
    case JoinType::kInner:
      return "INNER";
    case JoinType::kLeft:
      return "LEFT";
    case JoinType::kRight:
      return "RIGHT";
    case JoinType::kFull:
      return "FULL";
    case JoinType::kSemi:
      return "SEMI";
    case JoinType::kAnti:
      return "ANTI";
    case JoinType::kMark:
      return "MARK";
    case JoinType::kCross:
      return "CROSS";
  }
  return "?";
}

LogicalOperatorPtr CloneLogicalPlan(const LogicalOperator& plan) {
  auto copy = std::make_unique<LogicalOperator>();
  copy->kind = plan.kind;
  for (const LogicalOperatorPtr& child : plan.children) {
    copy->children.push_back(CloneLogicalPlan(*child));
  }
  copy->columns = plan.columns;
  copy->source = plan.source;
  copy->source_name = plan.source_name;
  copy->values_rows = plan.values_rows;
  copy->series_arguments = plan.series_arguments;
  copy->files = plan.files;
  copy->parquet_columns = plan.parquet_columns;
  copy->parquet_predicates = plan.parquet_predicates;
  copy->iceberg_filter = plan.iceberg_filter;
  copy->iceberg_snapshot_id = plan.iceberg_snapshot_id;
  copy->iceberg_table = plan.iceberg_table;
  copy->field_ids = plan.field_ids;
  copy->condition = plan.condition;
  copy->expressions = plan.expressions;
  copy->groups = plan.groups;
  copy->aggregates = plan.aggregates;
  copy->empty_input_groups = plan.empty_input_groups;
  copy->join_type = plan.join_type;
  copy->sort_keys = plan.sort_keys;
  copy->partition_by = plan.partition_by;
  copy->window_calls = plan.window_calls;
  copy->limit = plan.limit;
  copy->offset = plan.offset;
  copy->distinct_on = plan.distinct_on;
  copy->set_operation = plan.set_operation;
  copy->is_all = plan.is_all;
  copy->with_ordinality = plan.with_ordinality;
  copy->work_table = plan.work_table;
  copy->cte = plan.cte;
  copy->estimate = plan.estimate;
  return copy;
}

std::string LogicalPlanToString(const LogicalOperator& plan) {
  std::string out;
  Print(plan, 0, out);
  return out;
}

}  // namespace floe::sql::binder
