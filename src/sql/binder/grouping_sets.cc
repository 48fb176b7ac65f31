// GROUP BY GROUPING SETS, ROLLUP and CUBE, and the GROUPING() function (docs/sql.md).
//
// One aggregate computes every set: each input row is repeated once per set (a cross join with
// the set numbers), the keys a set lacks are NULL in its copies, and the set number is one more
// key, so rows of different sets never share a group even when their keys look alike.

#include <algorithm>
#include <map>
#include <utility>

#include "sql/binder/binder_internal.h"

namespace floe::sql::binder {
namespace {

using execution::Expression;
using types::LogicalType;
using types::Value;
using GroupingSet = std::vector<const parser::Expression*>;

// PostgreSQL's limit, which also keeps CUBE from growing without bound.
constexpr size_t kMaxGroupingSets = 4096;

Status TooManySets() {
  return Status::ResourceExhausted("too many grouping sets present (maximum {})", kMaxGroupingSets)
      .WithSqlState("54001");
}

// A parenthesised list `(a, b)` inside ROLLUP, CUBE or GROUPING SETS stands for its items.
GroupingSet ItemsOf(const parser::Expression& expr) {
  if (expr.kind != parser::ExpressionKind::kRow || expr.As<parser::RowExpression>().is_explicit) {
    return {&expr};
  }
  GroupingSet items;
  for (const auto& field : expr.As<parser::RowExpression>().fields) {
    items.push_back(field.get());
  }
  return items;
}

Result<std::vector<GroupingSet>> SetsOf(const parser::GroupingElement& element) {
  std::vector<GroupingSet> sets;
  const auto& items = element.expressions;
  switch (element.kind) {
    case parser::GroupingKind::kEmpty:
      sets.emplace_back();
      break;
    case parser::GroupingKind::kExpression:
      sets.push_back(ItemsOf(*items[0]));
      break;
    case parser::GroupingKind::kRollup:
      // (a, b, c), (a, b), (a), ().
      for (size_t prefix = items.size() + 1; prefix-- > 0;) {
        GroupingSet set;
        for (size_t i = 0; i < prefix; ++i) {
          GroupingSet part = ItemsOf(*items[i]);
          set.insert(set.end(), part.begin(), part.end());
        }
        sets.push_back(std::move(set));
      }
      break;
    case parser::GroupingKind::kCube: {
      if (items.size() > 12) {
        return TooManySets();
      }
      // Every subset, the full one first; bit i of `mask` (from the top) keeps item i.
      const size_t n = items.size();
      for (size_t mask = (size_t{1} << n); mask-- > 0;) {
        GroupingSet set;
        for (size_t i = 0; i < n; ++i) {
          if ((mask >> (n - 1 - i)) & 1) {
            GroupingSet part = ItemsOf(*items[i]);
            set.insert(set.end(), part.begin(), part.end());
          }
        }
        sets.push_back(std::move(set));
      }
      break;
    }
    case parser::GroupingKind::kGroupingSets:
      for (const parser::GroupingElement& nested : element.sets) {
        FLOE_ASSIGN_OR_RETURN(std::vector<GroupingSet> inner, SetsOf(nested));
        sets.insert(sets.end(), inner.begin(), inner.end());
        if (sets.size() > kMaxGroupingSets) {
          return TooManySets();
        }
      }
      break;
  }
  return sets;
}

ExpressionPtr SetNumber(size_t set) {
  return Expression::Constant(Value::Integer(static_cast<int32_t>(set)));
}

bool Contains(const std::vector<size_t>& keys, size_t key) {
  return std::find(keys.begin(), keys.end(), key) != keys.end();
}

}  // namespace

Result<std::vector<GroupingSet>> ExpandGroupingSets(
    const std::vector<parser::GroupingElement>& elements) {
  // GROUP BY a, ROLLUP (b) is the cross product: (a, b), (a).
  std::vector<GroupingSet> product(1);
  for (const parser::GroupingElement& element : elements) {
    FLOE_ASSIGN_OR_RETURN(std::vector<GroupingSet> sets, SetsOf(element));
    if (product.size() * sets.size() > kMaxGroupingSets) {
      return TooManySets();
    }
    std::vector<GroupingSet> next;
    for (const GroupingSet& left : product) {
      for (const GroupingSet& right : sets) {
        GroupingSet combined = left;
        combined.insert(combined.end(), right.begin(), right.end());
        next.push_back(std::move(combined));
      }
    }
    product = std::move(next);
  }
  return product;
}

void RemoveDuplicateGroupingSets(std::vector<std::vector<size_t>>& set_keys) {
  // GROUP BY DISTINCT: sets are compared as sets of keys, so (a, b) and (b, a) are one set, and
  // the first of equal sets stays in its place.
  std::vector<std::vector<size_t>> kept;
  std::vector<std::vector<size_t>> seen;
  for (std::vector<size_t>& keys : set_keys) {
    std::vector<size_t> sorted = keys;
    std::sort(sorted.begin(), sorted.end());
    if (std::find(seen.begin(), seen.end(), sorted) != seen.end()) {
      continue;
    }
    seen.push_back(std::move(sorted));
    kept.push_back(std::move(keys));
  }
  set_keys = std::move(kept);
}

void Binder::Impl::AddGroupingSets(const std::vector<std::vector<size_t>>& set_keys,
                                   LogicalOperator& aggregate, QueryBlock& block) {
  auto numbers = std::make_unique<LogicalOperator>();
  numbers->kind = LogicalKind::kGet;
  numbers->source = SourceKind::kValues;
  numbers->source_name = "grouping sets";
  for (size_t s = 0; s < set_keys.size(); ++s) {
    numbers->values_rows.push_back({SetNumber(s)});
  }
  LogicalColumn number_column = NewColumn("grouping_set", LogicalType::Integer());
  numbers->columns.push_back(number_column);
  numbers->estimate.rows = static_cast<double>(set_keys.size());
  numbers->estimate.is_exact = true;

  auto repeated = std::make_unique<LogicalOperator>();
  repeated->kind = LogicalKind::kJoin;
  repeated->join_type = JoinType::kInner;
  repeated->columns = block.plan->columns;
  repeated->columns.push_back(number_column);
  repeated->children.push_back(std::move(block.plan));
  repeated->children.push_back(std::move(numbers));

  ExpressionPtr number =
      Expression::ColumnRef(number_column.id, LogicalType::Integer(), number_column.name);
  for (size_t key = 0; key < aggregate.groups.size(); ++key) {
    std::vector<ExpressionPtr> having_key;
    for (size_t s = 0; s < set_keys.size(); ++s) {
      if (Contains(set_keys[s], key)) {
        having_key.push_back(SetNumber(s));
      }
    }
    if (having_key.size() == set_keys.size()) {
      continue;
    }
    const ExpressionPtr& value = aggregate.groups[key];
    aggregate.groups[key] =
        Expression::Case({Expression::InList(number, std::move(having_key), false)}, {value},
                         nullptr, value->type());
  }
  for (size_t s = 0; s < set_keys.size(); ++s) {
    if (!set_keys[s].empty()) {
      continue;
    }
    std::vector<Value> keys;
    for (const ExpressionPtr& group : aggregate.groups) {
      keys.push_back(Value::Null(group->type()));
    }
    keys.push_back(Value::Integer(static_cast<int32_t>(s)));
    aggregate.empty_input_groups.push_back(std::move(keys));
  }
  aggregate.groups.push_back(number);
  LogicalColumn output = NewColumn("grouping_set", LogicalType::Integer());
  aggregate.columns.push_back(output);
  block.aggregates.set_column = output.id;
  aggregate.children.push_back(std::move(repeated));
}

Result<Bound> Binder::Impl::BindGroupingFunction(const parser::FunctionCallExpression& call,
                                                 QueryBlock& block) {
  const AggregateState& state = block.aggregates;
  const std::string& clause = block.clause;
  if (clause == "aggregate arguments") {
    return Error(
        Status::InvalidArgument("aggregate function calls cannot be nested").WithSqlState("42803"),
        call.location);
  }
  if (!state.active && clause != "SELECT" && clause != "ORDER BY") {
    return Error(Status::InvalidArgument("grouping operations are not allowed in {}", clause)
                     .WithSqlState("42803"),
                 call.location);
  }
  if (call.is_distinct || call.filter != nullptr || !call.order_by.empty() || call.is_star ||
      call.arguments.empty()) {
    return Error(Status::SyntaxError("syntax error in GROUPING").WithSqlState("42601"),
                 call.location);
  }
  if (call.arguments.size() > 31) {
    return Error(
        Status::InvalidArgument("GROUPING must have fewer than 32 arguments").WithSqlState("54023"),
        call.location);
  }
  std::vector<size_t> keys;
  for (const auto& argument : call.arguments) {
    FLOE_ASSIGN_OR_RETURN(ExpressionPtr value, BindValue(*argument.value, block));
    auto found = std::find_if(state.groups.begin(), state.groups.end(),
                              [&](const auto& group) { return group.first->Equals(*value); });
    if (!state.active || found == state.groups.end()) {
      return Error(Status::InvalidArgument("arguments to GROUPING must be grouping expressions "
                                           "of the associated query level")
                       .WithSqlState("42803"),
                   argument.value->location);
    }
    keys.push_back(static_cast<size_t>(found - state.groups.begin()));
  }
  // The first argument is the most significant bit.
  std::map<int32_t, std::vector<ExpressionPtr>> sets_by_mask;
  for (size_t s = 0; s < state.set_keys.size() && state.set_column >= 0; ++s) {
    int32_t mask = 0;
    for (size_t key : keys) {
      mask = (mask << 1) | (Contains(state.set_keys[s], key) ? 0 : 1);
    }
    if (mask != 0) {
      sets_by_mask[mask].push_back(SetNumber(s));
    }
  }
  Bound bound;
  bound.location = call.location;
  ExpressionPtr zero = Expression::Constant(Value::Integer(0));
  if (sets_by_mask.empty()) {
    bound.expr = zero;
    return bound;
  }
  ExpressionPtr number =
      Expression::ColumnRef(state.set_column, LogicalType::Integer(), "grouping_set");
  std::vector<ExpressionPtr> whens;
  std::vector<ExpressionPtr> thens;
  for (auto& [mask, sets] : sets_by_mask) {
    whens.push_back(Expression::InList(number, std::move(sets), false));
    thens.push_back(Expression::Constant(Value::Integer(mask)));
  }
  bound.expr = Expression::Case(std::move(whens), std::move(thens), zero, LogicalType::Integer());
  return bound;
}

}  // namespace floe::sql::binder
