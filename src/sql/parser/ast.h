#pragma once

// The syntax tree the SQL parser produces and the binder consumes (docs/sql/parser.md).
//
// The tree records what was written, in PostgreSQL's terms, and nothing the catalog decides:
// names are unresolved, literals are untyped text, and type names are PostgreSQL's canonical
// spellings. Every node has a `location`, the 0-based byte offset of its first token in the
// statement text the parser was given, so later stages can point errors at the right place
// (CharacterPosition() in parser.h turns it into PostgreSQL's 1-based character position).
//
// Nodes are plain structs owned through std::unique_ptr. Each family (Expression, TableRef,
// QueryBody, Statement) has a base with a `kind` enum; switch on the kind and downcast with
// As<T>(), which checks the kind in debug builds. Optional children are null pointers; optional
// names are empty strings. Nodes are move-only.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/check.h"

namespace floe::sql::parser {

struct Expression;
struct Query;
struct QueryBody;
struct TableRef;
struct Statement;
using ExpressionPtr = std::unique_ptr<Expression>;
using QueryPtr = std::unique_ptr<Query>;
using QueryBodyPtr = std::unique_ptr<QueryBody>;
using TableRefPtr = std::unique_ptr<TableRef>;
using StatementPtr = std::unique_ptr<Statement>;

/// A possibly qualified name as written, each part folded to lower case unless it was quoted:
/// {"t"}, {"s", "t"}, {"catalog", "s", "t"}.
using QualifiedName = std::vector<std::string>;

// ---------------------------------------------------------------------------------------------
// Types

/// The fields an INTERVAL type or literal is restricted to (`INTERVAL '3' MONTH`,
/// `INTERVAL DAY TO SECOND`).
enum class IntervalFields : uint8_t {
  kNone,
  kYear,
  kMonth,
  kDay,
  kHour,
  kMinute,
  kSecond,
  kYearToMonth,
  kDayToHour,
  kDayToMinute,
  kDayToSecond,
  kHourToMinute,
  kHourToSecond,
  kMinuteToSecond,
};

/// A type as written in a cast, a column definition or a typed literal.
///
/// Built-in types get PostgreSQL's canonical name (what format_type prints) whatever the
/// spelling: int/int4/integer -> "integer", int8/bigint -> "bigint", int2/smallint ->
/// "smallint", float4/real/float(1..24) -> "real", float8/float/double precision/float(25..53)
/// -> "double precision", decimal/numeric -> "numeric", varchar/character varying -> "character
/// varying", char/character/bpchar -> "character", text -> "text", bool/boolean -> "boolean",
/// date -> "date", time [without time zone] -> "time without time zone", timetz/time with time
/// zone -> "time with time zone", timestamp [without time zone] -> "timestamp without time
/// zone", timestamptz/timestamp with time zone -> "timestamp with time zone", "interval",
/// "bytea", "uuid", "json", "jsonb". Other names are kept as written (lower-cased unless quoted),
/// possibly qualified (`pg_catalog.int4` maps like `int4`); the binder rejects unknown ones.
struct TypeName {
  QualifiedName names;
  /// Type modifiers in parentheses: numeric(15,2) -> {15, 2}, character varying(10) -> {10},
  /// timestamp(3) -> {3}, interval second(3) -> {3}. `char` without a length gets {1}, as in
  /// PostgreSQL.
  std::vector<int32_t> modifiers;
  /// Only for "interval": the field restriction, if any.
  IntervalFields interval_fields = IntervalFields::kNone;
  /// Number of array dimensions: `int[]` and `int array` -> 1, `int[][]` -> 2. Array bounds
  /// written inside the brackets are ignored, as PostgreSQL does.
  int array_dimensions = 0;
  int location = 0;

  /// Returns the last name part ("integer" for both `integer` and `pg_catalog.integer`).
  const std::string& Name() const { return names.back(); }
};

// ---------------------------------------------------------------------------------------------
// Expressions

enum class ExpressionKind : uint8_t {
  kColumnRef,         // ColumnRefExpression: a, t.a, s.t.a
  kStar,              // StarExpression: * or t.* (select lists, count(*) is a flag instead)
  kConstant,          // ConstantExpression: 1, 1.5, 'text', TRUE, NULL
  kTypedLiteral,      // TypedLiteralExpression: DATE '2020-01-01', INTERVAL '3' MONTH
  kParameter,         // ParameterExpression: $1
  kCast,              // CastExpression: CAST(x AS t), x::t
  kOperator,          // OperatorExpression: unary (prefix) or binary operator by name
  kBool,              // BoolExpression: AND, OR (n-ary), NOT (one argument)
  kIsTest,            // IsTestExpression: IS [NOT] NULL/TRUE/FALSE/UNKNOWN, ISNULL, NOTNULL
  kDistinctFrom,      // DistinctFromExpression: IS [NOT] DISTINCT FROM
  kBetween,           // BetweenExpression: [NOT] BETWEEN [SYMMETRIC]
  kInList,            // InListExpression: [NOT] IN (a, b, ...)
  kInSubquery,        // InSubqueryExpression: [NOT] IN (SELECT ...)
  kExists,            // ExistsExpression: EXISTS (SELECT ...)
  kSubquery,          // SubqueryExpression: (SELECT ...) as a scalar
  kQuantified,        // QuantifiedExpression: x op ANY|SOME|ALL (subquery | array)
  kLike,              // LikeExpression: [NOT] LIKE / ILIKE / SIMILAR TO [ESCAPE e]
  kCase,              // CaseExpression: simple and searched CASE
  kFunctionCall,      // FunctionCallExpression: f(args), aggregates, window functions,
                      // EXTRACT/SUBSTRING/POSITION/TRIM/OVERLAY
  kConditional,       // ConditionalExpression: COALESCE, NULLIF, GREATEST, LEAST
  kSqlValueFunction,  // SqlValueFunctionExpression: CURRENT_DATE, CURRENT_USER, ...
  kArray,             // ArrayExpression: ARRAY[a, b]
  kArraySubquery,     // ArraySubqueryExpression: ARRAY(SELECT ...)
  kRow,               // RowExpression: ROW(a, b), (a, b)
  kSubscript,         // SubscriptExpression: x[i], x[a:b]
  kFieldSelection,    // FieldSelectionExpression: (x).f
  kAtTimeZone,        // AtTimeZoneExpression: x AT TIME ZONE z
  kCollate,           // CollateExpression: x COLLATE "C"
  kDefault,           // DefaultExpression: DEFAULT in INSERT ... VALUES and UPDATE ... SET
};

/// The base of every expression node.
struct Expression {
  explicit Expression(ExpressionKind kind, int location) : kind(kind), location(location) {}
  Expression(const Expression&) = delete;
  Expression& operator=(const Expression&) = delete;
  virtual ~Expression() = default;

  template <typename T>
  const T& As() const {
    FLOE_DCHECK(kind == T::kKind);
    return static_cast<const T&>(*this);
  }
  template <typename T>
  T& As() {
    FLOE_DCHECK(kind == T::kKind);
    return static_cast<T&>(*this);
  }

  const ExpressionKind kind;
  int location;
};

/// A column (or, in PostgreSQL, a whole-row reference to a table): {"a"}, {"t", "a"},
/// {"s", "t", "a"}.
struct ColumnRefExpression : Expression {
  static constexpr ExpressionKind kKind = ExpressionKind::kColumnRef;
  explicit ColumnRefExpression(int location) : Expression(kKind, location) {}
  QualifiedName names;
};

/// `*` (qualifier empty) or `t.*` / `s.t.*`.
struct StarExpression : Expression {
  static constexpr ExpressionKind kKind = ExpressionKind::kStar;
  explicit StarExpression(int location) : Expression(kKind, location) {}
  QualifiedName qualifier;
};

enum class ConstantKind : uint8_t {
  /// Digits only, possibly with a leading '-': the binder types it int4 if it fits, else int8,
  /// else numeric, as PostgreSQL does. Underscores are removed and 0x/0o/0b literals are
  /// converted to decimal digits.
  kInteger,
  /// A decimal point or an exponent: "1.5", ".5", "1e10", "-2.5E-3"; typed numeric.
  kNumeric,
  /// A string constant, untyped ('unknown') until the binder resolves it from context.
  kString,
  kBoolean,
  kNull,
};

/// A literal. Unary minus applied to a numeric constant is folded into it ("-2"), as
/// PostgreSQL's grammar does, so -2147483648 is an int4.
struct ConstantExpression : Expression {
  static constexpr ExpressionKind kKind = ExpressionKind::kConstant;
  explicit ConstantExpression(int location) : Expression(kKind, location) {}
  ConstantKind constant_kind = ConstantKind::kNull;
  /// kInteger, kNumeric: the digits; kString: the value after unescaping. Empty otherwise.
  std::string text;
  bool bool_value = false;  // kBoolean only.
};

/// A string constant given a type by a prefix: `DATE '2020-01-01'`, `TIMESTAMP '...'`,
/// `INTERVAL '1 day'`, `INTERVAL '3' MONTH` (type.interval_fields = kMonth),
/// `INTERVAL '1.5' SECOND(3)`. PostgreSQL treats it as a cast of an 'unknown' constant.
struct TypedLiteralExpression : Expression {
  static constexpr ExpressionKind kKind = ExpressionKind::kTypedLiteral;
  explicit TypedLiteralExpression(int location) : Expression(kKind, location) {}
  TypeName type;
  std::string value;
};

/// A positional parameter `$n` (n >= 1).
struct ParameterExpression : Expression {
  static constexpr ExpressionKind kKind = ExpressionKind::kParameter;
  explicit ParameterExpression(int location) : Expression(kKind, location) {}
  int index = 0;
};

/// `CAST(operand AS type)` or `operand::type` (same meaning; kept for printing only).
struct CastExpression : Expression {
  static constexpr ExpressionKind kKind = ExpressionKind::kCast;
  explicit CastExpression(int location) : Expression(kKind, location) {}
  ExpressionPtr operand;
  TypeName type;
  bool is_double_colon = false;
};

/// A prefix operator (left is null) or a binary operator, named by its symbol: "+", "-", "*",
/// "/", "%", "^", "||", "=", "<>" (also for "!="), "<", "<=", ">", ">=", "~", "~*", "!~",
/// "!~*", or any other PostgreSQL operator symbol ("@>", "->>", "|/", ...).
struct OperatorExpression : Expression {
  static constexpr ExpressionKind kKind = ExpressionKind::kOperator;
  explicit OperatorExpression(int location) : Expression(kKind, location) {}
  std::string op;
  ExpressionPtr left;  // Null for a prefix operator.
  ExpressionPtr right;
};

enum class BoolOperator : uint8_t { kAnd, kOr, kNot };

/// AND and OR with two or more arguments (a left-nested chain `a AND b AND c` is flattened into
/// one node, as PostgreSQL does), or NOT with one.
struct BoolExpression : Expression {
  static constexpr ExpressionKind kKind = ExpressionKind::kBool;
  explicit BoolExpression(int location) : Expression(kKind, location) {}
  BoolOperator op = BoolOperator::kAnd;
  std::vector<ExpressionPtr> arguments;
};

enum class IsTest : uint8_t { kNull, kTrue, kFalse, kUnknown };

/// `operand IS [NOT] NULL|TRUE|FALSE|UNKNOWN`; `ISNULL` and `NOTNULL` map to kNull.
struct IsTestExpression : Expression {
  static constexpr ExpressionKind kKind = ExpressionKind::kIsTest;
  explicit IsTestExpression(int location) : Expression(kKind, location) {}
  ExpressionPtr operand;
  IsTest test = IsTest::kNull;
  bool negated = false;
};

/// `left IS [NOT] DISTINCT FROM right`.
struct DistinctFromExpression : Expression {
  static constexpr ExpressionKind kKind = ExpressionKind::kDistinctFrom;
  explicit DistinctFromExpression(int location) : Expression(kKind, location) {}
  ExpressionPtr left;
  ExpressionPtr right;
  bool negated = false;  // IS NOT DISTINCT FROM.
};

/// `operand [NOT] BETWEEN [SYMMETRIC] lower AND upper` (ASYMMETRIC is the default).
struct BetweenExpression : Expression {
  static constexpr ExpressionKind kKind = ExpressionKind::kBetween;
  explicit BetweenExpression(int location) : Expression(kKind, location) {}
  ExpressionPtr operand;
  ExpressionPtr lower;
  ExpressionPtr upper;
  bool negated = false;
  bool symmetric = false;
};

/// `operand [NOT] IN (e1, e2, ...)`.
struct InListExpression : Expression {
  static constexpr ExpressionKind kKind = ExpressionKind::kInList;
  explicit InListExpression(int location) : Expression(kKind, location) {}
  ExpressionPtr operand;
  std::vector<ExpressionPtr> list;
  bool negated = false;
};

/// `operand [NOT] IN (SELECT ...)`; operand may be a RowExpression.
struct InSubqueryExpression : Expression {
  static constexpr ExpressionKind kKind = ExpressionKind::kInSubquery;
  explicit InSubqueryExpression(int location) : Expression(kKind, location) {}
  ExpressionPtr operand;
  QueryPtr subquery;
  bool negated = false;
};

/// `EXISTS (SELECT ...)`.
struct ExistsExpression : Expression {
  static constexpr ExpressionKind kKind = ExpressionKind::kExists;
  explicit ExistsExpression(int location) : Expression(kKind, location) {}
  QueryPtr subquery;
};

/// A parenthesised query used as a value: `(SELECT max(x) FROM t)`.
struct SubqueryExpression : Expression {
  static constexpr ExpressionKind kKind = ExpressionKind::kSubquery;
  explicit SubqueryExpression(int location) : Expression(kKind, location) {}
  QueryPtr subquery;
};

enum class Quantifier : uint8_t { kAny, kAll };  // SOME is ANY.

/// `left op ANY|SOME|ALL (subquery)` (subquery set) or `left op ANY|ALL (array expression)`
/// (array set).
struct QuantifiedExpression : Expression {
  static constexpr ExpressionKind kKind = ExpressionKind::kQuantified;
  explicit QuantifiedExpression(int location) : Expression(kKind, location) {}
  ExpressionPtr left;
  std::string op;
  Quantifier quantifier = Quantifier::kAny;
  QueryPtr subquery;  // Exactly one of subquery and array is set.
  ExpressionPtr array;
};

enum class LikeKind : uint8_t { kLike, kILike, kSimilarTo };

/// `operand [NOT] LIKE|ILIKE|SIMILAR TO pattern [ESCAPE escape]`.
struct LikeExpression : Expression {
  static constexpr ExpressionKind kKind = ExpressionKind::kLike;
  explicit LikeExpression(int location) : Expression(kKind, location) {}
  LikeKind like_kind = LikeKind::kLike;
  ExpressionPtr operand;
  ExpressionPtr pattern;
  ExpressionPtr escape;  // Null when absent.
  bool negated = false;
};

/// One WHEN of a CASE: the condition (searched CASE) or the value compared with the operand
/// (simple CASE), and the result.
struct WhenClause {
  ExpressionPtr condition;
  ExpressionPtr result;
};

/// `CASE [operand] WHEN ... THEN ... [ELSE ...] END`; operand is null for a searched CASE.
struct CaseExpression : Expression {
  static constexpr ExpressionKind kKind = ExpressionKind::kCase;
  explicit CaseExpression(int location) : Expression(kKind, location) {}
  ExpressionPtr operand;
  std::vector<WhenClause> when_clauses;
  ExpressionPtr else_result;  // Null when absent.
};

enum class SortDirection : uint8_t { kDefault, kAscending, kDescending };
enum class NullsOrder : uint8_t { kDefault, kFirst, kLast };

/// One key of ORDER BY (queries, windows, aggregate arguments, WITHIN GROUP).
struct OrderByItem {
  ExpressionPtr expression;
  SortDirection direction = SortDirection::kDefault;
  NullsOrder nulls = NullsOrder::kDefault;
};

enum class FrameUnit : uint8_t { kRows, kRange, kGroups };
enum class FrameBoundKind : uint8_t {
  kUnboundedPreceding,
  kPreceding,  // offset PRECEDING
  kCurrentRow,
  kFollowing,  // offset FOLLOWING
  kUnboundedFollowing,
};
enum class FrameExclusion : uint8_t { kNoOthers, kCurrentRow, kGroup, kTies };

struct FrameBound {
  FrameBoundKind kind = FrameBoundKind::kCurrentRow;
  ExpressionPtr offset;  // kPreceding and kFollowing only.
};

/// A window frame. `ROWS n PRECEDING` (no BETWEEN) has end = CURRENT ROW, as in SQL.
struct WindowFrame {
  FrameUnit unit = FrameUnit::kRange;
  FrameBound start;
  FrameBound end;
  bool has_between = false;  // Printing only: whether BETWEEN ... AND ... was written.
  FrameExclusion exclusion = FrameExclusion::kNoOthers;
};

/// A window: in OVER (...), in WINDOW name AS (...), or a bare `OVER name`.
struct WindowSpec {
  /// `OVER w` without parentheses: only `existing_name` is set.
  bool is_bare_name = false;
  /// The window this one refines: `OVER (w ORDER BY x)`. Empty when none.
  std::string existing_name;
  std::vector<ExpressionPtr> partition_by;
  std::vector<OrderByItem> order_by;
  std::optional<WindowFrame> frame;
  int location = 0;
};

/// One argument of a function call: positional (name empty) or named (`name => value`).
struct FunctionArgument {
  std::string name;
  ExpressionPtr value;
};

/// The SQL-standard syntax a call was written in. The call's name and arguments are already
/// those of the PostgreSQL function the syntax stands for; the syntax only matters for printing.
enum class FunctionSyntax : uint8_t {
  kNormal,     // f(a, b)
  kExtract,    // EXTRACT(field FROM x) -> extract('field', x)
  kSubstring,  // SUBSTRING(x FROM a [FOR b]) -> substring(x, a [, b]);
               // SUBSTRING(x FOR b) -> substring(x, 1, b);
               // SUBSTRING(x SIMILAR p ESCAPE e) -> substring(x, p, e)
  kPosition,   // POSITION(a IN b) -> position(b, a)  (note the order)
  kTrim,       // TRIM([BOTH] [c] FROM x) -> btrim(x [, c]); LEADING -> ltrim; TRAILING -> rtrim
  kOverlay,    // OVERLAY(a PLACING b FROM c [FOR d]) -> overlay(a, b, c [, d])
};

/// A function call, including aggregates and window functions.
struct FunctionCallExpression : Expression {
  static constexpr ExpressionKind kKind = ExpressionKind::kFunctionCall;
  explicit FunctionCallExpression(int location) : Expression(kKind, location) {}
  QualifiedName names;  // {"count"}, {"pg_catalog", "lower"}
  std::vector<FunctionArgument> arguments;
  /// `count(*)`: arguments is empty.
  bool is_star = false;
  /// `count(DISTINCT x)`.
  bool is_distinct = false;
  /// `f(VARIADIC arr)`: the last argument was marked VARIADIC.
  bool is_variadic = false;
  /// `string_agg(x, ',' ORDER BY y)`; for WITHIN GROUP, the ordering inside it.
  std::vector<OrderByItem> order_by;
  /// `percentile_cont(0.5) WITHIN GROUP (ORDER BY x)`: order_by holds the WITHIN GROUP keys.
  bool is_within_group = false;
  ExpressionPtr filter;              // FILTER (WHERE ...); null when absent.
  std::unique_ptr<WindowSpec> over;  // OVER ...; null for a plain or aggregate call.
  FunctionSyntax syntax = FunctionSyntax::kNormal;
};

enum class ConditionalKind : uint8_t { kCoalesce, kNullIf, kGreatest, kLeast };

/// COALESCE, NULLIF (two arguments), GREATEST and LEAST: keywords in PostgreSQL with their own
/// evaluation rules (lazy arguments, NULL handling), not ordinary functions.
struct ConditionalExpression : Expression {
  static constexpr ExpressionKind kKind = ExpressionKind::kConditional;
  explicit ConditionalExpression(int location) : Expression(kKind, location) {}
  ConditionalKind conditional_kind = ConditionalKind::kCoalesce;
  std::vector<ExpressionPtr> arguments;
};

enum class SqlValueFunction : uint8_t {
  kCurrentDate,
  kCurrentTime,
  kCurrentTimestamp,
  kLocalTime,
  kLocalTimestamp,
  kCurrentRole,
  kCurrentUser,
  kSessionUser,
  kUser,
  kCurrentCatalog,
  kCurrentSchema,
};

/// The niladic SQL functions written without parentheses. CURRENT_TIME, CURRENT_TIMESTAMP,
/// LOCALTIME and LOCALTIMESTAMP take an optional precision: `CURRENT_TIMESTAMP(3)`.
struct SqlValueFunctionExpression : Expression {
  static constexpr ExpressionKind kKind = ExpressionKind::kSqlValueFunction;
  explicit SqlValueFunctionExpression(int location) : Expression(kKind, location) {}
  SqlValueFunction function = SqlValueFunction::kCurrentDate;
  std::optional<int32_t> precision;
};

/// `ARRAY[e1, e2]`; a nested `ARRAY[[1, 2], [3, 4]]` has ArrayExpression elements.
struct ArrayExpression : Expression {
  static constexpr ExpressionKind kKind = ExpressionKind::kArray;
  explicit ArrayExpression(int location) : Expression(kKind, location) {}
  std::vector<ExpressionPtr> elements;
};

/// `ARRAY(SELECT ...)`.
struct ArraySubqueryExpression : Expression {
  static constexpr ExpressionKind kKind = ExpressionKind::kArraySubquery;
  explicit ArraySubqueryExpression(int location) : Expression(kKind, location) {}
  QueryPtr subquery;
};

/// `ROW(a, b)`, `ROW()`, `ROW(a)` (is_explicit) or `(a, b)` with at least two fields.
struct RowExpression : Expression {
  static constexpr ExpressionKind kKind = ExpressionKind::kRow;
  explicit RowExpression(int location) : Expression(kKind, location) {}
  std::vector<ExpressionPtr> fields;
  bool is_explicit = false;
};

/// `operand[index]` or the slice `operand[lower:upper]` (either bound may be omitted).
/// `x[1][2]` nests two nodes.
struct SubscriptExpression : Expression {
  static constexpr ExpressionKind kKind = ExpressionKind::kSubscript;
  explicit SubscriptExpression(int location) : Expression(kKind, location) {}
  ExpressionPtr operand;
  ExpressionPtr index;  // Not a slice: the index. Slice: the lower bound, may be null.
  ExpressionPtr upper;  // Slice only; may be null.
  bool is_slice = false;
};

/// `(operand).field`. A dotted name without parentheses (`t.a`) is a ColumnRefExpression.
struct FieldSelectionExpression : Expression {
  static constexpr ExpressionKind kKind = ExpressionKind::kFieldSelection;
  explicit FieldSelectionExpression(int location) : Expression(kKind, location) {}
  ExpressionPtr operand;
  std::string field;
};

/// `operand AT TIME ZONE zone` (`AT LOCAL` is not PostgreSQL 15 syntax).
struct AtTimeZoneExpression : Expression {
  static constexpr ExpressionKind kKind = ExpressionKind::kAtTimeZone;
  explicit AtTimeZoneExpression(int location) : Expression(kKind, location) {}
  ExpressionPtr operand;
  ExpressionPtr zone;
};

/// `operand COLLATE collation`.
struct CollateExpression : Expression {
  static constexpr ExpressionKind kKind = ExpressionKind::kCollate;
  explicit CollateExpression(int location) : Expression(kKind, location) {}
  ExpressionPtr operand;
  QualifiedName collation;
};

/// The keyword DEFAULT where a value is expected: `INSERT ... VALUES (1, DEFAULT)`,
/// `UPDATE ... SET a = DEFAULT`. The parser accepts it only in those places.
struct DefaultExpression : Expression {
  static constexpr ExpressionKind kKind = ExpressionKind::kDefault;
  explicit DefaultExpression(int location) : Expression(kKind, location) {}
};

// ---------------------------------------------------------------------------------------------
// Queries

/// `AS name (c1, c2)` after a table, subquery or function in FROM; name empty when absent.
struct Alias {
  std::string name;
  std::vector<std::string> columns;
};

enum class TableRefKind : uint8_t { kTable, kSubquery, kFunction, kJoin };

struct TableRef {
  explicit TableRef(TableRefKind kind, int location) : kind(kind), location(location) {}
  TableRef(const TableRef&) = delete;
  TableRef& operator=(const TableRef&) = delete;
  virtual ~TableRef() = default;

  template <typename T>
  const T& As() const {
    FLOE_DCHECK(kind == T::kKind);
    return static_cast<const T&>(*this);
  }
  template <typename T>
  T& As() {
    FLOE_DCHECK(kind == T::kKind);
    return static_cast<T&>(*this);
  }

  const TableRefKind kind;
  int location;
};

enum class TimeTravelKind : uint8_t {
  kVersion,    // FOR VERSION AS OF / FOR SYSTEM_VERSION AS OF: a snapshot id, branch or tag.
  kTimestamp,  // FOR TIMESTAMP AS OF / FOR SYSTEM_TIME AS OF.
};

/// Reading a table as of a snapshot (an Iceberg extension of FROM).
struct TimeTravel {
  TimeTravelKind kind = TimeTravelKind::kVersion;
  ExpressionPtr value;
  int location = 0;
};

/// A table or view by name: `[ONLY] s.t [FOR ... AS OF x] [[AS] a [(c1, c2)]]`.
struct TableNameRef : TableRef {
  static constexpr TableRefKind kKind = TableRefKind::kTable;
  explicit TableNameRef(int location) : TableRef(kKind, location) {}
  QualifiedName name;
  bool only = false;
  std::optional<TimeTravel> time_travel;
  Alias alias;
};

/// `[LATERAL] (query) [AS] a [(c1, c2)]` (PostgreSQL 16 makes the alias optional; so do we).
struct SubqueryRef : TableRef {
  static constexpr TableRefKind kKind = TableRefKind::kSubquery;
  explicit SubqueryRef(int location) : TableRef(kKind, location) {}
  QueryPtr query;
  bool lateral = false;
  Alias alias;
};

/// A table function: `[LATERAL] generate_series(1, 10) [WITH ORDINALITY] [AS] g(x)`,
/// `read_parquet('s3://bucket/*.parquet') AS t`, `iceberg_scan('t') [FOR ... AS OF x] AS t`.
struct FunctionRef : TableRef {
  static constexpr TableRefKind kKind = TableRefKind::kFunction;
  explicit FunctionRef(int location) : TableRef(kKind, location) {}
  std::unique_ptr<FunctionCallExpression> call;
  bool lateral = false;
  bool with_ordinality = false;
  std::optional<TimeTravel> time_travel;  // Only iceberg_scan accepts it.
  Alias alias;
};

enum class JoinType : uint8_t { kInner, kLeft, kRight, kFull, kCross };

/// `left [NATURAL] type JOIN right [ON condition | USING (c1, c2) [AS alias]]`, possibly
/// parenthesised and aliased: `(a JOIN b USING (id)) AS j`.
struct JoinRef : TableRef {
  static constexpr TableRefKind kKind = TableRefKind::kJoin;
  explicit JoinRef(int location) : TableRef(kKind, location) {}
  JoinType join_type = JoinType::kInner;
  bool natural = false;
  TableRefPtr left;
  TableRefPtr right;
  ExpressionPtr condition;                 // ON; null otherwise.
  std::vector<std::string> using_columns;  // USING; empty otherwise.
  std::string using_alias;                 // USING (...) AS alias; empty when absent.
  Alias alias;                             // Only for a parenthesised join.
};

/// One item of a select list (or RETURNING): an expression with an optional alias. `*` and
/// `t.*` are StarExpressions.
struct SelectItem {
  ExpressionPtr expression;
  std::string alias;  // Empty when absent.
  int location = 0;
};

enum class GroupingKind : uint8_t {
  kExpression,    // a
  kEmpty,         // ()
  kRollup,        // ROLLUP (a, (b, c))
  kCube,          // CUBE (a, b)
  kGroupingSets,  // GROUPING SETS (...)
};

/// One element of GROUP BY. For kRollup and kCube, `expressions` holds the items, where a
/// parenthesised list `(b, c)` is a RowExpression; for kGroupingSets, `sets` holds nested
/// elements; for kExpression, `expressions` holds the one expression.
struct GroupingElement {
  GroupingKind kind = GroupingKind::kExpression;
  std::vector<ExpressionPtr> expressions;
  std::vector<GroupingElement> sets;
  int location = 0;
};

enum class SetQuantifier : uint8_t { kDefault, kAll, kDistinct };

/// `WINDOW name AS (spec)`.
struct WindowDefinition {
  std::string name;
  WindowSpec spec;
  int location = 0;
};

enum class QueryBodyKind : uint8_t { kSelect, kValues, kSetOperation, kNested };

/// The body of a query: SELECT, VALUES, a set operation or a parenthesised query with its own
/// WITH/ORDER BY/LIMIT.
struct QueryBody {
  explicit QueryBody(QueryBodyKind kind, int location) : kind(kind), location(location) {}
  QueryBody(const QueryBody&) = delete;
  QueryBody& operator=(const QueryBody&) = delete;
  virtual ~QueryBody() = default;

  template <typename T>
  const T& As() const {
    FLOE_DCHECK(kind == T::kKind);
    return static_cast<const T&>(*this);
  }
  template <typename T>
  T& As() {
    FLOE_DCHECK(kind == T::kKind);
    return static_cast<T&>(*this);
  }

  const QueryBodyKind kind;
  int location;
};

/// `SELECT [ALL | DISTINCT | DISTINCT ON (...)] targets [FROM ...] [WHERE ...]
/// [GROUP BY ...] [HAVING ...] [WINDOW ...]`. PostgreSQL allows an empty target list.
struct SelectBody : QueryBody {
  static constexpr QueryBodyKind kKind = QueryBodyKind::kSelect;
  explicit SelectBody(int location) : QueryBody(kKind, location) {}
  /// kDefault and kAll mean the same; kDistinct with a non-empty distinct_on is DISTINCT ON.
  SetQuantifier distinct = SetQuantifier::kDefault;
  std::vector<ExpressionPtr> distinct_on;
  std::vector<SelectItem> targets;
  std::vector<TableRefPtr> from;  // Comma-separated items (an implicit cross join).
  ExpressionPtr where;
  /// GROUP BY ALL | DISTINCT (PostgreSQL: DISTINCT removes duplicate grouping sets).
  SetQuantifier group_by_quantifier = SetQuantifier::kDefault;
  std::vector<GroupingElement> group_by;
  ExpressionPtr having;
  std::vector<WindowDefinition> windows;
};

/// `VALUES (a, b), (c, d)`: rows of equal length (checked by the binder).
struct ValuesBody : QueryBody {
  static constexpr QueryBodyKind kKind = QueryBodyKind::kValues;
  explicit ValuesBody(int location) : QueryBody(kKind, location) {}
  std::vector<std::vector<ExpressionPtr>> rows;
};

enum class SetOperator : uint8_t { kUnion, kIntersect, kExcept };

/// `left UNION|INTERSECT|EXCEPT [ALL|DISTINCT] right`. INTERSECT binds tighter than UNION and
/// EXCEPT; operators of equal precedence associate to the left.
struct SetOperationBody : QueryBody {
  static constexpr QueryBodyKind kKind = QueryBodyKind::kSetOperation;
  explicit SetOperationBody(int location) : QueryBody(kKind, location) {}
  SetOperator op = SetOperator::kUnion;
  bool all = false;  // DISTINCT (the default) when false.
  QueryBodyPtr left;
  QueryBodyPtr right;
};

/// A parenthesised query that has its own WITH, ORDER BY, LIMIT, OFFSET or FETCH:
/// `(SELECT ... ORDER BY x LIMIT 1) UNION ...`. Parentheses around a query without those are
/// dropped, so `(SELECT 1)` as a body is just the SelectBody.
struct NestedQueryBody : QueryBody {
  static constexpr QueryBodyKind kKind = QueryBodyKind::kNested;
  explicit NestedQueryBody(int location) : QueryBody(kKind, location) {}
  QueryPtr query;
};

enum class CteMaterialization : uint8_t { kDefault, kMaterialized, kNotMaterialized };

/// `name [(c1, c2)] AS [[NOT] MATERIALIZED] (query)`.
struct CommonTableExpression {
  std::string name;
  std::vector<std::string> columns;
  CteMaterialization materialization = CteMaterialization::kDefault;
  QueryPtr query;
  int location = 0;
};

struct WithClause {
  bool recursive = false;
  std::vector<CommonTableExpression> ctes;
  int location = 0;
};

/// A complete query: `[WITH ...] body [ORDER BY ...] [LIMIT n | ALL] [OFFSET n [ROWS]]
/// [FETCH FIRST n ROWS ONLY | WITH TIES]`. FETCH FIRST n ROWS ONLY is stored as `limit`;
/// LIMIT ALL as no limit.
struct Query {
  std::unique_ptr<WithClause> with;  // Null when absent.
  QueryBodyPtr body;
  std::vector<OrderByItem> order_by;
  ExpressionPtr limit;   // Null when absent.
  ExpressionPtr offset;  // Null when absent.
  /// FETCH FIRST n ROWS WITH TIES: `limit` is n (1 when omitted) and ties are kept.
  bool with_ties = false;
  int location = 0;
};

// ---------------------------------------------------------------------------------------------
// Options shared by several statements

enum class OptionValueKind : uint8_t {
  kNone,        // A bare option: `HEADER`, `VERBOSE`.
  kString,      // '...'
  kNumber,      // 42, -1.5 (text as written, sign included)
  kIdentifier,  // An identifier or keyword, lower-cased: parquet, true, on, default.
};

struct OptionValue {
  OptionValueKind kind = OptionValueKind::kNone;
  std::string text;
};

/// `key [=] value` in EXPLAIN (...), COPY ... WITH (...), CREATE TABLE ... WITH (...),
/// ALTER TABLE ... SET (...). Keys are lower-cased identifiers, dotted names joined with '.'
/// (`write.format.default`) or string constants taken as written ('format-version').
struct Option {
  std::string name;
  OptionValue value;
  int location = 0;
};

// ---------------------------------------------------------------------------------------------
// Statements

enum class StatementKind : uint8_t {
  kQuery,         // QueryStatement: SELECT, VALUES, WITH ... SELECT, TABLE t
  kExplain,       // ExplainStatement
  kInsert,        // InsertStatement
  kUpdate,        // UpdateStatement
  kDelete,        // DeleteStatement
  kMerge,         // MergeStatement
  kCreateSchema,  // CreateSchemaStatement
  kCreateTable,   // CreateTableStatement (also CREATE TABLE ... AS)
  kCreateView,    // CreateViewStatement
  kAlterTable,    // AlterTableStatement
  kDrop,          // DropStatement: DROP TABLE/VIEW/SCHEMA/ROLE/USER
  kShow,          // ShowStatement
  kSet,           // SetStatement
  kReset,         // ResetStatement
  kTransaction,   // TransactionStatement: BEGIN, COMMIT, ROLLBACK
  kPrepare,       // PrepareStatement
  kExecute,       // ExecuteStatement
  kDeallocate,    // DeallocateStatement
  kCopy,          // CopyStatement
  kCall,          // CallStatement
  kCreateRole,    // CreateRoleStatement (CREATE USER and CREATE ROLE)
  kAlterRole,     // AlterRoleStatement (ALTER USER and ALTER ROLE)
  kGrant,         // GrantStatement (GRANT and REVOKE)
  kComment,       // CommentStatement
  kAnalyze,       // AnalyzeStatement
  kDiscard,       // DiscardStatement
};

struct Statement {
  explicit Statement(StatementKind kind, int location) : kind(kind), location(location) {}
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  virtual ~Statement() = default;

  template <typename T>
  const T& As() const {
    FLOE_DCHECK(kind == T::kKind);
    return static_cast<const T&>(*this);
  }
  template <typename T>
  T& As() {
    FLOE_DCHECK(kind == T::kKind);
    return static_cast<T&>(*this);
  }

  const StatementKind kind;
  int location;
};

/// A query as a statement. `TABLE t` is stored as `SELECT * FROM t`.
struct QueryStatement : Statement {
  static constexpr StatementKind kKind = StatementKind::kQuery;
  explicit QueryStatement(int location) : Statement(kKind, location) {}
  QueryPtr query;
};

/// `EXPLAIN [ANALYZE] [VERBOSE] statement` or `EXPLAIN (option [value], ...) statement`.
/// The legacy keywords are also stored as options ("analyze", "verbose"), so the binder reads
/// one list.
struct ExplainStatement : Statement {
  static constexpr StatementKind kKind = StatementKind::kExplain;
  explicit ExplainStatement(int location) : Statement(kKind, location) {}
  std::vector<Option> options;
  StatementPtr statement;
};

/// `[WITH ...] INSERT INTO t [AS a] [(c1, c2)] {VALUES ... | query | DEFAULT VALUES}
/// [RETURNING ...]`. VALUES lists are a query whose body is a ValuesBody.
struct InsertStatement : Statement {
  static constexpr StatementKind kKind = StatementKind::kInsert;
  explicit InsertStatement(int location) : Statement(kKind, location) {}
  std::unique_ptr<WithClause> with;
  QualifiedName table;
  std::string alias;
  std::vector<std::string> columns;
  QueryPtr query;  // Null for DEFAULT VALUES.
  bool default_values = false;
  std::vector<SelectItem> returning;
};

/// One assignment of UPDATE ... SET or MERGE ... UPDATE SET: `c = e` (one column) or
/// `(c1, c2) = (e1, e2)` / `(c1, c2) = (SELECT ...)` (several columns; `value` is then a
/// RowExpression or a SubqueryExpression). A value may be a DefaultExpression.
struct SetClause {
  std::vector<std::string> columns;
  bool is_multi_column = false;
  ExpressionPtr value;
  int location = 0;
};

/// `[WITH ...] UPDATE [ONLY] t [[AS] a] SET ... [FROM ...] [WHERE ...] [RETURNING ...]`.
struct UpdateStatement : Statement {
  static constexpr StatementKind kKind = StatementKind::kUpdate;
  explicit UpdateStatement(int location) : Statement(kKind, location) {}
  std::unique_ptr<WithClause> with;
  QualifiedName table;
  std::string alias;
  std::vector<SetClause> set;
  std::vector<TableRefPtr> from;
  ExpressionPtr where;
  std::vector<SelectItem> returning;
};

/// `[WITH ...] DELETE FROM [ONLY] t [[AS] a] [USING ...] [WHERE ...] [RETURNING ...]`.
struct DeleteStatement : Statement {
  static constexpr StatementKind kKind = StatementKind::kDelete;
  explicit DeleteStatement(int location) : Statement(kKind, location) {}
  std::unique_ptr<WithClause> with;
  QualifiedName table;
  std::string alias;
  std::vector<TableRefPtr> using_tables;
  ExpressionPtr where;
  std::vector<SelectItem> returning;
};

enum class MergeMatch : uint8_t {
  kMatched,             // WHEN MATCHED
  kNotMatchedByTarget,  // WHEN NOT MATCHED [BY TARGET]
  kNotMatchedBySource,  // WHEN NOT MATCHED BY SOURCE
};
enum class MergeAction : uint8_t { kUpdate, kDelete, kInsert, kDoNothing };

/// One WHEN clause of MERGE.
struct MergeWhenClause {
  MergeMatch match = MergeMatch::kMatched;
  ExpressionPtr condition;  // AND condition; null when absent.
  MergeAction action = MergeAction::kDoNothing;
  std::vector<SetClause> set;                // kUpdate.
  std::vector<std::string> insert_columns;   // kInsert; empty when not listed.
  std::vector<ExpressionPtr> insert_values;  // kInsert VALUES (...).
  bool insert_default_values = false;        // kInsert DEFAULT VALUES.
  int location = 0;
};

/// `[WITH ...] MERGE INTO t [[AS] a] USING source ON condition WHEN ...`.
struct MergeStatement : Statement {
  static constexpr StatementKind kKind = StatementKind::kMerge;
  explicit MergeStatement(int location) : Statement(kKind, location) {}
  std::unique_ptr<WithClause> with;
  QualifiedName table;
  std::string alias;
  TableRefPtr source;
  ExpressionPtr condition;
  std::vector<MergeWhenClause> when_clauses;
};

/// `CREATE SCHEMA [IF NOT EXISTS] name`.
struct CreateSchemaStatement : Statement {
  static constexpr StatementKind kKind = StatementKind::kCreateSchema;
  explicit CreateSchemaStatement(int location) : Statement(kKind, location) {}
  QualifiedName name;
  bool if_not_exists = false;
};

enum class ConstraintKind : uint8_t { kPrimaryKey, kUnique, kForeignKey, kCheck };

/// A table or column constraint. Parsed so the binder can reject them with a clear message
/// (Iceberg tables do not enforce constraints). For a column constraint `columns` is empty.
struct TableConstraint {
  ConstraintKind kind = ConstraintKind::kPrimaryKey;
  std::string name;  // CONSTRAINT name; empty when absent.
  std::vector<std::string> columns;
  QualifiedName referenced_table;               // kForeignKey.
  std::vector<std::string> referenced_columns;  // kForeignKey; empty when not listed.
  ExpressionPtr check;                          // kCheck.
  int location = 0;
};

enum class Nullability : uint8_t { kUnspecified, kNotNull, kNull };

/// `name type [NOT NULL | NULL] [DEFAULT expr] [constraints]`.
struct ColumnDefinition {
  std::string name;
  TypeName type;
  Nullability nullability = Nullability::kUnspecified;
  ExpressionPtr default_value;               // Null when absent.
  std::vector<TableConstraint> constraints;  // PRIMARY KEY, UNIQUE, REFERENCES, CHECK.
  std::vector<std::string> collation;        // COLLATE name; empty when absent.
  int location = 0;
};

/// One field of PARTITIONED BY: `col` (transform "identity"), `bucket(16, col)`,
/// `truncate(4, col)`, `year(col)`, `month(col)`, `day(col)`, `hour(col)`, `void(col)`. Other
/// transform names are kept for the binder to reject.
struct PartitionField {
  std::string transform;
  std::optional<int64_t> parameter;  // bucket and truncate width.
  std::string column;
  int location = 0;
};

/// `CREATE [OR REPLACE] TABLE [IF NOT EXISTS] t (columns, constraints)
/// [PARTITIONED BY (...)] [WITH (k = v, ...)]` or
/// `CREATE ... TABLE t [(c1, c2)] [PARTITIONED BY ...] [WITH (...)] AS query [WITH [NO] DATA]`.
struct CreateTableStatement : Statement {
  static constexpr StatementKind kKind = StatementKind::kCreateTable;
  explicit CreateTableStatement(int location) : Statement(kKind, location) {}
  QualifiedName name;
  bool or_replace = false;
  bool if_not_exists = false;
  std::vector<ColumnDefinition> columns;  // Empty for CREATE TABLE AS.
  std::vector<TableConstraint> constraints;
  std::vector<PartitionField> partition_by;
  std::vector<Option> properties;
  QueryPtr as_query;                         // CREATE TABLE AS; null otherwise.
  std::vector<std::string> as_column_names;  // CREATE TABLE t (a, b) AS ...
  bool with_data = true;                     // WITH NO DATA clears it.
};

/// `CREATE [OR REPLACE] VIEW v [(c1, c2)] AS query`.
struct CreateViewStatement : Statement {
  static constexpr StatementKind kKind = StatementKind::kCreateView;
  explicit CreateViewStatement(int location) : Statement(kKind, location) {}
  QualifiedName name;
  bool or_replace = false;
  std::vector<std::string> columns;
  QueryPtr query;
  /// The query's text exactly as written (a view's stored definition), and its byte span in
  /// the statement text.
  std::string query_text;
  int query_begin = 0;
  int query_end = 0;
};

enum class AlterTableActionKind : uint8_t {
  kAddColumn,        // ADD [COLUMN] [IF NOT EXISTS] definition
  kDropColumn,       // DROP [COLUMN] [IF EXISTS] name [CASCADE|RESTRICT]
  kRenameColumn,     // RENAME [COLUMN] name TO new_name
  kRenameTable,      // RENAME TO new_name
  kAlterColumnType,  // ALTER [COLUMN] name [SET DATA] TYPE type [USING expr]
  kSetNotNull,       // ALTER [COLUMN] name SET NOT NULL
  kDropNotNull,      // ALTER [COLUMN] name DROP NOT NULL
  kSetDefault,       // ALTER [COLUMN] name SET DEFAULT expr
  kDropDefault,      // ALTER [COLUMN] name DROP DEFAULT
  kSetOptions,       // SET (k = v, ...)
  kResetOptions,     // RESET (k, ...)
  kAddConstraint,    // ADD [CONSTRAINT name] PRIMARY KEY|UNIQUE|FOREIGN KEY|CHECK ...
};

enum class DropBehavior : uint8_t { kDefault, kCascade, kRestrict };

/// One action of ALTER TABLE; which fields are set depends on the kind.
struct AlterTableAction {
  AlterTableActionKind kind = AlterTableActionKind::kAddColumn;
  std::optional<ColumnDefinition> column;          // kAddColumn.
  std::string column_name;                         // Column actions other than kAddColumn.
  std::string new_name;                            // kRenameColumn, kRenameTable.
  std::optional<TypeName> type;                    // kAlterColumnType.
  ExpressionPtr expression;                        // kSetDefault value; kAlterColumnType USING.
  bool if_exists = false;                          // kDropColumn.
  bool if_not_exists = false;                      // kAddColumn.
  DropBehavior behavior = DropBehavior::kDefault;  // kDropColumn.
  std::vector<Option> options;                     // kSetOptions; kResetOptions (names only).
  std::optional<TableConstraint> constraint;       // kAddConstraint.
  int location = 0;
};

/// `ALTER TABLE [IF EXISTS] [ONLY] t action [, action ...]`.
struct AlterTableStatement : Statement {
  static constexpr StatementKind kKind = StatementKind::kAlterTable;
  explicit AlterTableStatement(int location) : Statement(kKind, location) {}
  QualifiedName name;
  bool if_exists = false;
  std::vector<AlterTableAction> actions;
};

enum class ObjectKind : uint8_t {
  kTable,
  kView,
  kSchema,
  kRole,               // ROLE and USER (the same thing in PostgreSQL).
  kColumn,             // COMMENT ON COLUMN.
  kAllTablesInSchema,  // GRANT ... ON ALL TABLES IN SCHEMA s.
};

/// `DROP TABLE|VIEW|SCHEMA|ROLE|USER [IF EXISTS] name [, ...] [CASCADE | RESTRICT]`.
struct DropStatement : Statement {
  static constexpr StatementKind kKind = StatementKind::kDrop;
  explicit DropStatement(int location) : Statement(kKind, location) {}
  ObjectKind object_kind = ObjectKind::kTable;
  std::vector<QualifiedName> names;
  bool if_exists = false;
  DropBehavior behavior = DropBehavior::kDefault;
};

enum class ShowKind : uint8_t {
  kVariable,  // SHOW name (SHOW TIME ZONE -> "timezone", SHOW TRANSACTION ISOLATION LEVEL ->
              // "transaction_isolation")
  kAll,       // SHOW ALL
  kTables,    // SHOW TABLES [FROM|IN schema]
  kSchemas,   // SHOW SCHEMAS
  kColumns,   // SHOW COLUMNS FROM|IN t
};

struct ShowStatement : Statement {
  static constexpr StatementKind kKind = StatementKind::kShow;
  explicit ShowStatement(int location) : Statement(kKind, location) {}
  ShowKind show_kind = ShowKind::kVariable;
  std::string name;      // kVariable: the setting, lower case, dotted parts joined with '.'.
  QualifiedName object;  // kTables: the schema (may be empty); kColumns: the table.
};

enum class SetScope : uint8_t { kDefault, kSession, kLocal };

/// `SET [SESSION | LOCAL] name {= | TO} value [, ...] | DEFAULT`; `SET TIME ZONE value |
/// LOCAL | DEFAULT` (name "timezone"; LOCAL is DEFAULT). SET SCHEMA 'x' -> name
/// "search_path"; SET NAMES 'x' -> "client_encoding".
struct SetStatement : Statement {
  static constexpr StatementKind kKind = StatementKind::kSet;
  explicit SetStatement(int location) : Statement(kKind, location) {}
  SetScope scope = SetScope::kDefault;
  std::string name;
  std::vector<OptionValue> values;  // Empty when is_default.
  bool is_default = false;
};

/// `RESET name | ALL` (RESET TIME ZONE -> "timezone").
struct ResetStatement : Statement {
  static constexpr StatementKind kKind = StatementKind::kReset;
  explicit ResetStatement(int location) : Statement(kKind, location) {}
  std::string name;  // Empty when all.
  bool all = false;
};

enum class TransactionKind : uint8_t {
  kBegin,     // BEGIN [WORK | TRANSACTION], START TRANSACTION
  kCommit,    // COMMIT [WORK | TRANSACTION], END
  kRollback,  // ROLLBACK [WORK | TRANSACTION], ABORT
};
enum class IsolationLevel : uint8_t {
  kDefault,
  kReadUncommitted,
  kReadCommitted,
  kRepeatableRead,
  kSerializable,
};
enum class AccessMode : uint8_t { kDefault, kReadOnly, kReadWrite };

struct TransactionStatement : Statement {
  static constexpr StatementKind kKind = StatementKind::kTransaction;
  explicit TransactionStatement(int location) : Statement(kKind, location) {}
  TransactionKind transaction_kind = TransactionKind::kBegin;
  IsolationLevel isolation = IsolationLevel::kDefault;
  AccessMode access_mode = AccessMode::kDefault;
  std::optional<bool> deferrable;  // [NOT] DEFERRABLE; unset when absent.
};

/// `PREPARE name [(type, ...)] AS statement`.
struct PrepareStatement : Statement {
  static constexpr StatementKind kKind = StatementKind::kPrepare;
  explicit PrepareStatement(int location) : Statement(kKind, location) {}
  std::string name;
  std::vector<TypeName> parameter_types;
  StatementPtr statement;
};

/// `EXECUTE name [(argument, ...)]`.
struct ExecuteStatement : Statement {
  static constexpr StatementKind kKind = StatementKind::kExecute;
  explicit ExecuteStatement(int location) : Statement(kKind, location) {}
  std::string name;
  std::vector<ExpressionPtr> arguments;
};

/// `DEALLOCATE [PREPARE] name | ALL`.
struct DeallocateStatement : Statement {
  static constexpr StatementKind kKind = StatementKind::kDeallocate;
  explicit DeallocateStatement(int location) : Statement(kKind, location) {}
  std::string name;  // Empty when all.
  bool all = false;
};

enum class CopyDirection : uint8_t { kTo, kFrom };

/// `COPY t [(c1, c2)] TO 'file' | STDOUT [[WITH] (options)]`, `COPY (query) TO ...`,
/// `COPY t [(c1, c2)] FROM 'file' | STDIN [[WITH] (options)]`. Legacy spellings
/// (`WITH CSV HEADER`, `DELIMITER ','`, `NULL ''`, `BINARY`) become the same options:
/// format 'csv', header, delimiter, null, format 'binary'.
struct CopyStatement : Statement {
  static constexpr StatementKind kKind = StatementKind::kCopy;
  explicit CopyStatement(int location) : Statement(kKind, location) {}
  QualifiedName table;  // Empty when copying a query.
  std::vector<std::string> columns;
  QueryPtr query;  // COPY (query) TO; null otherwise.
  CopyDirection direction = CopyDirection::kTo;
  std::string file;       // Empty when is_stdio.
  bool is_stdio = false;  // STDIN / STDOUT.
  std::vector<Option> options;
};

/// `CALL name(arguments)`, for maintenance procedures.
struct CallStatement : Statement {
  static constexpr StatementKind kKind = StatementKind::kCall;
  explicit CallStatement(int location) : Statement(kKind, location) {}
  std::unique_ptr<FunctionCallExpression> call;
};

enum class RoleOptionKind : uint8_t {
  kPassword,         // PASSWORD 'x' | PASSWORD NULL (value empty, is_null)
  kSuperuser,        // SUPERUSER | NOSUPERUSER
  kCreateDb,         // CREATEDB | NOCREATEDB
  kCreateRole,       // CREATEROLE | NOCREATEROLE
  kInherit,          // INHERIT | NOINHERIT
  kLogin,            // LOGIN | NOLOGIN
  kReplication,      // REPLICATION | NOREPLICATION
  kBypassRls,        // BYPASSRLS | NOBYPASSRLS
  kConnectionLimit,  // CONNECTION LIMIT n (value holds n)
  kValidUntil,       // VALID UNTIL 'timestamp'
};

struct RoleOption {
  RoleOptionKind kind = RoleOptionKind::kLogin;
  bool enabled = true;  // The NO... forms clear it.
  std::string value;
  bool is_null = false;  // PASSWORD NULL.
  int location = 0;
};

/// `CREATE USER|ROLE name [[WITH] option ...]`. CREATE USER implies LOGIN unless NOLOGIN is
/// given; the binder applies that default (is_user tells which was written).
struct CreateRoleStatement : Statement {
  static constexpr StatementKind kKind = StatementKind::kCreateRole;
  explicit CreateRoleStatement(int location) : Statement(kKind, location) {}
  bool is_user = false;
  std::string name;
  std::vector<RoleOption> options;
};

/// `ALTER USER|ROLE name [WITH] option ...` or `ALTER USER|ROLE name RENAME TO new_name`.
struct AlterRoleStatement : Statement {
  static constexpr StatementKind kKind = StatementKind::kAlterRole;
  explicit AlterRoleStatement(int location) : Statement(kKind, location) {}
  bool is_user = false;
  std::string name;
  std::vector<RoleOption> options;
  std::string new_name;  // RENAME TO; empty otherwise.
};

/// One privilege: "select", "insert", "update", "delete", "truncate", "references", "trigger",
/// "usage", "create", "connect", "temporary", "execute", or "all" (ALL [PRIVILEGES]), with
/// optional columns: `SELECT (a, b)`.
struct Privilege {
  std::string name;
  std::vector<std::string> columns;
  int location = 0;
};

/// `GRANT privileges ON [TABLE | SCHEMA | ALL TABLES IN SCHEMA] objects TO roles
/// [WITH GRANT OPTION]`, `REVOKE [GRANT OPTION FOR] privileges ON ... FROM roles
/// [CASCADE | RESTRICT]`, and role membership: `GRANT role, ... TO roles [WITH ADMIN OPTION]`,
/// `REVOKE [ADMIN OPTION FOR] role, ... FROM roles`. Grantee "public" is PUBLIC.
struct GrantStatement : Statement {
  static constexpr StatementKind kKind = StatementKind::kGrant;
  explicit GrantStatement(int location) : Statement(kKind, location) {}
  bool is_grant = true;  // False for REVOKE.
  /// Role membership (no ON clause): `privileges` names the granted roles.
  bool is_role_membership = false;
  std::vector<Privilege> privileges;
  ObjectKind object_kind = ObjectKind::kTable;  // kTable, kSchema or kAllTablesInSchema.
  std::vector<QualifiedName> objects;
  std::vector<std::string> grantees;
  /// GRANT: WITH GRANT OPTION (WITH ADMIN OPTION for membership); REVOKE: GRANT OPTION FOR
  /// (ADMIN OPTION FOR).
  bool grant_option = false;
  DropBehavior behavior = DropBehavior::kDefault;  // REVOKE only.
};

/// `COMMENT ON TABLE|VIEW|SCHEMA|COLUMN name IS 'text' | NULL`.
struct CommentStatement : Statement {
  static constexpr StatementKind kKind = StatementKind::kComment;
  explicit CommentStatement(int location) : Statement(kKind, location) {}
  ObjectKind object_kind = ObjectKind::kTable;
  QualifiedName name;  // For kColumn: table name parts followed by the column.
  std::string comment;
  bool is_null = false;  // IS NULL removes the comment.
};

/// `ANALYZE [VERBOSE] [t [, ...]]`.
struct AnalyzeStatement : Statement {
  static constexpr StatementKind kKind = StatementKind::kAnalyze;
  explicit AnalyzeStatement(int location) : Statement(kKind, location) {}
  bool verbose = false;
  std::vector<QualifiedName> tables;  // Empty: every table.
};

enum class DiscardKind : uint8_t { kAll, kPlans, kSequences, kTemp };

/// `DISCARD ALL | PLANS | SEQUENCES | TEMP`, which connection poolers send.
struct DiscardStatement : Statement {
  static constexpr StatementKind kKind = StatementKind::kDiscard;
  explicit DiscardStatement(int location) : Statement(kKind, location) {}
  DiscardKind discard_kind = DiscardKind::kAll;
};

/// One statement of a message with the byte span of its own text (without the semicolon and
/// surrounding white space).
struct ParsedStatement {
  StatementPtr statement;
  int begin = 0;
  int end = 0;
};

}  // namespace floe::sql::parser
