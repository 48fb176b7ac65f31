#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "sql/binder/binder.h"
#include "types/time_zone.h"

namespace floe::sql::binder {

using execution::Expression;
using execution::ExpressionPtr;

/// One name visible in a FROM clause.
struct ScopeEntry {
  std::string table;  // The alias (or table name) that qualifies it; empty for USING columns.
  std::string name;
  int64_t id = -1;
  types::LogicalType type;
  bool hidden_unqualified = false;  // Reachable only as table.name (joined USING columns).
  bool hidden_star = false;         // Left out of `*`.
};

struct QueryBlock;

/// The names of one FROM clause, and the enclosing query's scope for correlated references.
struct Scope {
  std::vector<ScopeEntry> entries;
  std::vector<std::string> tables;  // Every alias in this FROM clause.
  const Scope* parent = nullptr;
  QueryBlock* block = nullptr;
};

/// A bound expression, with what PostgreSQL's resolution needs to know about untyped inputs:
/// a string literal or NULL (typed by context) or a `$n` parameter.
struct Bound {
  enum class Unknown : uint8_t { kNone, kLiteral, kNull, kParameter };
  ExpressionPtr expr;
  Unknown unknown = Unknown::kNone;
  std::string text;   // kLiteral.
  int parameter = 0;  // kParameter.
  int location = 0;

  bool is_unknown() const { return unknown != Unknown::kNone; }
  /// The type resolution sees: NULL (PostgreSQL's unknown) for untyped inputs.
  types::LogicalType type() const {
    return is_unknown() ? types::LogicalType::Null() : expr->type();
  }
};

/// Grouping state of a query block once GROUP BY or aggregates were found.
struct AggregateState {
  bool active = false;
  std::unordered_set<int64_t> input_ids;  // Columns below the aggregate.
  std::vector<std::pair<ExpressionPtr, int64_t>> groups;
  std::unordered_map<const parser::Expression*, ExpressionPtr> calls;  // Aggregate -> column.
  std::vector<AggregateCall> pending_calls;  // Collected before the operator is built.
  std::vector<LogicalColumn> pending_columns;
  /// With more than one grouping set: the aggregate's key column numbering the set of each
  /// output row, and the indexes into `groups` of each set's keys.
  int64_t set_column = -1;
  std::vector<std::vector<size_t>> set_keys;
};

/// Returns the grouping sets GROUP BY's elements stand for, in PostgreSQL's order: the cross
/// product of the elements' sets, where ROLLUP (a, b) is (a, b), (a), () and CUBE every subset.
/// Parenthesised lists contribute all their items; duplicates are kept, as without DISTINCT.
/// Fails (54001) past 4096 sets.
Result<std::vector<std::vector<const parser::Expression*>>> ExpandGroupingSets(
    const std::vector<parser::GroupingElement>& elements);

/// Drops every grouping set (given as its key numbers) equal as a set of keys to an earlier
/// one: GROUP BY DISTINCT.
void RemoveDuplicateGroupingSets(std::vector<std::vector<size_t>>& set_keys);

/// One SELECT being bound: its plan so far, its scope and its grouping.
struct QueryBlock {
  LogicalOperatorPtr plan;
  Scope scope;
  AggregateState aggregates;
  /// Where expressions are being bound, for "aggregate functions are not allowed in WHERE".
  std::string clause = "WHERE";
  bool allows_aggregates = false;
  bool allows_subqueries = true;
  /// Window function calls of the select list, ORDER BY and DISTINCT ON -> their columns in
  /// the kWindow operators, once bound.
  std::unordered_map<const parser::FunctionCallExpression*, ExpressionPtr> window_calls;
};

struct CteFrame {
  std::vector<const parser::CommonTableExpression*> ctes;
  size_t visible = 0;  // CTEs [0, visible) may be referenced.
  /// WITH RECURSIVE: a CTE may reference itself.
  bool is_recursive = false;
  /// The bound query of each CTE its references share (null until first referenced; see
  /// CteDefinition), by position in `ctes`.
  std::vector<std::shared_ptr<CteDefinition>> definitions;
};

/// A recursive CTE while its terms are being bound: references to it read the work table.
struct RecursiveCteState {
  const parser::CommonTableExpression* cte = nullptr;
  bool is_union_form = false;
  bool in_non_recursive_term = true;
  int references = 0;
  // The binder's depths when the recursive term started: a reference deeper in either is in
  // a subquery expression or on the nullable side of an outer join, which PostgreSQL rejects.
  int subquery_depth = 0;
  int nullable_side_depth = 0;
  std::vector<LogicalColumn> columns;  // Names and types of the CTE's columns.
  std::shared_ptr<execution::WorkTable> work_table;
};

struct Binder::Impl {
  Impl(CatalogAccessor& catalog, const FunctionRegistry& functions, std::string_view sql)
      : catalog(catalog), functions(functions), sql(sql) {}

  CatalogAccessor& catalog;
  const FunctionRegistry& functions;
  std::string sql;
  int64_t next_id = 0;
  std::unordered_map<int64_t, std::string> column_names;  // For grouping errors.
  std::unordered_map<int64_t, int> column_locations;
  std::vector<types::LogicalType> parameter_types;
  // The session's zone, in which TIMESTAMPTZ literals are read when the binder types them.
  const types::TimeZone* time_zone = &types::TimeZone::Utc();
  std::vector<CteFrame> cte_frames;
  std::vector<RecursiveCteState> recursive_ctes;
  int subquery_depth = 0;       // Subquery expressions being bound.
  int nullable_side_depth = 0;  // Nullable sides of outer joins being bound.
  int view_depth = 0;
  // What a LATERAL item of the FROM clause being bound may see besides the enclosing queries:
  // the FROM items before it and the left sides of the joins it is the right side of.
  const Scope* lateral_scope = nullptr;

  // ---- Helpers (binder.cc) ----
  int64_t NewId() { return next_id++; }
  Status Error(Status status, int location) const;
  LogicalColumn NewColumn(std::string name, types::LogicalType type);

  // ---- Queries (binder.cc) ----
  Result<LogicalOperatorPtr> BindQuery(const parser::Query& query, const Scope* outer);
  Result<LogicalOperatorPtr> BindBody(const parser::QueryBody& body, const Scope* outer,
                                      const parser::Query* query);
  Result<LogicalOperatorPtr> BindSelect(const parser::SelectBody& select, const Scope* outer,
                                        const parser::Query* query);
  Result<LogicalOperatorPtr> BindValues(const parser::ValuesBody& values);
  Result<LogicalOperatorPtr> BindSetOperation(const parser::SetOperationBody& body,
                                              const Scope* outer);
  Result<LogicalOperatorPtr> ApplyOrderLimit(LogicalOperatorPtr plan, const parser::Query& query,
                                             const Scope* outer);
  Result<int64_t> BindLimitValue(const parser::Expression& expr, std::string_view clause);

  // ---- FROM (binder.cc) ----
  Status BindFrom(const std::vector<parser::TableRefPtr>& from, QueryBlock& block);
  Result<LogicalOperatorPtr> BindTableRef(const parser::TableRef& ref, QueryBlock& block,
                                          Scope& scope);
  Result<LogicalOperatorPtr> BindTableName(const parser::TableNameRef& ref, Scope& scope);
  Result<LogicalOperatorPtr> BindFunctionRef(const parser::FunctionRef& ref, Scope& scope);
  /// generate_series or unnest in FROM as a kTableFunction over one row without columns, which
  /// JoinLateral replaces with the items before it.
  Result<LogicalOperatorPtr> BindTableFunction(const parser::FunctionRef& ref,
                                               std::vector<Bound> arguments, Scope& scope);
  Result<LogicalOperatorPtr> BindJoin(const parser::JoinRef& ref, QueryBlock& block, Scope& scope);
  /// FOR VERSION/TIMESTAMP AS OF on the Iceberg table `relation`: the snapshot it selects
  /// (with `relation` changed to that snapshot's schema), or nullopt without the clause.
  Result<std::optional<int64_t>> BindTimeTravel(const std::optional<parser::TimeTravel>& clause,
                                                RelationInfo& relation);
  /// iceberg_scan(location [, allow_moved_paths => bool]) [FOR ... AS OF x]: makes `op` read
  /// the table (iceberg_scan_binder.cc).
  Status BindIcebergScan(const parser::FunctionRef& ref, const std::vector<Bound>& arguments,
                         LogicalOperator& op);
  Status AddRelationToScope(const LogicalOperator& plan, const std::string& alias,
                            const parser::Alias& renames, Scope& scope, int location);

  // ---- Expressions (expression_binder.cc) ----
  Result<Bound> Bind(const parser::Expression& expr, QueryBlock& block);
  /// Binds and gives untyped inputs their default type (text).
  Result<ExpressionPtr> BindValue(const parser::Expression& expr, QueryBlock& block);
  Result<ExpressionPtr> BindCondition(const parser::Expression& expr, QueryBlock& block,
                                      std::string_view clause);
  Result<ExpressionPtr> Coerce(const Bound& bound, const types::LogicalType& type);
  Result<ExpressionPtr> Finalize(const Bound& bound);
  Result<Bound> BindColumnRef(const parser::ColumnRefExpression& ref, QueryBlock& block);
  Result<Bound> BindOperator(std::string_view op, std::vector<Bound> args, int location);
  Result<Bound> BindFunction(const parser::FunctionCallExpression& call, QueryBlock& block);
  Result<Bound> BindAggregateReference(const parser::FunctionCallExpression& call,
                                       QueryBlock& block);
  /// Rewrites agg(x) FILTER (WHERE c) as agg(CASE WHEN c THEN x END), and count(*) FILTER as
  /// count(CASE WHEN c THEN 1 END), updating `function` and `arguments`. NotSupported for
  /// aggregates that keep NULLs and with DISTINCT.
  Status ApplyAggregateFilter(const parser::FunctionCallExpression& call,
                              const ExpressionPtr& filter, AggregateFunction& function,
                              std::vector<ExpressionPtr>& arguments);
  /// WITHIN GROUP: sorts by the arguments after the `num_direct` direct ones, which may read
  /// no column (0A000).
  Status BindWithinGroupKeys(const parser::FunctionCallExpression& call, size_t num_direct,
                             AggregateCall& aggregate);
  /// ORDER BY inside an aggregate call (`keys`, bound, beside the bound `args`): sort keys for
  /// array_agg and string_agg, reusing equal arguments and adding the other keys as sort-only
  /// arguments; ignored by other aggregates. With DISTINCT every key must be an argument
  /// (42P10).
  Status BindAggregateOrderBy(const parser::FunctionCallExpression& call,
                              const std::vector<Bound>& args, const std::vector<Bound>& keys,
                              AggregateCall& aggregate);
  Result<Bound> CallScalar(std::string_view name, std::vector<Bound> args, int location);
  Result<std::vector<ExpressionPtr>> CoerceToCommon(std::vector<Bound> args,
                                                    std::string_view context, int location,
                                                    types::LogicalType* common);
  Result<Bound> BindCase(const parser::CaseExpression& expr, QueryBlock& block);
  Result<Bound> BindConditional(const parser::ConditionalExpression& expr, QueryBlock& block);
  Result<Bound> BindCast(const parser::Expression& operand, const parser::TypeName& type,
                         QueryBlock& block, int location);
  Result<Bound> BindConstant(const parser::ConstantExpression& expr);
  Result<Bound> BindSqlValueFunction(const parser::SqlValueFunctionExpression& expr);
  Result<Bound> BindCurrentSchema(int location);
  Result<ExpressionPtr> CheckGrouping(const ExpressionPtr& expr, const AggregateState& state);

  // ---- Arrays (array_binder.cc) ----
  /// ARRAY[a, b]: a LIST of the elements' common type; nested ARRAY[[..], [..]] a LIST of
  /// LISTs of one length. `target` is the type of an enclosing cast, for ARRAY[]::int[].
  Result<Bound> BindArray(const parser::ArrayExpression& expr, QueryBlock& block,
                          const types::LogicalType* target);
  /// a[i] (1-based, NULL out of range) and a[i:j].
  Result<Bound> BindSubscript(const parser::SubscriptExpression& expr, QueryBlock& block);
  /// x op ANY|ALL (array).
  Result<Bound> BindQuantifiedArray(const parser::QuantifiedExpression& expr, QueryBlock& block);
  /// ARRAY(SELECT ...): array_agg over the subquery's rows, '{}' when it has none.
  Result<Bound> BindArraySubquery(const parser::ArraySubqueryExpression& expr, QueryBlock& block);
  /// x::regclass, ::regnamespace, ::regrole, ::regtype, ::regproc: an OID prints as the name it
  /// stands for; a name in a string literal becomes its OID.
  Result<Bound> BindRegCast(const parser::Expression& operand, const parser::TypeName& type,
                            QueryBlock& block, int location);
  /// The name a reg* type prints for `oid` (an INTEGER expression), as text.
  Result<Bound> RegName(const ExpressionPtr& oid, std::string_view type, int location);

  // ---- WITH RECURSIVE (recursive_cte_binder.cc) ----
  /// Binds a reference to `cte`: to the work table inside its own recursive term, as a
  /// recursive union when it refers to itself, else as its plain query.
  /// Binds a reference to the CTE at `index` of frame `frame_index`: a kGet of the shared
  /// CteDefinition where the CTE can be materialized, else the CTE's query bound again.
  Result<LogicalOperatorPtr> BindCteReference(size_t frame_index, size_t index);
  Result<LogicalOperatorPtr> BindCteQuery(const parser::CommonTableExpression& cte,
                                          bool is_recursive_frame);
  Result<LogicalOperatorPtr> BindRecursiveCte(const parser::CommonTableExpression& cte);
  Result<LogicalOperatorPtr> BindWorkTableReference(RecursiveCteState& state);

  // ---- Grouping sets (grouping_sets.cc) ----
  /// Makes `aggregate` (whose `groups` are the keys of every set) compute several grouping
  /// sets at once: its input becomes the block's plan crossed with one row per set, each key
  /// is NULL in the rows of sets without it, and the set number is one more key.
  void AddGroupingSets(const std::vector<std::vector<size_t>>& set_keys, LogicalOperator& aggregate,
                       QueryBlock& block);
  /// GROUPING(a, ...): a bit per argument, set when the row's grouping set lacks it.
  Result<Bound> BindGroupingFunction(const parser::FunctionCallExpression& call, QueryBlock& block);

  // ---- Window functions (window_binder.cc) ----
  /// Adds the window function calls in `expr` (outside subqueries) to `calls`.
  void CollectWindowCalls(const parser::Expression& expr,
                          std::vector<const parser::FunctionCallExpression*>& calls);
  /// Checks the WINDOW clause and binds `calls` over the block's (grouped) plan: stacks one
  /// kWindow operator per distinct PARTITION BY and ORDER BY on it and records each call's
  /// column in `block.window_calls`. Errors as PostgreSQL's: 42P20 windowing errors, 42704 an
  /// unknown window name, 42809 a function that is no window function, 0A000 DISTINCT and
  /// ordered aggregates.
  Status BindWindows(const parser::SelectBody& select,
                     const std::vector<const parser::FunctionCallExpression*>& calls,
                     QueryBlock& block);
  /// Returns the column of a bound window call, or the error for a window call where none is
  /// allowed (WHERE, GROUP BY, nested in another window call or in an aggregate, ...).
  Result<Bound> BindWindowReference(const parser::FunctionCallExpression& call, QueryBlock& block);

  // ---- Aggregates (binder.cc) ----
  void CollectAggregates(const parser::Expression& expr,
                         std::vector<const parser::FunctionCallExpression*>& calls);
  bool IsAggregateCall(const parser::FunctionCallExpression& call) const;

  // ---- Subqueries (subquery_binder.cc) ----
  Result<Bound> BindSubqueryExpression(const parser::Expression& expr, QueryBlock& block);
  /// Binds a WHERE conjunct that is [NOT] EXISTS or [NOT] IN (subquery) as a semi or anti
  /// join; returns false when the conjunct is not of that form.
  Result<bool> TryBindSemiJoin(const parser::Expression& expr, QueryBlock& block);
  Result<LogicalOperatorPtr> BindSubqueryPlan(const parser::Query& query, QueryBlock& block);
  /// Joins `right`, which may read columns of `left` (a LATERAL item), to `left` with `type`
  /// (inner or left) and `conditions` (over both sides). References to `left` are decorrelated:
  /// correlated predicates join the condition; an aggregate without GROUP BY becomes one row
  /// per correlation key, left-joined so that outer rows matching nothing see the aggregates of
  /// no rows; `ORDER BY ... LIMIT n` becomes the first n rows per correlation key (row_number
  /// over the keys); select-list expressions over `left` are computed above the join. Other
  /// shapes are 0A000.
  Result<LogicalOperatorPtr> JoinLateral(LogicalOperatorPtr left, LogicalOperatorPtr right,
                                         JoinType type, std::vector<ExpressionPtr> conditions,
                                         int location);
  /// Replaces `limit` (a LIMIT over a subquery correlated with `correlated`) by a filter on
  /// row_number() over the correlation keys, adding the correlated predicates to `pulled`.
  Status LimitPerKey(LogicalOperatorPtr& limit, const std::unordered_set<int64_t>& correlated,
                     std::vector<ExpressionPtr>& pulled, int location);
  /// Joins `subquery` into the block's plan with `join_type` and `condition` (over both
  /// sides), pulling correlated predicates out of the subquery into the condition.
  /// Returns the mark column's id for a mark join, else -1. `count_ids` receives the count
  /// aggregates that decorrelation turned from one row over all input into one row per key
  /// (their missing rows mean 0, not NULL).
  Result<int64_t> JoinSubquery(QueryBlock& block, LogicalOperatorPtr subquery, JoinType join_type,
                               ExpressionPtr condition, int location,
                               std::unordered_set<int64_t>* count_ids = nullptr);
  Status PullUpCorrelated(LogicalOperatorPtr& op, const std::unordered_set<int64_t>& correlated,
                          std::vector<ExpressionPtr>& pulled,
                          std::unordered_set<int64_t>& count_ids, int location);
  /// Gives each function in FROM of `plan` whose arguments read `correlated` columns of
  /// `outer` the distinct values of those columns (from a copy of `outer`, under new ids) as
  /// input, with a filter equating them to the outer columns above it, which PullUpCorrelated
  /// then pulls like any equality. Records the new ids in `domain_ids`.
  Status AttachCorrelationDomains(LogicalOperatorPtr& plan, const LogicalOperator& outer,
                                  const std::unordered_set<int64_t>& correlated, int location);
  /// Returns `predicate` reading, for each of its `correlated` columns, a domain column of it
  /// in `available` instead; null when some has none.
  ExpressionPtr ReadDomainColumns(const ExpressionPtr& predicate,
                                  const std::unordered_set<int64_t>& correlated,
                                  const std::unordered_set<int64_t>& available);
  /// Outer column id -> the domain columns AttachCorrelationDomains made for it.
  std::unordered_map<int64_t, std::vector<LogicalColumn>> domain_ids;
  /// Binds a correlated scalar subquery whose value is not one aggregate over all its rows:
  /// joined on its rows counted per correlation key, failing (21000) for an outer row that
  /// meets more than one.
  /// Builds, for ARRAY(subquery) correlated by predicates other than equalities, an aggregate
  /// giving the array per distinct value of the outer columns it reads: its columns are the
  /// second of each of `keys` (filled in: a key over the outer plan's columns and the
  /// aggregate's column for it) and then the array.
  Result<LogicalOperatorPtr> BindArraySubqueryPerValue(
      LogicalOperatorPtr plan, QueryBlock& block, int location,
      std::vector<std::pair<ExpressionPtr, LogicalColumn>>& keys);
  Result<Bound> BindCorrelatedScalarSubquery(LogicalOperatorPtr plan,
                                             const std::unordered_set<int64_t>& correlated,
                                             QueryBlock& block, int location);
};

/// Calls `visit` on each expression directly inside `expr`: operands, function arguments, the
/// FILTER condition and an OVER clause's PARTITION BY and ORDER BY expressions; not the insides
/// of subqueries.
void ForEachAstChild(const parser::Expression& expr,
                     const std::function<void(const parser::Expression&)>& visit);

/// True for the functions that exist only as window functions (row_number, lag, ...).
bool IsWindowOnlyFunction(std::string_view name);

/// Returns the ids a plan produces anywhere in it (every operator's output).
void CollectProducedIds(const LogicalOperator& plan, std::unordered_set<int64_t>& ids);
/// Adds the ids `plan`'s expressions reference to `ids`.
void CollectReferencedIds(const LogicalOperator& plan, std::unordered_set<int64_t>& ids);

}  // namespace floe::sql::binder
