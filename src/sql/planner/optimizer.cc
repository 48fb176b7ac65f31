#include "sql/planner/optimizer.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "sql/binder/expression_rewriter.h"
#include "sql/execution/expression_evaluator.h"
#include "sql/planner/cast_comparison.h"
#include "sql/planner/iceberg_filter.h"

namespace floe::sql::planner {
namespace {

using binder::JoinType;
using binder::LogicalColumn;
using binder::LogicalKind;
using binder::LogicalOperator;
using binder::LogicalOperatorPtr;
using binder::SourceKind;
using execution::Expression;
using execution::ExpressionKind;
using execution::ExpressionPtr;
using IdSet = std::unordered_set<int64_t>;

IdSet OutputIds(const LogicalOperator& op) {
  IdSet ids;
  for (const LogicalColumn& column : op.columns) {
    ids.insert(column.id);
  }
  return ids;
}

LogicalOperatorPtr WrapFilter(LogicalOperatorPtr child, std::vector<ExpressionPtr> conditions) {
  if (conditions.empty()) {
    return child;
  }
  auto filter = std::make_unique<LogicalOperator>();
  filter->kind = LogicalKind::kFilter;
  filter->condition = binder::MakeConjunction(std::move(conditions));
  filter->columns = child->columns;
  filter->estimate = child->estimate;
  filter->children.push_back(std::move(child));
  return filter;
}

bool IsFalseOrNull(const ExpressionPtr& expr) {
  return expr->kind() == ExpressionKind::kConstant &&
         (expr->value().is_null() || !expr->value().boolean_value());
}

bool IsTrue(const ExpressionPtr& expr) {
  return expr->kind() == ExpressionKind::kConstant && !expr->value().is_null() &&
         expr->value().boolean_value();
}

void RefreshColumns(LogicalOperator& op) {
  switch (op.kind) {
    case LogicalKind::kFilter:
    case LogicalKind::kSort:
    case LogicalKind::kLimit:
    case LogicalKind::kDistinct:
    case LogicalKind::kEnforceSingleRow:
      op.columns = op.children[0]->columns;
      return;
    case LogicalKind::kJoin: {
      std::vector<LogicalColumn> columns = op.children[0]->columns;
      if (op.join_type == JoinType::kMark) {
        columns.push_back(op.columns.back());
      } else if (op.join_type != JoinType::kSemi && op.join_type != JoinType::kAnti) {
        columns.insert(columns.end(), op.children[1]->columns.begin(),
                       op.children[1]->columns.end());
      }
      op.columns = std::move(columns);
      return;
    }
    case LogicalKind::kWindow: {
      // The child's columns, then one per window call.
      std::vector<LogicalColumn> columns = op.children[0]->columns;
      columns.insert(columns.end(), op.columns.end() - static_cast<long>(op.window_calls.size()),
                     op.columns.end());
      op.columns = std::move(columns);
      return;
    }
    case LogicalKind::kTableFunction: {
      // The child's columns, then the function's and the ordinal.
      std::vector<LogicalColumn> columns = op.children[0]->columns;
      const long produced = op.with_ordinality ? 2 : 1;
      columns.insert(columns.end(), op.columns.end() - produced, op.columns.end());
      op.columns = std::move(columns);
      return;
    }
    default:
      return;
  }
}

// ---- Constant folding ----

class ConstantFolder {
 public:
  ConstantFolder(int64_t statement_time_micros, const types::TimeZone* time_zone) {
    context_.statement_time_micros = statement_time_micros;
    context_.time_zone = time_zone;
  }

  ExpressionPtr Fold(const ExpressionPtr& expr) {
    if (expr == nullptr) {
      return expr;
    }
    return binder::RewriteExpression(expr, [&](const ExpressionPtr& node) -> ExpressionPtr {
      if (node->kind() == ExpressionKind::kConstant) {
        return nullptr;
      }
      if (!node->IsConstant()) {
        // Children are folded first, so `d < DATE '1994-01-01' + INTERVAL '1' YEAR` arrives
        // with its timestamp bound and leaves as a date comparison Parquet can prune by.
        return SimplifyCastComparison(node);
      }
      Result<vector::Batch> one_row =
          vector::Batch::Make(std::make_shared<const vector::Schema>(), {}, 1);
      if (!one_row.ok()) {
        return nullptr;
      }
      execution::ExpressionEvaluator evaluator(&context_);
      Result<vector::Vector> value = evaluator.Evaluate(*node, *one_row);
      if (!value.ok()) {
        return nullptr;  // Left for run time: the row that reaches it decides the error.
      }
      Result<types::Value> scalar = value->GetValue(0);
      if (!scalar.ok()) {
        return nullptr;
      }
      if (scalar->is_null()) {
        return Expression::Constant(types::Value::Null(node->type()));
      }
      return Expression::Constant(std::move(*scalar));
    });
  }

  void FoldPlan(LogicalOperator& op) {
    op.condition = Fold(op.condition);
    for (auto& expr : op.expressions) {
      expr = Fold(expr);
    }
    for (auto& expr : op.groups) {
      expr = Fold(expr);
    }
    for (auto& call : op.aggregates) {
      for (auto& expr : call.arguments) {
        expr = Fold(expr);
      }
      call.filter = Fold(call.filter);
    }
    for (auto& key : op.sort_keys) {
      key.expression = Fold(key.expression);
    }
    for (auto& expr : op.partition_by) {
      expr = Fold(expr);
    }
    for (auto& call : op.window_calls) {
      for (auto& expr : call.arguments) {
        expr = Fold(expr);
      }
      call.default_value = Fold(call.default_value);
    }
    for (auto& row : op.values_rows) {
      for (auto& expr : row) {
        expr = Fold(expr);
      }
    }
    for (auto& child : op.children) {
      FoldPlan(*child);
    }
  }

 private:
  FunctionContext context_;
};

// ---- Filter pushdown ----

// (a AND b) OR (a AND c) is a AND (b OR c): conjuncts common to every branch of an OR become
// conditions of their own, which can then be pushed down or used as join keys (TPC-H Q19).
std::vector<ExpressionPtr> FactorOr(const ExpressionPtr& expr) {
  if (expr->kind() != ExpressionKind::kOr) {
    return {expr};
  }
  std::vector<std::vector<ExpressionPtr>> branches;
  for (const ExpressionPtr& branch : expr->children()) {
    branches.push_back(execution::SplitConjuncts(branch));
  }
  std::vector<ExpressionPtr> common;
  for (const ExpressionPtr& candidate : branches[0]) {
    bool everywhere = !candidate->HasVolatile();
    for (size_t b = 1; everywhere && b < branches.size(); ++b) {
      everywhere =
          std::any_of(branches[b].begin(), branches[b].end(),
                      [&](const ExpressionPtr& other) { return other->Equals(*candidate); });
    }
    bool seen = std::any_of(common.begin(), common.end(),
                            [&](const ExpressionPtr& other) { return other->Equals(*candidate); });
    if (everywhere && !seen) {
      common.push_back(candidate);
    }
  }
  if (common.empty()) {
    return {expr};
  }
  std::vector<ExpressionPtr> remainders;
  for (const auto& branch : branches) {
    std::vector<ExpressionPtr> rest;
    for (const ExpressionPtr& conjunct : branch) {
      bool is_common = std::any_of(common.begin(), common.end(),
                                   [&](const ExpressionPtr& c) { return c->Equals(*conjunct); });
      if (!is_common) {
        rest.push_back(conjunct);
      }
    }
    if (rest.empty()) {
      return common;  // One branch is just the common part: the OR adds nothing.
    }
    remainders.push_back(binder::MakeConjunction(std::move(rest)));
  }
  common.push_back(Expression::Or(std::move(remainders)));
  return common;
}

LogicalOperatorPtr PushDown(LogicalOperatorPtr op, std::vector<ExpressionPtr> pending);

LogicalOperatorPtr MakeEmpty(const LogicalOperator& op) {
  auto empty = std::make_unique<LogicalOperator>();
  empty->kind = LogicalKind::kGet;
  empty->source = SourceKind::kEmpty;
  empty->source_name = "false filter";
  empty->columns = op.columns;
  empty->estimate.rows = 0;
  empty->estimate.is_exact = true;
  return empty;
}

LogicalOperatorPtr PushDownJoin(LogicalOperatorPtr op, std::vector<ExpressionPtr> pending) {
  IdSet left_ids = OutputIds(*op->children[0]);
  IdSet right_ids = OutputIds(*op->children[1]);
  std::vector<ExpressionPtr> to_left;
  std::vector<ExpressionPtr> to_right;
  std::vector<ExpressionPtr> keep_above;
  std::vector<ExpressionPtr> join_conditions;
  std::vector<ExpressionPtr> own;
  if (op->condition != nullptr) {
    own = execution::SplitConjuncts(op->condition);
  }
  JoinType type = op->join_type;
  if (type == JoinType::kInner || type == JoinType::kCross) {
    own.insert(own.end(), pending.begin(), pending.end());
    for (const ExpressionPtr& conjunct : own) {
      if (IsTrue(conjunct)) {
        continue;
      }
      bool column_free = conjunct->IsColumnFree();
      if (!column_free && binder::ReferencesOnly(*conjunct, left_ids)) {
        to_left.push_back(conjunct);
      } else if (!column_free && binder::ReferencesOnly(*conjunct, right_ids)) {
        to_right.push_back(conjunct);
      } else {
        join_conditions.push_back(conjunct);
      }
    }
    op->join_type = JoinType::kInner;
  } else {
    // Conditions of the WHERE above an outer, semi, anti or mark join may go to the preserved
    // (left) side only; the join's own conditions may go to the right side (they only decide
    // matches there).
    for (const ExpressionPtr& conjunct : pending) {
      bool to_preserved = (type == JoinType::kLeft || type == JoinType::kSemi ||
                           type == JoinType::kAnti || type == JoinType::kMark) &&
                          !conjunct->IsColumnFree() && binder::ReferencesOnly(*conjunct, left_ids);
      bool to_right_side = type == JoinType::kRight && !conjunct->IsColumnFree() &&
                           binder::ReferencesOnly(*conjunct, right_ids);
      if (to_preserved) {
        to_left.push_back(conjunct);
      } else if (to_right_side) {
        to_right.push_back(conjunct);
      } else {
        keep_above.push_back(conjunct);
      }
    }
    for (const ExpressionPtr& conjunct : own) {
      bool right_only = !conjunct->IsColumnFree() && binder::ReferencesOnly(*conjunct, right_ids);
      bool left_only = !conjunct->IsColumnFree() && binder::ReferencesOnly(*conjunct, left_ids);
      if (right_only && type != JoinType::kRight && type != JoinType::kFull) {
        to_right.push_back(conjunct);
      } else if (left_only && type == JoinType::kRight) {
        to_left.push_back(conjunct);
      } else {
        join_conditions.push_back(conjunct);
      }
    }
  }
  op->children[0] = PushDown(std::move(op->children[0]), std::move(to_left));
  op->children[1] = PushDown(std::move(op->children[1]), std::move(to_right));
  op->condition = binder::MakeConjunction(std::move(join_conditions));
  if (op->condition == nullptr && type != JoinType::kInner && type != JoinType::kCross &&
      type != JoinType::kSemi && type != JoinType::kAnti) {
    op->condition = Expression::Constant(types::Value::Boolean(true));
  }
  RefreshColumns(*op);
  return WrapFilter(std::move(op), std::move(keep_above));
}

// Pushes into the single child of `op` the pending conditions that read only columns in `ids`
// (and are neither constant nor volatile); the others stay above `op`.
LogicalOperatorPtr PushDownReading(LogicalOperatorPtr op, std::vector<ExpressionPtr> pending,
                                   const IdSet& ids) {
  std::vector<ExpressionPtr> below;
  std::vector<ExpressionPtr> above;
  for (const ExpressionPtr& condition : pending) {
    if (!condition->IsColumnFree() && !condition->HasVolatile() &&
        binder::ReferencesOnly(*condition, ids)) {
      below.push_back(condition);
    } else {
      above.push_back(condition);
    }
  }
  op->children[0] = PushDown(std::move(op->children[0]), std::move(below));
  RefreshColumns(*op);
  return WrapFilter(std::move(op), std::move(above));
}

LogicalOperatorPtr PushDown(LogicalOperatorPtr op, std::vector<ExpressionPtr> pending) {
  for (const ExpressionPtr& condition : pending) {
    if (IsFalseOrNull(condition) && op->kind != LogicalKind::kAggregate) {
      return MakeEmpty(*op);
    }
  }
  switch (op->kind) {
    case LogicalKind::kFilter: {
      for (const ExpressionPtr& conjunct : execution::SplitConjuncts(op->condition)) {
        for (const ExpressionPtr& factor : FactorOr(conjunct)) {
          if (!IsTrue(factor)) {
            pending.push_back(factor);
          }
        }
      }
      return PushDown(std::move(op->children[0]), std::move(pending));
    }
    case LogicalKind::kProject: {
      std::unordered_map<int64_t, ExpressionPtr> definitions;
      for (size_t i = 0; i < op->columns.size(); ++i) {
        definitions[op->columns[i].id] = op->expressions[i];
      }
      std::vector<ExpressionPtr> below;
      std::vector<ExpressionPtr> above;
      for (const ExpressionPtr& condition : pending) {
        ExpressionPtr rewritten = binder::ReplaceColumns(condition, definitions);
        if (rewritten->HasVolatile()) {
          above.push_back(condition);
        } else {
          below.push_back(rewritten);
        }
      }
      op->children[0] = PushDown(std::move(op->children[0]), std::move(below));
      return WrapFilter(std::move(op), std::move(above));
    }
    case LogicalKind::kAggregate: {
      std::unordered_map<int64_t, ExpressionPtr> groups;
      IdSet group_ids;
      for (size_t g = 0; g < op->groups.size(); ++g) {
        groups[op->columns[g].id] = op->groups[g];
        group_ids.insert(op->columns[g].id);
      }
      std::vector<ExpressionPtr> below;
      std::vector<ExpressionPtr> above;
      for (const ExpressionPtr& condition : pending) {
        // Only with keys: an aggregate without GROUP BY returns a row even for no input, and
        // so does the () set of grouping sets.
        if (!op->groups.empty() && op->empty_input_groups.empty() && !condition->IsColumnFree() &&
            binder::ReferencesOnly(*condition, group_ids) && !condition->HasVolatile()) {
          below.push_back(binder::ReplaceColumns(condition, groups));
        } else {
          above.push_back(condition);
        }
      }
      op->children[0] = PushDown(std::move(op->children[0]), std::move(below));
      return WrapFilter(std::move(op), std::move(above));
    }
    case LogicalKind::kJoin:
      return PushDownJoin(std::move(op), std::move(pending));
    case LogicalKind::kWindow: {
      // A condition on partition keys alone keeps or drops whole partitions, which leaves the
      // window values of the rows kept unchanged; any other condition must see them first.
      IdSet partition_ids;
      for (const ExpressionPtr& key : op->partition_by) {
        if (key->kind() == ExpressionKind::kColumnRef) {
          partition_ids.insert(key->column_index());
        }
      }
      return PushDownReading(std::move(op), std::move(pending), partition_ids);
    }
    case LogicalKind::kTableFunction: {
      // A condition on the input's columns alone keeps or drops input rows with all they
      // expand to, so it may run before the function.
      IdSet input_ids = OutputIds(*op->children[0]);
      return PushDownReading(std::move(op), std::move(pending), input_ids);
    }
    case LogicalKind::kSort:
    case LogicalKind::kDistinct: {
      if (op->kind == LogicalKind::kDistinct && !op->distinct_on.empty()) {
        op->children[0] = PushDown(std::move(op->children[0]), {});
        return WrapFilter(std::move(op), std::move(pending));
      }
      op->children[0] = PushDown(std::move(op->children[0]), std::move(pending));
      RefreshColumns(*op);
      return op;
    }
    case LogicalKind::kSetOperation: {
      std::vector<ExpressionPtr> above;
      std::vector<std::vector<ExpressionPtr>> per_child(op->children.size());
      for (const ExpressionPtr& condition : pending) {
        if (condition->HasVolatile()) {
          above.push_back(condition);
          continue;
        }
        for (size_t c = 0; c < op->children.size(); ++c) {
          std::unordered_map<int64_t, ExpressionPtr> mapping;
          for (size_t i = 0; i < op->columns.size(); ++i) {
            const LogicalColumn& column = op->children[c]->columns[i];
            mapping[op->columns[i].id] = Expression::ColumnRef(column.id, column.type, column.name);
          }
          per_child[c].push_back(binder::ReplaceColumns(condition, mapping));
        }
      }
      for (size_t c = 0; c < op->children.size(); ++c) {
        op->children[c] = PushDown(std::move(op->children[c]), std::move(per_child[c]));
      }
      return WrapFilter(std::move(op), std::move(above));
    }
    default: {
      for (auto& child : op->children) {
        child = PushDown(std::move(child), {});
      }
      return WrapFilter(std::move(op), std::move(pending));
    }
  }
}

// ---- Cardinality estimates ----

double Selectivity(const ExpressionPtr& condition) {
  double selectivity = 1;
  for (const ExpressionPtr& conjunct : execution::SplitConjuncts(condition)) {
    switch (conjunct->kind()) {
      case ExpressionKind::kFunction: {
        const std::string& name = conjunct->function().name;
        if (name == "=") {
          selectivity *= 0.1;
        } else if (name == "<" || name == "<=" || name == ">" || name == ">=") {
          selectivity *= 0.4;
        } else if (name == "~~" || name == "~~*") {
          selectivity *= 0.25;
        } else {
          selectivity *= 0.5;
        }
        break;
      }
      case ExpressionKind::kInList:
        selectivity *=
            conjunct->negated()
                ? 0.9
                : std::min(1.0, 0.1 * static_cast<double>(conjunct->children().size() - 1));
        break;
      case ExpressionKind::kOr:
        selectivity *= 0.6;
        break;
      case ExpressionKind::kIsNull:
        selectivity *= 0.05;
        break;
      case ExpressionKind::kConstant:
        selectivity *= IsTrue(conjunct) ? 1.0 : 0.0;
        break;
      default:
        selectivity *= 0.5;
        break;
    }
  }
  return selectivity;
}

// What join ordering knows about a column's values: how many distinct ones the statistics
// allow (0 when they say nothing), and how many rows its source had.
struct ColumnDistinct {
  double known = 0;
  double source_rows = 1;
};
using DistinctCounts = std::unordered_map<int64_t, ColumnDistinct>;

// Returns the column an equi-join key reads (through a cast), or nullptr for an expression.
const ColumnDistinct* KeyColumn(const Expression& side, const DistinctCounts& distinct) {
  const Expression* column = &side;
  if (column->kind() == ExpressionKind::kCast) {
    column = &column->child(0);
  }
  if (column->kind() != ExpressionKind::kColumnRef) {
    return nullptr;
  }
  auto found = distinct.find(column->column_index());
  return found == distinct.end() ? nullptr : &found->second;
}

// The distinct values of the keys `a` (on a side of `a_rows` rows) and `b` of one equality.
// Counts the statistics give are used as they are; a key without one is assumed to draw its
// values from the other key's (containment), and when neither is known the side whose source
// has fewer rows is taken to hold a unique key (a key–foreign-key join). No side has more
// distinct values than rows.
std::pair<double, double> KeyDistinct(const Expression& a, double a_rows, const Expression& b,
                                      double b_rows, const DistinctCounts& distinct) {
  const ColumnDistinct* a_column = KeyColumn(a, distinct);
  const ColumnDistinct* b_column = KeyColumn(b, distinct);
  double a_known = a_column != nullptr ? a_column->known : 0;
  double b_known = b_column != nullptr ? b_column->known : 0;
  double a_source = a_column != nullptr ? a_column->source_rows : a_rows;
  double b_source = b_column != nullptr ? b_column->source_rows : b_rows;
  double a_count = a_known;
  double b_count = b_known;
  if (a_known == 0 && b_known == 0) {
    a_count = b_count = std::min(a_source, b_source);
  } else if (a_known == 0) {
    a_count = std::min(a_source, b_known);
  } else if (b_known == 0) {
    b_count = std::min(b_source, a_known);
  }
  return {std::max(1.0, std::min(a_count, a_rows)), std::max(1.0, std::min(b_count, b_rows))};
}

// |L|·|R| / max(ndv(left key), ndv(right key)) for an equi-join; with several equalities the
// most selective one decides (keys are often correlated, so multiplying would underestimate).
// Other conditions count 0.5 each.
double JoinEstimate(double left_rows, double right_rows,
                    const std::vector<ExpressionPtr>& conditions, const IdSet& left_ids,
                    const IdSet& right_ids, const DistinctCounts& distinct) {
  double denominator = 0;
  double residual = 1;
  for (const ExpressionPtr& conjunct : conditions) {
    bool is_equality = conjunct->kind() == ExpressionKind::kFunction &&
                       conjunct->function().name == "=" && conjunct->children().size() == 2;
    if (is_equality) {
      const Expression* a = &conjunct->child(0);
      const Expression* b = &conjunct->child(1);
      if (binder::ReferencesOnly(*a, right_ids) && binder::ReferencesOnly(*b, left_ids)) {
        std::swap(a, b);
      }
      if (binder::ReferencesOnly(*a, left_ids) && binder::ReferencesOnly(*b, right_ids)) {
        auto [a_count, b_count] = KeyDistinct(*a, left_rows, *b, right_rows, distinct);
        denominator = std::max(denominator, std::max(a_count, b_count));
        continue;
      }
    }
    residual *= 0.5;
  }
  double rows = left_rows * right_rows * residual;
  if (denominator > 0) {
    rows /= denominator;
  }
  return std::max(1.0, rows);
}

// After an inner join on a = b, both keys hold only the values they share: the smaller count.
void NarrowJoinKeys(double left_rows, double right_rows,
                    const std::vector<ExpressionPtr>& conditions, const IdSet& left_ids,
                    const IdSet& right_ids, DistinctCounts& distinct) {
  for (const ExpressionPtr& conjunct : conditions) {
    if (conjunct->kind() != ExpressionKind::kFunction || conjunct->function().name != "=" ||
        conjunct->children().size() != 2) {
      continue;
    }
    const Expression* a = &conjunct->child(0);
    const Expression* b = &conjunct->child(1);
    if (binder::ReferencesOnly(*a, right_ids) && binder::ReferencesOnly(*b, left_ids)) {
      std::swap(a, b);
    }
    if (!binder::ReferencesOnly(*a, left_ids) || !binder::ReferencesOnly(*b, right_ids)) {
      continue;
    }
    auto [a_count, b_count] = KeyDistinct(*a, left_rows, *b, right_rows, distinct);
    const double shared = std::min(a_count, b_count);
    for (const Expression* side : {a, b}) {
      const Expression& column = side->kind() == ExpressionKind::kCast ? side->child(0) : *side;
      if (column.kind() == ExpressionKind::kColumnRef) {
        ColumnDistinct& entry = distinct[column.column_index()];
        entry.known = shared;
        entry.source_rows = std::max(entry.source_rows, shared);
      }
    }
  }
}

double Estimate(LogicalOperator& op, DistinctCounts& distinct) {
  for (auto& child : op.children) {
    Estimate(*child, distinct);
  }
  double rows = 1;
  switch (op.kind) {
    case LogicalKind::kGet:
      rows = std::max(0.0, op.estimate.rows);
      for (const LogicalColumn& column : op.columns) {
        ColumnDistinct& entry = distinct[column.id];
        entry.source_rows = std::max(1.0, rows);
        auto found = op.estimate.distinct.find(column.id);
        if (found != op.estimate.distinct.end()) {
          entry.known = std::max(1.0, std::min(found->second, entry.source_rows));
        } else if (op.source == SourceKind::kGenerateSeries) {
          entry.known = entry.source_rows;
        } else {
          entry.known = 0;
        }
      }
      break;
    case LogicalKind::kFilter:
      rows = op.children[0]->estimate.rows * Selectivity(op.condition);
      break;
    case LogicalKind::kProject:
      rows = op.children[0]->estimate.rows;
      for (size_t i = 0; i < op.columns.size(); ++i) {
        const ExpressionPtr& expr = op.expressions[i];
        if (expr->kind() == ExpressionKind::kColumnRef && distinct.count(expr->column_index())) {
          distinct[op.columns[i].id] = distinct[expr->column_index()];
        }
      }
      break;
    case LogicalKind::kAggregate:
      rows = op.groups.empty() ? 1 : std::max(1.0, op.children[0]->estimate.rows * 0.25);
      for (const LogicalColumn& column : op.columns) {
        distinct[column.id] = {.known = rows, .source_rows = rows};
      }
      break;
    case LogicalKind::kJoin: {
      double left = op.children[0]->estimate.rows;
      double right = op.children[1]->estimate.rows;
      switch (op.join_type) {
        case JoinType::kInner:
        case JoinType::kCross: {
          std::vector<ExpressionPtr> conditions;
          if (op.condition != nullptr) {
            conditions = execution::SplitConjuncts(op.condition);
          }
          IdSet left_ids = OutputIds(*op.children[0]);
          IdSet right_ids = OutputIds(*op.children[1]);
          rows = JoinEstimate(left, right, conditions, left_ids, right_ids, distinct);
          NarrowJoinKeys(left, right, conditions, left_ids, right_ids, distinct);
          break;
        }
        case JoinType::kLeft:
          rows = std::max(left, std::min(left * right, right));
          break;
        case JoinType::kRight:
          rows = std::max(right, std::min(left * right, left));
          break;
        case JoinType::kFull:
          rows = left + right;
          break;
        case JoinType::kSemi:
        case JoinType::kAnti:
          rows = left * 0.5;
          break;
        case JoinType::kMark:
          rows = left;
          break;
      }
      break;
    }
    case LogicalKind::kSort:
      rows = op.children[0]->estimate.rows;
      if (op.limit >= 0) {
        rows = std::min(rows, static_cast<double>(op.limit));
      }
      break;
    case LogicalKind::kLimit:
      rows = op.limit >= 0 ? std::min(op.children[0]->estimate.rows, static_cast<double>(op.limit))
                           : op.children[0]->estimate.rows;
      break;
    case LogicalKind::kDistinct:
      rows = op.children[0]->estimate.rows * 0.5;
      break;
    case LogicalKind::kSetOperation:
      rows = op.children[0]->estimate.rows + op.children[1]->estimate.rows;
      break;
    case LogicalKind::kEnforceSingleRow:
      rows = 1;
      break;
    case LogicalKind::kWindow:
      rows = op.children[0]->estimate.rows;
      break;
    case LogicalKind::kTableFunction:
      // Unknown per row; PostgreSQL assumes 10 rows a call for unnest and generate_series
      // with arguments it cannot fold.
      rows = op.children[0]->estimate.rows * 10;
      break;
    case LogicalKind::kRecursiveCte:
      // Unknowable before running; a few iterations' worth.
      rows = op.children[0]->estimate.rows * 10;
      break;
  }
  op.estimate.rows = rows;
  return rows;
}

// ---- Join ordering ----

void CollectInnerJoinLeaves(LogicalOperatorPtr op, std::vector<LogicalOperatorPtr>& leaves,
                            std::vector<ExpressionPtr>& conditions) {
  if (op->kind == LogicalKind::kJoin &&
      (op->join_type == JoinType::kInner || op->join_type == JoinType::kCross)) {
    if (op->condition != nullptr) {
      for (const ExpressionPtr& conjunct : execution::SplitConjuncts(op->condition)) {
        if (!IsTrue(conjunct)) {
          conditions.push_back(conjunct);
        }
      }
    }
    CollectInnerJoinLeaves(std::move(op->children[0]), leaves, conditions);
    CollectInnerJoinLeaves(std::move(op->children[1]), leaves, conditions);
    return;
  }
  leaves.push_back(std::move(op));
}

LogicalOperatorPtr ReorderJoins(LogicalOperatorPtr op, DistinctCounts& distinct);

// Equalities between columns imply others: a = b and b = c give a = c. Adds the implied ones
// between columns of different leaves (`leaf_ids`), so that the ordering can join two leaves
// that the query relates only through a third: TPC-H Q9 equates part's and partsupp's part
// keys each with lineitem's only, and without p_partkey = ps_partkey all of partsupp was built
// into a hash table instead of the few parts that match the filter on part. Every condition
// of an inner join tree holds for each row it outputs, so a condition they imply changes
// nothing but the order.
void AddImpliedEqualities(const std::vector<IdSet>& leaf_ids,
                          std::vector<ExpressionPtr>& conditions) {
  std::unordered_map<int64_t, int64_t> parent;
  const auto find = [&](int64_t id) {
    while (parent.at(id) != id) {
      id = parent[id] = parent.at(parent.at(id));
    }
    return id;
  };
  std::vector<ExpressionPtr> equalities;
  std::unordered_map<int64_t, ExpressionPtr> column_of;  // A reference to each column.
  std::vector<int64_t> members;                          // In the order they appear.
  std::set<std::pair<int64_t, int64_t>> equated;
  for (const ExpressionPtr& conjunct : conditions) {
    if (conjunct->kind() != ExpressionKind::kFunction || conjunct->function().name != "=" ||
        conjunct->children().size() != 2 ||
        conjunct->child(0).kind() != ExpressionKind::kColumnRef ||
        conjunct->child(1).kind() != ExpressionKind::kColumnRef ||
        !(conjunct->child(0).type() == conjunct->child(1).type())) {
      continue;
    }
    for (const ExpressionPtr& side : conjunct->children()) {
      if (parent.emplace(side->column_index(), side->column_index()).second) {
        members.push_back(side->column_index());
        column_of.emplace(side->column_index(), side);
      }
    }
    const int64_t a = conjunct->child(0).column_index();
    const int64_t b = conjunct->child(1).column_index();
    equated.insert({std::min(a, b), std::max(a, b)});
    parent[find(a)] = find(b);
    equalities.push_back(conjunct);
  }
  // Any equality of a class will do for the implied ones: its columns all have one type.
  std::unordered_map<int64_t, ExpressionPtr> equality_of;
  for (const ExpressionPtr& equality : equalities) {
    equality_of.emplace(find(equality->child(0).column_index()), equality);
  }
  const auto leaf_of = [&](int64_t id) {
    for (size_t leaf = 0; leaf < leaf_ids.size(); ++leaf) {
      if (leaf_ids[leaf].count(id) != 0) {
        return static_cast<int64_t>(leaf);
      }
    }
    return int64_t{-1};
  };
  for (size_t i = 0; i < members.size(); ++i) {
    for (size_t j = i + 1; j < members.size(); ++j) {
      const int64_t a = members[i];
      const int64_t b = members[j];
      if (find(a) != find(b) || equated.count({std::min(a, b), std::max(a, b)}) != 0 ||
          leaf_of(a) < 0 || leaf_of(b) < 0 || leaf_of(a) == leaf_of(b)) {
        continue;
      }
      conditions.push_back(Expression::Function(equality_of.at(find(a))->shared_function(),
                                                {column_of.at(a), column_of.at(b)}));
      equated.insert({std::min(a, b), std::max(a, b)});
    }
  }
}

// The columns that the joins built so far equate, as classes of a union-find: a row of a
// join has equal values in the columns of one class.
class EnforcedEqualities {
 public:
  // Records `condition`. Returns true when it is an equality of two columns that are equal
  // already (it is then redundant), false otherwise.
  bool Add(const Expression& condition) {
    if (condition.kind() != ExpressionKind::kFunction || condition.function().name != "=" ||
        condition.children().size() != 2 ||
        condition.child(0).kind() != ExpressionKind::kColumnRef ||
        condition.child(1).kind() != ExpressionKind::kColumnRef ||
        !(condition.child(0).type() == condition.child(1).type())) {
      return false;
    }
    const int64_t a = Find(condition.child(0).column_index());
    const int64_t b = Find(condition.child(1).column_index());
    if (a == b) {
      return true;
    }
    parent_[a] = b;
    return false;
  }

 private:
  int64_t Find(int64_t id) {
    auto found = parent_.try_emplace(id, id).first;
    while (found->second != id) {
      id = found->second;
      found = parent_.find(id);
    }
    return id;
  }
  std::unordered_map<int64_t, int64_t> parent_;
};

// Greedy operator ordering: repeatedly join the two components whose join is estimated
// smallest among those connected by a condition (cross products only when nothing is
// connected), the smaller one on the build (right) side.
LogicalOperatorPtr ReorderInnerJoins(LogicalOperatorPtr op, DistinctCounts& distinct) {
  std::vector<LogicalColumn> original_columns = op->columns;
  std::vector<LogicalOperatorPtr> leaves;
  std::vector<ExpressionPtr> conditions;
  CollectInnerJoinLeaves(std::move(op), leaves, conditions);
  struct Component {
    LogicalOperatorPtr plan;
    IdSet ids;
  };
  std::vector<Component> components;
  for (LogicalOperatorPtr& leaf : leaves) {
    leaf = ReorderJoins(std::move(leaf), distinct);
    Estimate(*leaf, distinct);
    IdSet ids = OutputIds(*leaf);
    components.push_back({std::move(leaf), std::move(ids)});
  }
  std::vector<IdSet> leaf_ids;
  for (const Component& component : components) {
    leaf_ids.push_back(component.ids);
  }
  AddImpliedEqualities(leaf_ids, conditions);
  EnforcedEqualities enforced;
  std::vector<bool> used(conditions.size(), false);
  while (components.size() > 1) {
    size_t best_i = 0;
    size_t best_j = 1;
    double best_rows = std::numeric_limits<double>::infinity();
    bool best_connected = false;
    for (size_t i = 0; i < components.size(); ++i) {
      for (size_t j = i + 1; j < components.size(); ++j) {
        IdSet both = components[i].ids;
        both.insert(components[j].ids.begin(), components[j].ids.end());
        std::vector<ExpressionPtr> connecting;
        for (size_t c = 0; c < conditions.size(); ++c) {
          if (!used[c] && binder::ReferencesOnly(*conditions[c], both) &&
              binder::ReferencesAny(*conditions[c], components[i].ids) &&
              binder::ReferencesAny(*conditions[c], components[j].ids)) {
            connecting.push_back(conditions[c]);
          }
        }
        bool connected = !connecting.empty();
        double rows =
            JoinEstimate(components[i].plan->estimate.rows, components[j].plan->estimate.rows,
                         connecting, components[i].ids, components[j].ids, distinct);
        if ((connected && !best_connected) || (connected == best_connected && rows < best_rows)) {
          best_i = i;
          best_j = j;
          best_rows = rows;
          best_connected = connected;
        }
      }
    }
    Component right = std::move(components[best_j]);
    Component left = std::move(components[best_i]);
    components.erase(components.begin() + static_cast<long>(best_j));
    components.erase(components.begin() + static_cast<long>(best_i));
    if (left.plan->estimate.rows < right.plan->estimate.rows) {
      std::swap(left, right);
    }
    IdSet both = left.ids;
    both.insert(right.ids.begin(), right.ids.end());
    std::vector<ExpressionPtr> join_conditions;
    for (size_t c = 0; c < conditions.size(); ++c) {
      if (!used[c] && binder::ReferencesOnly(*conditions[c], both)) {
        used[c] = true;
        // An equality of two columns that the joins below (and this one's earlier keys)
        // already equate adds nothing but a key to hash.
        if (!enforced.Add(*conditions[c])) {
          join_conditions.push_back(conditions[c]);
        }
      }
    }
    NarrowJoinKeys(left.plan->estimate.rows, right.plan->estimate.rows, join_conditions, left.ids,
                   right.ids, distinct);
    auto join = std::make_unique<LogicalOperator>();
    join->kind = LogicalKind::kJoin;
    join->join_type = JoinType::kInner;
    join->condition = binder::MakeConjunction(std::move(join_conditions));
    join->columns = left.plan->columns;
    join->columns.insert(join->columns.end(), right.plan->columns.begin(),
                         right.plan->columns.end());
    join->estimate.rows = best_rows;
    join->children.push_back(std::move(left.plan));
    join->children.push_back(std::move(right.plan));
    components.insert(components.begin(), Component{std::move(join), std::move(both)});
  }
  LogicalOperatorPtr result = std::move(components[0].plan);
  std::vector<ExpressionPtr> remaining;
  for (size_t c = 0; c < conditions.size(); ++c) {
    if (!used[c]) {
      remaining.push_back(conditions[c]);
    }
  }
  result = WrapFilter(std::move(result), std::move(remaining));
  // Keep the original column order for the operators above.
  auto project = std::make_unique<LogicalOperator>();
  project->kind = LogicalKind::kProject;
  for (const LogicalColumn& column : original_columns) {
    project->expressions.push_back(Expression::ColumnRef(column.id, column.type, column.name));
  }
  project->columns = original_columns;
  project->estimate = result->estimate;
  project->children.push_back(std::move(result));
  return project;
}

LogicalOperatorPtr ReorderJoins(LogicalOperatorPtr op, DistinctCounts& distinct) {
  if (op->kind == LogicalKind::kJoin &&
      (op->join_type == JoinType::kInner || op->join_type == JoinType::kCross)) {
    return ReorderInnerJoins(std::move(op), distinct);
  }
  for (auto& child : op->children) {
    child = ReorderJoins(std::move(child), distinct);
  }
  Estimate(*op, distinct);
  return op;
}

// ---- Column pruning ----

void Prune(LogicalOperator& op, const IdSet& needed) {
  switch (op.kind) {
    case LogicalKind::kGet: {
      if (op.source != SourceKind::kParquet && op.source != SourceKind::kEmpty &&
          op.source != SourceKind::kIceberg) {
        return;
      }
      std::vector<LogicalColumn> columns;
      std::vector<int64_t> parquet_columns;
      std::vector<int32_t> field_ids;
      for (size_t i = 0; i < op.columns.size(); ++i) {
        // Something must be read to count rows: the first column when nothing else is.
        bool is_last_chance = columns.empty() && i + 1 == op.columns.size();
        if (needed.contains(op.columns[i].id) || (is_last_chance && i == 0)) {
          columns.push_back(op.columns[i]);
          if (i < op.parquet_columns.size()) {
            parquet_columns.push_back(op.parquet_columns[i]);
          }
          if (i < op.field_ids.size()) {
            field_ids.push_back(op.field_ids[i]);
          }
        }
      }
      if (columns.empty() && !op.columns.empty()) {
        columns.push_back(op.columns[0]);
        if (!op.parquet_columns.empty()) {
          parquet_columns.push_back(op.parquet_columns[0]);
        }
        if (!op.field_ids.empty()) {
          field_ids.push_back(op.field_ids[0]);
        }
      }
      op.columns = std::move(columns);
      op.parquet_columns = std::move(parquet_columns);
      op.field_ids = std::move(field_ids);
      return;
    }
    case LogicalKind::kProject: {
      std::vector<LogicalColumn> columns;
      std::vector<ExpressionPtr> expressions;
      for (size_t i = 0; i < op.columns.size(); ++i) {
        if (needed.contains(op.columns[i].id)) {
          columns.push_back(op.columns[i]);
          expressions.push_back(op.expressions[i]);
        }
      }
      if (columns.empty() && !op.columns.empty()) {
        columns.push_back(op.columns[0]);
        expressions.push_back(op.expressions[0]);
      }
      op.columns = std::move(columns);
      op.expressions = std::move(expressions);
      IdSet child_needed;
      for (const ExpressionPtr& expr : op.expressions) {
        binder::CollectColumnIds(*expr, child_needed);
      }
      Prune(*op.children[0], child_needed);
      return;
    }
    case LogicalKind::kAggregate: {
      std::vector<LogicalColumn> columns(op.columns.begin(),
                                         op.columns.begin() + static_cast<long>(op.groups.size()));
      std::vector<binder::AggregateCall> aggregates;
      for (size_t a = 0; a < op.aggregates.size(); ++a) {
        const LogicalColumn& column = op.columns[op.groups.size() + a];
        if (needed.contains(column.id)) {
          columns.push_back(column);
          aggregates.push_back(op.aggregates[a]);
        }
      }
      op.columns = std::move(columns);
      op.aggregates = std::move(aggregates);
      IdSet child_needed;
      for (const ExpressionPtr& expr : op.groups) {
        binder::CollectColumnIds(*expr, child_needed);
      }
      for (const auto& call : op.aggregates) {
        for (const ExpressionPtr& expr : call.arguments) {
          binder::CollectColumnIds(*expr, child_needed);
        }
        if (call.filter != nullptr) {
          binder::CollectColumnIds(*call.filter, child_needed);
        }
      }
      Prune(*op.children[0], child_needed);
      return;
    }
    case LogicalKind::kFilter:
    case LogicalKind::kSort:
    case LogicalKind::kLimit:
    case LogicalKind::kEnforceSingleRow:
    case LogicalKind::kJoin: {
      IdSet child_needed = needed;
      if (op.condition != nullptr) {
        binder::CollectColumnIds(*op.condition, child_needed);
      }
      for (const auto& key : op.sort_keys) {
        binder::CollectColumnIds(*key.expression, child_needed);
      }
      for (auto& child : op.children) {
        Prune(*child, child_needed);
      }
      RefreshColumns(op);
      return;
    }
    case LogicalKind::kWindow: {
      // Calls nobody reads are dropped; the child keeps what is read above and what the
      // window reads.
      const size_t first_call = op.columns.size() - op.window_calls.size();
      std::vector<LogicalColumn> call_columns;
      std::vector<binder::WindowCall> calls;
      for (size_t c = 0; c < op.window_calls.size(); ++c) {
        if (needed.contains(op.columns[first_call + c].id)) {
          call_columns.push_back(op.columns[first_call + c]);
          calls.push_back(std::move(op.window_calls[c]));
        }
      }
      IdSet child_needed = needed;
      if (calls.empty()) {
        LogicalOperatorPtr child = std::move(op.children[0]);
        op = std::move(*child);
        Prune(op, child_needed);
        return;
      }
      for (const ExpressionPtr& key : op.partition_by) {
        binder::CollectColumnIds(*key, child_needed);
      }
      for (const auto& key : op.sort_keys) {
        binder::CollectColumnIds(*key.expression, child_needed);
      }
      for (const binder::WindowCall& call : calls) {
        for (const ExpressionPtr& expr : {call.default_value, call.start_offset, call.end_offset,
                                          call.range_key, call.range_start, call.range_end}) {
          if (expr != nullptr) {
            binder::CollectColumnIds(*expr, child_needed);
          }
        }
        for (const ExpressionPtr& expr : call.arguments) {
          binder::CollectColumnIds(*expr, child_needed);
        }
      }
      op.window_calls = std::move(calls);
      Prune(*op.children[0], child_needed);
      op.columns = op.children[0]->columns;
      op.columns.insert(op.columns.end(), call_columns.begin(), call_columns.end());
      return;
    }
    case LogicalKind::kTableFunction: {
      // The function's column stays even when unread: it decides how many rows there are.
      IdSet child_needed = needed;
      for (const ExpressionPtr& expr : op.expressions) {
        binder::CollectColumnIds(*expr, child_needed);
      }
      Prune(*op.children[0], child_needed);
      RefreshColumns(op);
      return;
    }
    case LogicalKind::kDistinct:
    case LogicalKind::kSetOperation:
    case LogicalKind::kRecursiveCte: {
      for (auto& child : op.children) {
        Prune(*child, OutputIds(*child));
      }
      return;
    }
  }
}

// ---- Parquet predicates ----

std::optional<format::parquet::ColumnPredicate::Op> ComparisonOp(const std::string& name,
                                                                 bool flipped) {
  using Op = format::parquet::ColumnPredicate::Op;
  if (name == "=") {
    return Op::kEqual;
  }
  if (name == "<") {
    return flipped ? Op::kGreater : Op::kLess;
  }
  if (name == "<=") {
    return flipped ? Op::kGreaterEqual : Op::kLessEqual;
  }
  if (name == ">") {
    return flipped ? Op::kLess : Op::kGreater;
  }
  if (name == ">=") {
    return flipped ? Op::kLessEqual : Op::kGreaterEqual;
  }
  return std::nullopt;
}

void PushParquetPredicates(LogicalOperator& op) {
  for (auto& child : op.children) {
    PushParquetPredicates(*child);
  }
  if (op.kind != LogicalKind::kFilter || op.children[0]->kind != LogicalKind::kGet ||
      op.children[0]->source != SourceKind::kParquet) {
    return;
  }
  LogicalOperator& get = *op.children[0];
  std::unordered_map<int64_t, std::string> names;
  for (const LogicalColumn& column : get.columns) {
    names[column.id] = column.name;
  }
  for (const ExpressionPtr& conjunct : execution::SplitConjuncts(op.condition)) {
    format::parquet::ColumnPredicate predicate;
    if ((conjunct->kind() == ExpressionKind::kIsNull ||
         conjunct->kind() == ExpressionKind::kIsNotNull) &&
        conjunct->child(0).kind() == ExpressionKind::kColumnRef &&
        names.count(conjunct->child(0).column_index())) {
      predicate.column = names[conjunct->child(0).column_index()];
      predicate.op = conjunct->kind() == ExpressionKind::kIsNull
                         ? format::parquet::ColumnPredicate::Op::kIsNull
                         : format::parquet::ColumnPredicate::Op::kIsNotNull;
      get.parquet_predicates.push_back(std::move(predicate));
      continue;
    }
    if (conjunct->kind() != ExpressionKind::kFunction || conjunct->children().size() != 2) {
      continue;
    }
    const Expression& a = conjunct->child(0);
    const Expression& b = conjunct->child(1);
    bool flipped = false;
    const Expression* column = nullptr;
    const Expression* constant = nullptr;
    if (a.kind() == ExpressionKind::kColumnRef && b.kind() == ExpressionKind::kConstant) {
      column = &a;
      constant = &b;
    } else if (b.kind() == ExpressionKind::kColumnRef && a.kind() == ExpressionKind::kConstant) {
      column = &b;
      constant = &a;
      flipped = true;
    }
    if (column == nullptr || constant->value().is_null() || !names.count(column->column_index())) {
      continue;
    }
    auto comparison = ComparisonOp(conjunct->function().name, flipped);
    if (!comparison.has_value()) {
      continue;
    }
    predicate.column = names[column->column_index()];
    predicate.op = *comparison;
    predicate.value = constant->value();
    get.parquet_predicates.push_back(std::move(predicate));
  }
}

// ---- Top-N ----

void UseTopN(LogicalOperatorPtr& op) {
  for (auto& child : op->children) {
    UseTopN(child);
  }
  if (op->kind == LogicalKind::kLimit && op->children[0]->kind == LogicalKind::kSort &&
      op->children[0]->limit < 0 && op->limit >= 0) {
    LogicalOperatorPtr sort = std::move(op->children[0]);
    sort->limit = op->limit;
    sort->offset = op->offset;
    op = std::move(sort);
  }
}

// ---- DISTINCT aggregates ----

// The largest column id defined in `op`'s plan, including the plans of shared CTEs it reads.
int64_t MaxColumnId(const LogicalOperator& op) {
  int64_t max_id = -1;
  for (const LogicalColumn& column : op.columns) {
    max_id = std::max(max_id, column.id);
  }
  for (const LogicalOperatorPtr& child : op.children) {
    max_id = std::max(max_id, MaxColumnId(*child));
  }
  if (op.cte != nullptr) {
    max_id = std::max(max_id, MaxColumnId(*op.cte->plan));
  }
  return max_id;
}

// Whether every aggregate of `op` is DISTINCT over the same arguments, with nothing else
// (FILTER, ORDER BY, WITHIN GROUP) that needs the rows themselves, under plain grouping.
bool HasOnlyOneDistinctInput(const LogicalOperator& op) {
  if (op.kind != LogicalKind::kAggregate || op.aggregates.empty() ||
      !op.empty_input_groups.empty()) {
    return false;
  }
  const std::vector<ExpressionPtr>& arguments = op.aggregates.front().arguments;
  for (const binder::AggregateCall& call : op.aggregates) {
    if (!call.is_distinct || call.filter != nullptr || !call.order_by.empty() ||
        call.is_within_group || call.num_sort_only_arguments != 0 || call.arguments.empty() ||
        call.arguments.size() != arguments.size()) {
      return false;
    }
    for (size_t i = 0; i < arguments.size(); ++i) {
      if (!call.arguments[i]->Equals(*arguments[i])) {
        return false;
      }
    }
  }
  return true;
}

// Turns `agg(DISTINCT x) GROUP BY g` into `agg(x)` grouped by g over a grouping by (g, x),
// which removes the repeats: the aggregate then runs on the hash table's fast paths instead of
// keeping a set of (group, value) entries. NULL values of x form their own inner group, which
// the outer aggregate skips as it skips NULLs; without groups the outer aggregate still
// answers an empty input with one row.
void SplitDistinctAggregates(LogicalOperatorPtr& op, int64_t& next_id) {
  for (LogicalOperatorPtr& child : op->children) {
    SplitDistinctAggregates(child, next_id);
  }
  if (!HasOnlyOneDistinctInput(*op)) {
    return;
  }
  auto dedup = std::make_unique<LogicalOperator>();
  dedup->kind = LogicalKind::kAggregate;
  dedup->children = std::move(op->children);
  std::vector<ExpressionPtr> outer_groups;
  auto add_group = [&](const ExpressionPtr& expression, const std::string& name) {
    LogicalColumn column{next_id++, name, expression->type()};
    dedup->groups.push_back(expression);
    dedup->columns.push_back(column);
    return Expression::ColumnRef(column.id, column.type, column.name);
  };
  for (size_t g = 0; g < op->groups.size(); ++g) {
    outer_groups.push_back(add_group(op->groups[g], op->columns[g].name));
  }
  std::vector<ExpressionPtr> outer_arguments;
  for (const ExpressionPtr& argument : op->aggregates.front().arguments) {
    outer_arguments.push_back(add_group(argument, "distinct"));
  }
  dedup->estimate = op->estimate;
  op->groups = std::move(outer_groups);
  for (binder::AggregateCall& call : op->aggregates) {
    call.is_distinct = false;
    call.arguments = outer_arguments;
  }
  op->children.clear();
  op->children.push_back(std::move(dedup));
}

}  // namespace

void EstimateCardinalities(LogicalOperator& plan) {
  DistinctCounts distinct;
  Estimate(plan, distinct);
}

// ---- Common table expressions ----

namespace {

// The optimized definition of each shared CTE of a statement, by its bound definition.
using CteDefinitions =
    std::unordered_map<const binder::CteDefinition*, std::shared_ptr<const binder::CteDefinition>>;

Result<LogicalOperatorPtr> OptimizePlan(LogicalOperatorPtr plan, const OptimizerOptions& options,
                                        CteDefinitions& ctes);

// Plans a CTE referenced once, and not declared MATERIALIZED, inline again (so that filters
// reach into it), and optimizes once the query of a CTE several references share. The bound
// definitions stay unchanged (prepared statements plan them again): references get optimized
// copies.
Status ResolveCtes(LogicalOperatorPtr& op, const OptimizerOptions& options, CteDefinitions& ctes) {
  for (LogicalOperatorPtr& child : op->children) {
    FLOE_RETURN_NOT_OK(ResolveCtes(child, options, ctes));
  }
  if (op->kind != LogicalKind::kGet || op->source != SourceKind::kCte) {
    return Status::OK();
  }
  const binder::CteDefinition& definition = *op->cte;
  if (definition.references == 1 && !definition.is_declared_materialized) {
    LogicalOperatorPtr plan = binder::CloneLogicalPlan(*definition.plan);
    FLOE_RETURN_NOT_OK(ResolveCtes(plan, options, ctes));
    auto project = std::make_unique<LogicalOperator>();
    project->kind = LogicalKind::kProject;
    project->columns = op->columns;
    for (const LogicalColumn& column : plan->columns) {
      project->expressions.push_back(Expression::ColumnRef(column.id, column.type, column.name));
    }
    project->children.push_back(std::move(plan));
    op = std::move(project);
    return Status::OK();
  }
  auto found = ctes.find(&definition);
  if (found == ctes.end()) {
    auto optimized = std::make_shared<binder::CteDefinition>();
    optimized->name = definition.name;
    optimized->references = definition.references;
    optimized->is_declared_materialized = definition.is_declared_materialized;
    FLOE_ASSIGN_OR_RETURN(optimized->plan,
                          OptimizePlan(binder::CloneLogicalPlan(*definition.plan), options, ctes));
    found = ctes.emplace(&definition, std::move(optimized)).first;
  }
  op->cte = found->second;
  op->estimate.rows = found->second->plan->estimate.rows;
  return Status::OK();
}

Result<LogicalOperatorPtr> OptimizePlan(LogicalOperatorPtr plan, const OptimizerOptions& options,
                                        CteDefinitions& ctes) {
  FLOE_RETURN_NOT_OK(ResolveCtes(plan, options, ctes));
  std::vector<LogicalColumn> root_columns = plan->columns;
  if (options.fold_constants) {
    ConstantFolder folder(options.statement_time_micros, options.time_zone);
    folder.FoldPlan(*plan);
  }
  if (options.push_down_filters) {
    plan = PushDown(std::move(plan), {});
  }
  DistinctCounts distinct;
  if (options.reorder_joins) {
    plan = ReorderJoins(std::move(plan), distinct);
  }
  if (options.prune_columns) {
    IdSet needed;
    for (const LogicalColumn& column : root_columns) {
      needed.insert(column.id);
    }
    Prune(*plan, needed);
  }
  if (options.push_parquet_predicates) {
    PushParquetPredicates(*plan);
    PushIcebergFilters(*plan);
  }
  int64_t next_id = MaxColumnId(*plan) + 1;
  SplitDistinctAggregates(plan, next_id);
  if (options.use_top_n) {
    UseTopN(plan);
  }
  distinct.clear();
  Estimate(*plan, distinct);
  return plan;
}

}  // namespace

Result<LogicalOperatorPtr> Optimize(LogicalOperatorPtr plan, const OptimizerOptions& options) {
  CteDefinitions ctes;
  return OptimizePlan(std::move(plan), options, ctes);
}

}  // namespace floe::sql::planner
