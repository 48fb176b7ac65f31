#include "sql/planner/iceberg_filter.h"

#include <optional>
#include <unordered_map>
#include <utility>
#include <vector>

#include "sql/execution/expression.h"
#include "table/predicate.h"
#include "table/table_reader.h"

namespace floe::sql::planner {
namespace {

using execution::Expression;
using execution::ExpressionKind;
using Kind = table::Predicate::Kind;

std::optional<Kind> ComparisonKind(const std::string& name, bool flipped) {
  if (name == "=") {
    return Kind::kEqual;
  }
  if (name == "<>" || name == "!=") {
    return Kind::kNotEqual;
  }
  if (name == "<") {
    return flipped ? Kind::kGreater : Kind::kLess;
  }
  if (name == "<=") {
    return flipped ? Kind::kGreaterEqual : Kind::kLessEqual;
  }
  if (name == ">") {
    return flipped ? Kind::kLess : Kind::kGreater;
  }
  if (name == ">=") {
    return flipped ? Kind::kLessEqual : Kind::kGreaterEqual;
  }
  return std::nullopt;
}

// Returns the predicate a conjunct implies, or nullopt when it cannot be expressed on one field.
std::optional<table::Predicate> ToPredicate(const Expression& conjunct,
                                            const std::unordered_map<int64_t, int32_t>& fields) {
  auto field_of = [&](const Expression& expr) -> std::optional<int32_t> {
    if (expr.kind() != ExpressionKind::kColumnRef) {
      return std::nullopt;
    }
    auto it = fields.find(expr.column_index());
    return it == fields.end() ? std::nullopt : std::optional<int32_t>(it->second);
  };
  switch (conjunct.kind()) {
    case ExpressionKind::kIsNull:
    case ExpressionKind::kIsNotNull: {
      std::optional<int32_t> field = field_of(conjunct.child(0));
      if (!field.has_value()) {
        return std::nullopt;
      }
      return conjunct.kind() == ExpressionKind::kIsNull ? table::Predicate::IsNull(*field)
                                                        : table::Predicate::IsNotNull(*field);
    }
    case ExpressionKind::kInList: {
      std::optional<int32_t> field = field_of(conjunct.child(0));
      if (!field.has_value()) {
        return std::nullopt;
      }
      // A NULL item matches no row, so only the other items can make the list true.
      std::vector<types::Value> literals;
      for (size_t i = 1; i < conjunct.children().size(); ++i) {
        const Expression& item = conjunct.child(i);
        if (item.kind() != ExpressionKind::kConstant) {
          return std::nullopt;
        }
        if (!item.value().is_null()) {
          literals.push_back(item.value());
        }
      }
      if (literals.empty()) {
        return std::nullopt;
      }
      return table::Predicate::In(*field, std::move(literals));
    }
    case ExpressionKind::kFunction: {
      if (conjunct.children().size() != 2) {
        return std::nullopt;
      }
      const Expression& a = conjunct.child(0);
      const Expression& b = conjunct.child(1);
      bool flipped = b.kind() == ExpressionKind::kColumnRef;
      std::optional<int32_t> field = field_of(flipped ? b : a);
      const Expression& constant = flipped ? a : b;
      if (!field.has_value() || constant.kind() != ExpressionKind::kConstant ||
          constant.value().is_null()) {
        return std::nullopt;
      }
      std::optional<Kind> kind = ComparisonKind(conjunct.function().name, flipped);
      if (!kind.has_value()) {
        return std::nullopt;
      }
      return table::Predicate::Compare(*kind, *field, constant.value());
    }
    default:
      return std::nullopt;
  }
}

}  // namespace

void PushIcebergFilters(binder::LogicalOperator& plan) {
  for (auto& child : plan.children) {
    PushIcebergFilters(*child);
  }
  if (plan.kind != binder::LogicalKind::kFilter ||
      plan.children[0]->kind != binder::LogicalKind::kGet ||
      plan.children[0]->source != binder::SourceKind::kIceberg) {
    return;
  }
  binder::LogicalOperator& get = *plan.children[0];
  std::unordered_map<int64_t, int32_t> fields;
  for (size_t i = 0; i < get.columns.size() && i < get.field_ids.size(); ++i) {
    // The metadata columns (file, position) are not the table's: the table cannot prune on them.
    if (get.field_ids[i] != table::kFilePathFieldId &&
        get.field_ids[i] != table::kRowPositionFieldId) {
      fields[get.columns[i].id] = get.field_ids[i];
    }
  }
  std::vector<table::Predicate> leaves;
  for (const execution::ExpressionPtr& conjunct : execution::SplitConjuncts(plan.condition)) {
    std::optional<table::Predicate> leaf = ToPredicate(*conjunct, fields);
    if (leaf.has_value()) {
      leaves.push_back(std::move(*leaf));
    }
  }
  if (!leaves.empty()) {
    get.iceberg_filter = table::Predicate::And(std::move(leaves));
  }
}

}  // namespace floe::sql::planner
