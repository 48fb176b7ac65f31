// Binding of window functions: OVER clauses, the WINDOW clause and frames, following
// PostgreSQL's rules (transformWindowDefinitions and the window function checks of its parser).
#include <algorithm>
#include <map>
#include <utility>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "sql/binder/binder_internal.h"
#include "sql/binder/expression_rewriter.h"
#include "sql/functions/type_coercion.h"

namespace floe::sql::binder {
namespace {

using execution::WindowFrame;
using execution::WindowFunctionKind;
using types::LogicalType;
using types::TypeId;

struct WindowOnlyFunction {
  std::string_view name;
  WindowFunctionKind kind;
};

constexpr WindowOnlyFunction kWindowOnlyFunctions[] = {
    {"row_number", WindowFunctionKind::kRowNumber},
    {"rank", WindowFunctionKind::kRank},
    {"dense_rank", WindowFunctionKind::kDenseRank},
    {"percent_rank", WindowFunctionKind::kPercentRank},
    {"cume_dist", WindowFunctionKind::kCumeDist},
    {"ntile", WindowFunctionKind::kNtile},
    {"lag", WindowFunctionKind::kLag},
    {"lead", WindowFunctionKind::kLead},
    {"first_value", WindowFunctionKind::kFirstValue},
    {"last_value", WindowFunctionKind::kLastValue},
    {"nth_value", WindowFunctionKind::kNthValue},
};

std::optional<WindowFunctionKind> WindowOnlyKind(std::string_view name) {
  for (const auto& function : kWindowOnlyFunctions) {
    if (function.name == name) {
      return function.kind;
    }
  }
  return std::nullopt;
}

Status WindowingError(std::string message) {
  return Status::InvalidArgument("{}", message).WithSqlState("42P20");
}

/// A window with references to named windows resolved: pointers into the syntax tree.
struct ResolvedWindow {
  const std::vector<parser::ExpressionPtr>* partition_by = nullptr;
  const std::vector<parser::OrderByItem>* order_by = nullptr;
  const parser::WindowFrame* frame = nullptr;  // Null: the default frame.
};

/// A window's bound PARTITION BY and ORDER BY, and the calls computed over it.
struct WindowNode {
  std::vector<ExpressionPtr> partition_by;
  std::vector<SortKey> order_by;
  std::vector<WindowCall> calls;
  std::vector<LogicalColumn> columns;
};

bool SameKeys(const WindowNode& node, const std::vector<ExpressionPtr>& partition_by,
              const std::vector<SortKey>& order_by) {
  if (node.partition_by.size() != partition_by.size() || node.order_by.size() != order_by.size()) {
    return false;
  }
  for (size_t i = 0; i < partition_by.size(); ++i) {
    if (!node.partition_by[i]->Equals(*partition_by[i])) {
      return false;
    }
  }
  for (size_t i = 0; i < order_by.size(); ++i) {
    const SortKey& a = node.order_by[i];
    const SortKey& b = order_by[i];
    if (a.is_descending != b.is_descending || a.is_nulls_first != b.is_nulls_first ||
        !a.expression->Equals(*b.expression)) {
      return false;
    }
  }
  return true;
}

bool SameCall(const WindowCall& a, const WindowCall& b) {
  if (a.kind != b.kind || a.name != b.name || !(a.frame == b.frame) ||
      a.arguments.size() != b.arguments.size() ||
      !execution::ExpressionsEqual(a.default_value, b.default_value) ||
      !execution::ExpressionsEqual(a.start_offset, b.start_offset) ||
      !execution::ExpressionsEqual(a.end_offset, b.end_offset) ||
      !execution::ExpressionsEqual(a.range_start, b.range_start) ||
      !execution::ExpressionsEqual(a.range_end, b.range_end)) {
    return false;
  }
  if ((a.aggregate == nullptr) != (b.aggregate == nullptr) ||
      (a.aggregate != nullptr && (a.aggregate->name != b.aggregate->name ||
                                  a.aggregate->argument_types != b.aggregate->argument_types))) {
    return false;
  }
  for (size_t i = 0; i < a.arguments.size(); ++i) {
    if (!a.arguments[i]->Equals(*b.arguments[i])) {
      return false;
    }
  }
  return true;
}

WindowFrame::Bound FrameBoundOf(parser::FrameBoundKind kind) {
  switch (kind) {
    case parser::FrameBoundKind::kUnboundedPreceding:
      return WindowFrame::Bound::kUnboundedPreceding;
    case parser::FrameBoundKind::kPreceding:
      return WindowFrame::Bound::kPreceding;
    case parser::FrameBoundKind::kCurrentRow:
      return WindowFrame::Bound::kCurrentRow;
    case parser::FrameBoundKind::kFollowing:
      return WindowFrame::Bound::kFollowing;
    case parser::FrameBoundKind::kUnboundedFollowing:
      return WindowFrame::Bound::kUnboundedFollowing;
  }
  return WindowFrame::Bound::kCurrentRow;
}

// PostgreSQL's grammar rejects these frames (gram.y, opt_frame_clause).
Status CheckFrameBounds(const parser::WindowFrame& frame) {
  using Kind = parser::FrameBoundKind;
  if (frame.start.kind == Kind::kUnboundedFollowing) {
    return WindowingError("frame start cannot be UNBOUNDED FOLLOWING");
  }
  if (!frame.has_between && frame.start.kind == Kind::kFollowing) {
    return WindowingError("frame starting from following row cannot end with current row");
  }
  if (frame.end.kind == Kind::kUnboundedPreceding) {
    return WindowingError("frame end cannot be UNBOUNDED PRECEDING");
  }
  if (frame.start.kind == Kind::kCurrentRow && frame.end.kind == Kind::kPreceding) {
    return WindowingError("frame starting from current row cannot have preceding rows");
  }
  if (frame.start.kind == Kind::kFollowing &&
      (frame.end.kind == Kind::kPreceding || frame.end.kind == Kind::kCurrentRow)) {
    return WindowingError("frame starting from following row cannot have preceding rows");
  }
  return Status::OK();
}

}  // namespace

bool IsWindowOnlyFunction(std::string_view name) {
  return WindowOnlyKind(name).has_value();
}

void Binder::Impl::CollectWindowCalls(const parser::Expression& expr,
                                      std::vector<const parser::FunctionCallExpression*>& calls) {
  if (expr.kind == parser::ExpressionKind::kFunctionCall &&
      expr.As<parser::FunctionCallExpression>().over != nullptr) {
    calls.push_back(&expr.As<parser::FunctionCallExpression>());
    return;
  }
  ForEachAstChild(expr, [&](const parser::Expression& child) { CollectWindowCalls(child, calls); });
}

Result<Bound> Binder::Impl::BindWindowReference(const parser::FunctionCallExpression& call,
                                                QueryBlock& block) {
  auto found = block.window_calls.find(&call);
  if (found != block.window_calls.end()) {
    Bound bound;
    bound.expr = found->second;
    bound.location = call.location;
    return bound;
  }
  if (block.clause == "window function calls") {
    return Error(WindowingError("window function calls cannot be nested"), call.location);
  }
  if (block.clause == "aggregate arguments") {
    return Error(Status::InvalidArgument("aggregate function calls cannot contain window "
                                         "function calls")
                     .WithSqlState("42803"),
                 call.location);
  }
  return Error(WindowingError(fmt::format("window functions are not allowed in {}", block.clause)),
               call.location);
}

/// Binds the window functions of one SELECT.
class WindowBinder {
 public:
  WindowBinder(Binder::Impl& binder, QueryBlock& block) : binder_(binder), block_(block) {}

  Status ResolveNamedWindows(const std::vector<parser::WindowDefinition>& definitions) {
    for (const parser::WindowDefinition& definition : definitions) {
      if (named_.contains(definition.name)) {
        return binder_.Error(
            WindowingError(fmt::format("window \"{}\" is already defined", definition.name)),
            definition.location);
      }
      FLOE_ASSIGN_OR_RETURN(ResolvedWindow window, Resolve(definition.spec));
      // PostgreSQL checks every definition, used or not.
      FLOE_RETURN_NOT_OK(BindKeys(window).status());
      named_.emplace(definition.name, window);
    }
    return Status::OK();
  }

  Status BindCall(const parser::FunctionCallExpression& call) {
    FLOE_ASSIGN_OR_RETURN(ResolvedWindow window, Resolve(*call.over));
    FLOE_ASSIGN_OR_RETURN(auto keys, BindKeys(window));
    const std::vector<ExpressionPtr>& partition_by = keys.first;
    const std::vector<SortKey>& order_by = keys.second;
    FLOE_ASSIGN_OR_RETURN(WindowCall bound, BindFunction(call));
    FLOE_RETURN_NOT_OK(BindFrame(window, order_by, call.over->location, bound));
    if (!execution::UsesFrame(bound.kind)) {
      bound.frame = WindowFrame{};
      bound.start_offset = bound.end_offset = nullptr;
      bound.range_key = bound.range_start = bound.range_end = nullptr;
    }
    auto node = std::find_if(nodes_.begin(), nodes_.end(), [&](const WindowNode& candidate) {
      return SameKeys(candidate, partition_by, order_by);
    });
    if (node == nodes_.end()) {
      nodes_.push_back({partition_by, order_by, {}, {}});
      node = nodes_.end() - 1;
    }
    for (size_t i = 0; i < node->calls.size(); ++i) {
      if (SameCall(node->calls[i], bound)) {
        const LogicalColumn& column = node->columns[i];
        block_.window_calls[&call] = Expression::ColumnRef(column.id, column.type, column.name);
        return Status::OK();
      }
    }
    LogicalColumn column = binder_.NewColumn(bound.name, bound.type);
    block_.window_calls[&call] = Expression::ColumnRef(column.id, column.type, column.name);
    node->calls.push_back(std::move(bound));
    node->columns.push_back(std::move(column));
    return Status::OK();
  }

  // Stacks one kWindow operator per window over the block's plan.
  void BuildPlan() {
    for (WindowNode& node : nodes_) {
      auto window = std::make_unique<LogicalOperator>();
      window->kind = LogicalKind::kWindow;
      window->partition_by = std::move(node.partition_by);
      window->sort_keys = std::move(node.order_by);
      window->window_calls = std::move(node.calls);
      window->columns = block_.plan->columns;
      window->columns.insert(window->columns.end(), node.columns.begin(), node.columns.end());
      window->children.push_back(std::move(block_.plan));
      block_.plan = std::move(window);
    }
  }

 private:
  Result<ResolvedWindow> Resolve(const parser::WindowSpec& spec) {
    ResolvedWindow window{&spec.partition_by, &spec.order_by,
                          spec.frame.has_value() ? &*spec.frame : nullptr};
    if (spec.existing_name.empty()) {
      return window;
    }
    auto found = named_.find(spec.existing_name);
    if (found == named_.end()) {
      return binder_.Error(Status::NotFound("window \"{}\" does not exist", spec.existing_name)
                               .WithSqlState("42704"),
                           spec.location);
    }
    const ResolvedWindow& base = found->second;
    if (spec.is_bare_name) {
      return base;
    }
    // SQL's rules for copying a window (PostgreSQL's transformWindowDefinitions).
    if (!spec.partition_by.empty()) {
      return binder_.Error(
          WindowingError(fmt::format("cannot override PARTITION BY clause of window \"{}\"",
                                     spec.existing_name)),
          spec.location);
    }
    window.partition_by = base.partition_by;
    if (!spec.order_by.empty() && !base.order_by->empty()) {
      return binder_.Error(
          WindowingError(
              fmt::format("cannot override ORDER BY clause of window \"{}\"", spec.existing_name)),
          spec.location);
    }
    if (spec.order_by.empty()) {
      window.order_by = base.order_by;
    }
    if (base.frame != nullptr) {
      return binder_.Error(
          WindowingError(fmt::format("cannot copy window \"{}\" because it has a frame clause",
                                     spec.existing_name))
              .WithHint("Omit the parentheses in this OVER clause."),
          spec.location);
    }
    return window;
  }

  // Binds an expression of a window clause over the block's rows (grouped rows in a grouped
  // query).
  Result<ExpressionPtr> BindOverRows(const parser::Expression& expr, std::string_view clause) {
    block_.clause = std::string(clause);
    FLOE_ASSIGN_OR_RETURN(ExpressionPtr value, binder_.BindValue(expr, block_));
    if (block_.aggregates.active) {
      FLOE_ASSIGN_OR_RETURN(value, binder_.CheckGrouping(value, block_.aggregates));
    }
    return value;
  }

  Result<std::pair<std::vector<ExpressionPtr>, std::vector<SortKey>>> BindKeys(
      const ResolvedWindow& window) {
    std::pair<std::vector<ExpressionPtr>, std::vector<SortKey>> keys;
    for (const auto& expr : *window.partition_by) {
      FLOE_ASSIGN_OR_RETURN(ExpressionPtr key, BindOverRows(*expr, "window definitions"));
      keys.first.push_back(std::move(key));
    }
    for (const auto& item : *window.order_by) {
      SortKey key;
      FLOE_ASSIGN_OR_RETURN(key.expression, BindOverRows(*item.expression, "window definitions"));
      key.is_descending = item.direction == parser::SortDirection::kDescending;
      key.is_nulls_first = item.nulls == parser::NullsOrder::kDefault
                               ? key.is_descending
                               : item.nulls == parser::NullsOrder::kFirst;
      keys.second.push_back(std::move(key));
    }
    return keys;
  }

  Result<Bound> BindArgument(const parser::FunctionArgument& argument) {
    if (!argument.name.empty()) {
      return binder_.Error(Status::NotSupported("named arguments are not supported yet"),
                           argument.value->location);
    }
    block_.clause = "window function calls";
    FLOE_ASSIGN_OR_RETURN(Bound bound, binder_.Bind(*argument.value, block_));
    if (!bound.is_unknown() && block_.aggregates.active) {
      FLOE_ASSIGN_OR_RETURN(bound.expr, binder_.CheckGrouping(bound.expr, block_.aggregates));
    }
    return bound;
  }

  Status NoSuchFunction(const parser::FunctionCallExpression& call,
                        const std::vector<Bound>& args) {
    std::string types;
    for (const Bound& arg : args) {
      types += (types.empty() ? "" : ", ") +
               (arg.is_unknown() ? std::string("unknown") : TypeNameForError(arg.type()));
    }
    return binder_.Error(
        Status::NotFound("function {}({}) does not exist", call.names.back(), types)
            .WithSqlState("42883")
            .WithHint("No function matches the given name and argument types. "
                      "You might need to add explicit type casts."),
        call.location);
  }

  Result<WindowCall> BindFunction(const parser::FunctionCallExpression& call) {
    const std::string& name = call.names.back();
    if (call.names.size() > 2 || (call.names.size() == 2 && call.names[0] != "pg_catalog")) {
      return binder_.Error(
          Status::NotFound("function {} does not exist", fmt::join(call.names, "."))
              .WithSqlState("42883"),
          call.location);
    }
    std::optional<WindowFunctionKind> kind = WindowOnlyKind(name);
    if (!kind.has_value() && !binder_.functions.IsAggregate(name)) {
      return NotAWindowFunction(call);
    }
    if (call.is_distinct) {
      return binder_.Error(Status::NotSupported("DISTINCT is not implemented for window functions"),
                           call.location);
    }
    if (call.is_within_group) {
      return binder_.Error(
          Status::NotSupported("OVER is not supported for ordered-set aggregate {}", name),
          call.location);
    }
    if (IsOrderedSetAggregate(name)) {
      return binder_.Error(
          Status::InvalidArgument("WITHIN GROUP is required for ordered-set aggregate {}", name)
              .WithSqlState("42809"),
          call.location);
    }
    if (!call.order_by.empty()) {
      return binder_.Error(
          Status::NotSupported("aggregate ORDER BY is not implemented for window functions"),
          call.location);
    }
    if (call.is_variadic) {
      return binder_.Error(Status::NotSupported("VARIADIC is not supported in window functions"),
                           call.location);
    }
    std::vector<Bound> args;
    for (const auto& argument : call.arguments) {
      FLOE_ASSIGN_OR_RETURN(Bound bound, BindArgument(argument));
      args.push_back(std::move(bound));
    }
    return kind.has_value() ? BindWindowOnly(call, *kind, std::move(args))
                            : BindAggregate(call, std::move(args));
  }

  // PostgreSQL resolves the call first: an unknown function is 42883, a known one 42809.
  Status NotAWindowFunction(const parser::FunctionCallExpression& call) {
    std::vector<Bound> args;
    block_.clause = "window function calls";
    for (const auto& argument : call.arguments) {
      FLOE_ASSIGN_OR_RETURN(Bound bound, binder_.Bind(*argument.value, block_));
      args.push_back(std::move(bound));
    }
    FLOE_RETURN_NOT_OK(
        binder_.CallScalar(call.names.back(), std::move(args), call.location).status());
    return binder_.Error(Status::InvalidArgument("OVER specified, but {} is not a window "
                                                 "function nor an aggregate function",
                                                 call.names.back())
                             .WithSqlState("42809"),
                         call.location);
  }

  Result<WindowCall> BindWindowOnly(const parser::FunctionCallExpression& call,
                                    WindowFunctionKind kind, std::vector<Bound> args) {
    WindowCall bound;
    bound.kind = kind;
    bound.name = call.names.back();
    if (call.filter != nullptr) {
      return binder_.Error(
          Status::NotSupported("FILTER is not implemented for non-aggregate window functions"),
          call.location);
    }
    if (call.is_star) {
      return binder_.Error(Status::InvalidArgument("* specified, but {} is not an aggregate "
                                                   "function",
                                                   bound.name)
                               .WithSqlState("42809"),
                           call.location);
    }
    size_t min_args = 0;
    size_t max_args = 0;
    switch (kind) {
      case WindowFunctionKind::kNtile:
      case WindowFunctionKind::kFirstValue:
      case WindowFunctionKind::kLastValue:
        min_args = max_args = 1;
        break;
      case WindowFunctionKind::kLag:
      case WindowFunctionKind::kLead:
        min_args = 1;
        max_args = 3;
        break;
      case WindowFunctionKind::kNthValue:
        min_args = max_args = 2;
        break;
      default:
        break;
    }
    if (args.size() < min_args || args.size() > max_args) {
      return NoSuchFunction(call, args);
    }
    switch (kind) {
      case WindowFunctionKind::kRowNumber:
      case WindowFunctionKind::kRank:
      case WindowFunctionKind::kDenseRank:
        bound.type = LogicalType::BigInt();
        return bound;
      case WindowFunctionKind::kPercentRank:
      case WindowFunctionKind::kCumeDist:
        bound.type = LogicalType::Double();
        return bound;
      case WindowFunctionKind::kNtile: {
        FLOE_ASSIGN_OR_RETURN(ExpressionPtr buckets, IntegerArgument(call, args, 0));
        bound.arguments.push_back(std::move(buckets));
        bound.type = LogicalType::Integer();
        return bound;
      }
      case WindowFunctionKind::kLag:
      case WindowFunctionKind::kLead: {
        ExpressionPtr value;
        if (args.size() == 3) {
          // lag(anycompatible, integer, anycompatible): value and default share a type.
          LogicalType common;
          FLOE_ASSIGN_OR_RETURN(
              std::vector<ExpressionPtr> both,
              binder_.CoerceToCommon({args[0], args[2]}, bound.name, call.location, &common));
          value = both[0];
          bound.default_value = both[1];
        } else {
          FLOE_ASSIGN_OR_RETURN(value, binder_.Finalize(args[0]));
        }
        bound.arguments.push_back(value);
        if (args.size() >= 2) {
          FLOE_ASSIGN_OR_RETURN(ExpressionPtr offset, IntegerArgument(call, args, 1));
          bound.arguments.push_back(std::move(offset));
        }
        bound.type = value->type();
        return bound;
      }
      case WindowFunctionKind::kFirstValue:
      case WindowFunctionKind::kLastValue:
      case WindowFunctionKind::kNthValue: {
        FLOE_ASSIGN_OR_RETURN(ExpressionPtr value, binder_.Finalize(args[0]));
        bound.arguments.push_back(value);
        if (kind == WindowFunctionKind::kNthValue) {
          FLOE_ASSIGN_OR_RETURN(ExpressionPtr n, IntegerArgument(call, args, 1));
          bound.arguments.push_back(std::move(n));
        }
        bound.type = value->type();
        return bound;
      }
      case WindowFunctionKind::kAggregate:
        break;
    }
    return Status::Internal("unexpected window function kind");
  }

  Result<ExpressionPtr> IntegerArgument(const parser::FunctionCallExpression& call,
                                        const std::vector<Bound>& args, size_t index) {
    const Bound& arg = args[index];
    if (!arg.is_unknown() && !arg.type().IsInteger()) {
      return NoSuchFunction(call, args);
    }
    return binder_.Coerce(arg, LogicalType::Integer());
  }

  Result<WindowCall> BindAggregate(const parser::FunctionCallExpression& call,
                                   std::vector<Bound> args) {
    WindowCall bound;
    bound.kind = WindowFunctionKind::kAggregate;
    bound.name = call.names.back();
    std::vector<LogicalType> types;
    for (const Bound& arg : args) {
      types.push_back(arg.type());
    }
    Result<AggregateFunction> function = binder_.functions.ResolveAggregate(bound.name, types);
    if (!function.ok()) {
      return binder_.Error(function.status(), call.location);
    }
    for (size_t i = 0; i < args.size(); ++i) {
      const LogicalType& target =
          i < function->argument_types.size() ? function->argument_types[i] : args[i].type();
      FLOE_ASSIGN_OR_RETURN(ExpressionPtr value, target.id() == TypeId::kNull
                                                     ? binder_.Finalize(args[i])
                                                     : binder_.Coerce(args[i], target));
      bound.arguments.push_back(std::move(value));
    }
    if (call.filter != nullptr) {
      block_.clause = "window function calls";
      FLOE_ASSIGN_OR_RETURN(ExpressionPtr filter,
                            binder_.BindCondition(*call.filter, block_, "FILTER"));
      if (block_.aggregates.active) {
        FLOE_ASSIGN_OR_RETURN(filter, binder_.CheckGrouping(filter, block_.aggregates));
      }
      FLOE_RETURN_NOT_OK(binder_.ApplyAggregateFilter(call, filter, *function, bound.arguments));
    }
    bound.type = function->return_type;
    bound.aggregate = std::make_shared<const AggregateFunction>(std::move(*function));
    return bound;
  }

  Status BindFrame(const ResolvedWindow& window, const std::vector<SortKey>& order_by, int location,
                   WindowCall& call) {
    if (window.frame == nullptr) {
      // RANGE UNBOUNDED PRECEDING to CURRENT ROW: up to the last peer, or the whole partition
      // without ORDER BY (every row is a peer).
      call.frame = WindowFrame{};
      return Status::OK();
    }
    const parser::WindowFrame& frame = *window.frame;
    Status checked = CheckFrameBounds(frame);
    if (!checked.ok()) {
      return binder_.Error(checked, location);
    }
    call.frame.unit = frame.unit == parser::FrameUnit::kRows    ? WindowFrame::Unit::kRows
                      : frame.unit == parser::FrameUnit::kRange ? WindowFrame::Unit::kRange
                                                                : WindowFrame::Unit::kGroups;
    call.frame.start = FrameBoundOf(frame.start.kind);
    call.frame.end = FrameBoundOf(frame.end.kind);
    call.frame.exclusion = static_cast<WindowFrame::Exclusion>(frame.exclusion);
    if (frame.unit == parser::FrameUnit::kGroups && order_by.empty()) {
      return binder_.Error(WindowingError("GROUPS mode requires an ORDER BY clause"), location);
    }
    bool has_offset = frame.start.offset != nullptr || frame.end.offset != nullptr;
    if (frame.unit == parser::FrameUnit::kRange && has_offset && order_by.size() != 1) {
      return binder_.Error(WindowingError("RANGE with offset PRECEDING/FOLLOWING requires "
                                          "exactly one ORDER BY column"),
                           location);
    }
    for (bool is_start : {true, false}) {
      const parser::FrameBound& bound = is_start ? frame.start : frame.end;
      if (bound.offset == nullptr) {
        continue;
      }
      FLOE_RETURN_NOT_OK(BindOffset(frame.unit, bound, is_start, order_by, call));
    }
    if (call.range_key != nullptr) {
      FLOE_RETURN_NOT_OK(UnifyRangeTypes(call, location));
    }
    return Status::OK();
  }

  Status BindOffset(parser::FrameUnit unit, const parser::FrameBound& bound, bool is_start,
                    const std::vector<SortKey>& order_by, WindowCall& call) {
    std::string_view unit_name = unit == parser::FrameUnit::kRows    ? "ROWS"
                                 : unit == parser::FrameUnit::kRange ? "RANGE"
                                                                     : "GROUPS";
    block_.clause = fmt::format("argument of {}", unit_name);
    // A frame offset is one value for the whole statement, not a column of the input.
    const bool saved_subqueries = block_.allows_subqueries;
    block_.allows_subqueries = false;
    Result<Bound> bound_offset = binder_.Bind(*bound.offset, block_);
    block_.allows_subqueries = saved_subqueries;
    FLOE_ASSIGN_OR_RETURN(Bound offset, std::move(bound_offset));
    if (!offset.is_unknown()) {
      std::unordered_set<int64_t> ids;
      CollectColumnIds(*offset.expr, ids);
      if (!ids.empty()) {
        return binder_.Error(
            Status::InvalidArgument("argument of {} must not contain variables", unit_name)
                .WithSqlState("42P10"),
            bound.offset->location);
      }
    }
    ExpressionPtr& offset_expr = is_start ? call.start_offset : call.end_offset;
    if (unit != parser::FrameUnit::kRange) {
      FLOE_ASSIGN_OR_RETURN(offset_expr, binder_.Coerce(offset, LogicalType::BigInt()));
      return Status::OK();
    }
    // RANGE: the bound is the current row's key minus or plus the offset, in the direction
    // of the sort (PostgreSQL's in_range support functions).
    const SortKey& key = order_by[0];
    const LogicalType& key_type = key.expression->type();
    LogicalType offset_type;
    ExpressionPtr key_expr = key.expression;
    if (key_type.IsInteger()) {
      offset_type = LogicalType::BigInt();
      key_expr = key_type.id() == TypeId::kBigInt
                     ? key_expr
                     : Expression::Cast(key_expr, LogicalType::BigInt());
    } else if (key_type.IsNumeric()) {
      offset_type = key_type;
    } else if (key_type.id() == TypeId::kDate || key_type.id() == TypeId::kTimestamp ||
               key_type.id() == TypeId::kTimestampTz || key_type.id() == TypeId::kInterval) {
      offset_type = LogicalType::Interval();
    } else {
      return binder_.Error(
          Status::NotSupported("RANGE with offset PRECEDING/FOLLOWING is not supported for "
                               "column type {}",
                               TypeNameForError(key_type)),
          bound.offset->location);
    }
    bool offset_fits =
        offset.is_unknown() ||
        (offset_type.id() == TypeId::kInterval
             ? offset.type().id() == TypeId::kInterval
             : (key_type.IsInteger() ? offset.type().IsInteger() : offset.type().IsNumeric()));
    if (!offset_fits) {
      return binder_.Error(
          Status::NotSupported("RANGE with offset PRECEDING/FOLLOWING is not supported for "
                               "column type {} and offset type {}",
                               TypeNameForError(key_type), TypeNameForError(offset.type()))
              .WithHint("Cast the offset value to an appropriate type."),
          bound.offset->location);
    }
    if (offset.is_unknown() || offset_type.id() == TypeId::kBigInt ||
        key_type.id() == TypeId::kReal || key_type.id() == TypeId::kDouble) {
      FLOE_ASSIGN_OR_RETURN(offset.expr, binder_.Coerce(offset, offset_type));
      offset.unknown = Bound::Unknown::kNone;
    }
    offset_expr = offset.expr;
    const bool is_preceding = bound.kind == parser::FrameBoundKind::kPreceding;
    const bool subtracts = is_preceding != key.is_descending;
    Bound key_bound;
    key_bound.expr = key_expr;
    FLOE_ASSIGN_OR_RETURN(Bound value,
                          binder_.BindOperator(subtracts ? "-" : "+", {key_bound, offset}, 0));
    call.range_key = key_expr;
    (is_start ? call.range_start : call.range_end) = value.expr;
    return Status::OK();
  }

  // Gives the RANGE key and bound values one type, for comparing them.
  Status UnifyRangeTypes(WindowCall& call, int location) {
    std::vector<Bound> values;
    for (const ExpressionPtr& expr : {call.range_key, call.range_start, call.range_end}) {
      if (expr != nullptr) {
        Bound value;
        value.expr = expr;
        values.push_back(std::move(value));
      }
    }
    LogicalType common;
    FLOE_ASSIGN_OR_RETURN(std::vector<ExpressionPtr> unified,
                          binder_.CoerceToCommon(std::move(values), "RANGE", location, &common));
    size_t next = 0;
    for (ExpressionPtr* expr : {&call.range_key, &call.range_start, &call.range_end}) {
      if (*expr != nullptr) {
        *expr = unified[next++];
      }
    }
    return Status::OK();
  }

  Binder::Impl& binder_;
  QueryBlock& block_;
  std::map<std::string, ResolvedWindow> named_;
  std::vector<WindowNode> nodes_;
};

Status Binder::Impl::BindWindows(const parser::SelectBody& select,
                                 const std::vector<const parser::FunctionCallExpression*>& calls,
                                 QueryBlock& block) {
  WindowBinder windows(*this, block);
  std::string saved_clause = block.clause;
  // Subqueries in arguments, PARTITION BY and ORDER BY join into the plan the windows are
  // built on (BuildPlan stacks them afterwards), so each input row carries their values.
  Status status = windows.ResolveNamedWindows(select.windows);
  for (size_t i = 0; status.ok() && i < calls.size(); ++i) {
    status = windows.BindCall(*calls[i]);
  }
  block.clause = std::move(saved_clause);
  FLOE_RETURN_NOT_OK(status);
  windows.BuildPlan();
  return Status::OK();
}

}  // namespace floe::sql::binder
