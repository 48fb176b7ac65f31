#include "sql/parser/deparser.h"

#include <string>
#include <utility>

#include "sql/parser/keywords.h"

namespace floe::sql::parser {
namespace {

bool IsPlainWord(std::string_view name) {
  if (name.empty() || !((name[0] >= 'a' && name[0] <= 'z') || name[0] == '_')) {
    return false;
  }
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '$';
    if (!ok) {
      return false;
    }
  }
  return true;
}

std::string Quoted(std::string_view name) {
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') {
      out += "\"\"";
    } else {
      out.push_back(c);
    }
  }
  out.push_back('"');
  return out;
}

// Quotes any keyword, for names whose context gives many words a special meaning (SET, SHOW).
std::string StrictName(std::string_view name) {
  if (IsPlainWord(name) && CategoryOf(name) == KeywordCategory::kNone) {
    return std::string(name);
  }
  return Quoted(name);
}

// Quotes a name as PostgreSQL does (unreserved keywords stay bare), and also the few unreserved
// keywords that this grammar reads by looking ahead where a name may stand: `IF [NOT] EXISTS`,
// `UNBOUNDED PRECEDING`, `ROLLUP (`, `CUBE (`, a window's `PARTITION`/`ROWS`/`RANGE`/`GROUPS`,
// `WITH RECURSIVE`, `PREPARE TRANSACTION`, `DEALLOCATE PREPARE`.
std::string Name(std::string_view name) {
  static constexpr std::string_view kLookaheadWords[] = {
      "if",    "unbounded", "rollup",    "cube",        "partition", "rows",
      "range", "groups",    "recursive", "transaction", "prepare"};
  for (std::string_view word : kLookaheadWords) {
    if (name == word) {
      return Quoted(name);
    }
  }
  return QuoteIdentifier(name);
}

std::string Names(const QualifiedName& names) {
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) {
    if (i > 0) {
      out.push_back('.');
    }
    out += Name(names[i]);
  }
  return out;
}

std::string NameList(const std::vector<std::string>& names) {
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) {
    if (i > 0) {
      out += ", ";
    }
    out += Name(names[i]);
  }
  return out;
}

std::string IntervalFieldsText(IntervalFields fields) {
  switch (fields) {
    case IntervalFields::kNone:
      return "";
    case IntervalFields::kYear:
      return "year";
    case IntervalFields::kMonth:
      return "month";
    case IntervalFields::kDay:
      return "day";
    case IntervalFields::kHour:
      return "hour";
    case IntervalFields::kMinute:
      return "minute";
    case IntervalFields::kSecond:
      return "second";
    case IntervalFields::kYearToMonth:
      return "year to month";
    case IntervalFields::kDayToHour:
      return "day to hour";
    case IntervalFields::kDayToMinute:
      return "day to minute";
    case IntervalFields::kDayToSecond:
      return "day to second";
    case IntervalFields::kHourToMinute:
      return "hour to minute";
    case IntervalFields::kHourToSecond:
      return "hour to second";
    case IntervalFields::kMinuteToSecond:
      return "minute to second";
  }
  return "";
}

std::string Modifiers(const std::vector<int32_t>& modifiers) {
  if (modifiers.empty()) {
    return "";
  }
  std::string out = "(";
  for (size_t i = 0; i < modifiers.size(); ++i) {
    if (i > 0) {
      out += ", ";
    }
    out += std::to_string(modifiers[i]);
  }
  out += ")";
  return out;
}

// Type names that the parser reads as keywords, printed in their SQL spelling.
std::string TypeText(const TypeName& type, bool for_literal) {
  std::string out;
  const std::string& name = type.names.back();
  bool single = type.names.size() == 1;
  if (single && (name == "time without time zone" || name == "time with time zone" ||
                 name == "timestamp without time zone" || name == "timestamp with time zone")) {
    size_t space = name.find(' ');
    out = name.substr(0, space) + Modifiers(type.modifiers) + name.substr(space);
  } else if (single && name == "interval") {
    out = "interval";
    if (type.interval_fields == IntervalFields::kNone) {
      out += Modifiers(type.modifiers);
    } else if (!for_literal) {
      out += " " + IntervalFieldsText(type.interval_fields) + Modifiers(type.modifiers);
    }
  } else if (single &&
             (name == "integer" || name == "bigint" || name == "smallint" || name == "real" ||
              name == "double precision" || name == "numeric" || name == "character varying" ||
              name == "character" || name == "boolean" || name == "bit" || name == "bit varying")) {
    out = name + Modifiers(type.modifiers);
  } else {
    for (size_t i = 0; i < type.names.size(); ++i) {
      out += (i > 0 ? "." : "") + QuoteIdentifier(type.names[i]);
    }
    out += Modifiers(type.modifiers);
  }
  for (int i = 0; i < type.array_dimensions; ++i) {
    out += "[]";
  }
  return out;
}

std::string OptionValueText(const OptionValue& value) {
  switch (value.kind) {
    case OptionValueKind::kNone:
      return "";
    case OptionValueKind::kString:
      return QuoteString(value.text);
    case OptionValueKind::kNumber:
      return value.text;
    case OptionValueKind::kIdentifier:
      return IsPlainWord(value.text) ? value.text : Quoted(value.text);
  }
  return "";
}

std::string OptionNameText(const std::string& name) {
  // Dotted keys print as written when every part reads back as a word.
  size_t start = 0;
  bool plain = !name.empty();
  while (plain) {
    size_t dot = name.find('.', start);
    std::string_view part = std::string_view(name).substr(
        start, dot == std::string::npos ? std::string::npos : dot - start);
    plain = IsPlainWord(part);
    if (dot == std::string::npos) {
      break;
    }
    start = dot + 1;
  }
  return plain ? name : QuoteString(name);
}

std::string OptionsText(const std::vector<Option>& options, bool with_equals) {
  std::string out = "(";
  for (size_t i = 0; i < options.size(); ++i) {
    if (i > 0) {
      out += ", ";
    }
    out += OptionNameText(options[i].name);
    if (options[i].value.kind != OptionValueKind::kNone) {
      out += with_equals ? " = " : " ";
      out += OptionValueText(options[i].value);
    }
  }
  out += ")";
  return out;
}

// Setting names are quoted when they are any keyword, so that `time`, `transaction` or `all`
// are not read as the special forms of SET and SHOW.
std::string SettingName(const std::string& name) {
  std::string out;
  size_t start = 0;
  while (true) {
    size_t dot = name.find('.', start);
    std::string part =
        name.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    out += StrictName(part);
    if (dot == std::string::npos) {
      break;
    }
    out.push_back('.');
    start = dot + 1;
  }
  return out;
}

class Deparser {
 public:
  std::string out;

  void Expr(const Expression& expression) {
    switch (expression.kind) {
      case ExpressionKind::kColumnRef:
        out += Names(expression.As<ColumnRefExpression>().names);
        return;
      case ExpressionKind::kStar: {
        const auto& star = expression.As<StarExpression>();
        if (!star.qualifier.empty()) {
          out += Names(star.qualifier) + ".";
        }
        out += "*";
        return;
      }
      case ExpressionKind::kConstant:
        Constant(expression.As<ConstantExpression>());
        return;
      case ExpressionKind::kTypedLiteral: {
        const auto& literal = expression.As<TypedLiteralExpression>();
        out += TypeText(literal.type, true) + " " + QuoteString(literal.value);
        if (literal.type.names.size() == 1 && literal.type.names[0] == "interval" &&
            literal.type.interval_fields != IntervalFields::kNone) {
          out += " " + IntervalFieldsText(literal.type.interval_fields) +
                 Modifiers(literal.type.modifiers);
        }
        return;
      }
      case ExpressionKind::kParameter:
        out += "$" + std::to_string(expression.As<ParameterExpression>().index);
        return;
      case ExpressionKind::kCast: {
        const auto& cast = expression.As<CastExpression>();
        if (cast.is_double_colon) {
          out += "(";
          Expr(*cast.operand);
          out += ")::" + TypeText(cast.type, false);
        } else {
          out += "CAST(";
          Expr(*cast.operand);
          out += " AS " + TypeText(cast.type, false) + ")";
        }
        return;
      }
      case ExpressionKind::kOperator: {
        const auto& op = expression.As<OperatorExpression>();
        out += "(";
        if (op.left) {
          Expr(*op.left);
          out += " ";
        }
        out += op.op + " ";
        Expr(*op.right);
        out += ")";
        return;
      }
      case ExpressionKind::kBool:
        Bool(expression.As<BoolExpression>());
        return;
      case ExpressionKind::kIsTest: {
        const auto& test = expression.As<IsTestExpression>();
        static constexpr std::string_view kTests[] = {"NULL", "TRUE", "FALSE", "UNKNOWN"};
        out += "(";
        Expr(*test.operand);
        out += test.negated ? " IS NOT " : " IS ";
        out += kTests[static_cast<int>(test.test)];
        out += ")";
        return;
      }
      case ExpressionKind::kDistinctFrom: {
        const auto& distinct = expression.As<DistinctFromExpression>();
        out += "(";
        Expr(*distinct.left);
        out += distinct.negated ? " IS NOT DISTINCT FROM " : " IS DISTINCT FROM ";
        Expr(*distinct.right);
        out += ")";
        return;
      }
      case ExpressionKind::kBetween: {
        const auto& between = expression.As<BetweenExpression>();
        out += "(";
        Expr(*between.operand);
        out += between.negated ? " NOT BETWEEN " : " BETWEEN ";
        if (between.symmetric) {
          out += "SYMMETRIC ";
        }
        Expr(*between.lower);
        out += " AND ";
        Expr(*between.upper);
        out += ")";
        return;
      }
      case ExpressionKind::kInList: {
        const auto& in = expression.As<InListExpression>();
        out += "(";
        Expr(*in.operand);
        out += in.negated ? " NOT IN (" : " IN (";
        List(in.list);
        out += "))";
        return;
      }
      case ExpressionKind::kInSubquery: {
        const auto& in = expression.As<InSubqueryExpression>();
        out += "(";
        Expr(*in.operand);
        out += in.negated ? " NOT IN (" : " IN (";
        QueryText(*in.subquery);
        out += "))";
        return;
      }
      case ExpressionKind::kExists:
        out += "EXISTS (";
        QueryText(*expression.As<ExistsExpression>().subquery);
        out += ")";
        return;
      case ExpressionKind::kSubquery:
        out += "(";
        QueryText(*expression.As<SubqueryExpression>().subquery);
        out += ")";
        return;
      case ExpressionKind::kQuantified: {
        const auto& quantified = expression.As<QuantifiedExpression>();
        out += "(";
        Expr(*quantified.left);
        out += " " + quantified.op;
        out += quantified.quantifier == Quantifier::kAll ? " ALL (" : " ANY (";
        if (quantified.subquery) {
          QueryText(*quantified.subquery);
        } else {
          Expr(*quantified.array);
        }
        out += "))";
        return;
      }
      case ExpressionKind::kLike: {
        const auto& like = expression.As<LikeExpression>();
        static constexpr std::string_view kNames[] = {"LIKE", "ILIKE", "SIMILAR TO"};
        out += "(";
        Expr(*like.operand);
        out += like.negated ? " NOT " : " ";
        out += kNames[static_cast<int>(like.like_kind)];
        out += " ";
        Expr(*like.pattern);
        if (like.escape) {
          out += " ESCAPE ";
          Expr(*like.escape);
        }
        out += ")";
        return;
      }
      case ExpressionKind::kCase: {
        const auto& node = expression.As<CaseExpression>();
        out += "CASE";
        if (node.operand) {
          out += " ";
          Expr(*node.operand);
        }
        for (const WhenClause& clause : node.when_clauses) {
          out += " WHEN ";
          Expr(*clause.condition);
          out += " THEN ";
          Expr(*clause.result);
        }
        if (node.else_result) {
          out += " ELSE ";
          Expr(*node.else_result);
        }
        out += " END";
        return;
      }
      case ExpressionKind::kFunctionCall:
        Call(expression.As<FunctionCallExpression>());
        return;
      case ExpressionKind::kConditional: {
        const auto& node = expression.As<ConditionalExpression>();
        static constexpr std::string_view kNames[] = {"COALESCE", "NULLIF", "GREATEST", "LEAST"};
        out += kNames[static_cast<int>(node.conditional_kind)];
        out += "(";
        List(node.arguments);
        out += ")";
        return;
      }
      case ExpressionKind::kSqlValueFunction: {
        const auto& node = expression.As<SqlValueFunctionExpression>();
        static constexpr std::string_view kNames[] = {
            "CURRENT_DATE",   "CURRENT_TIME",    "CURRENT_TIMESTAMP", "LOCALTIME",
            "LOCALTIMESTAMP", "CURRENT_ROLE",    "CURRENT_USER",      "SESSION_USER",
            "USER",           "CURRENT_CATALOG", "CURRENT_SCHEMA"};
        out += kNames[static_cast<int>(node.function)];
        if (node.precision) {
          out += "(" + std::to_string(*node.precision) + ")";
        }
        return;
      }
      case ExpressionKind::kArray:
        out += "ARRAY[";
        List(expression.As<ArrayExpression>().elements);
        out += "]";
        return;
      case ExpressionKind::kArraySubquery:
        out += "ARRAY(";
        QueryText(*expression.As<ArraySubqueryExpression>().subquery);
        out += ")";
        return;
      case ExpressionKind::kRow: {
        const auto& row = expression.As<RowExpression>();
        out += row.is_explicit || row.fields.size() < 2 ? "ROW(" : "(";
        List(row.fields);
        out += ")";
        return;
      }
      case ExpressionKind::kSubscript: {
        const auto& subscript = expression.As<SubscriptExpression>();
        out += "(";
        Expr(*subscript.operand);
        out += ")[";
        if (subscript.index) {
          Expr(*subscript.index);
        }
        if (subscript.is_slice) {
          out += ":";
          if (subscript.upper) {
            Expr(*subscript.upper);
          }
        }
        out += "]";
        return;
      }
      case ExpressionKind::kFieldSelection: {
        const auto& field = expression.As<FieldSelectionExpression>();
        out += "(";
        Expr(*field.operand);
        out += ")." + Name(field.field);
        return;
      }
      case ExpressionKind::kAtTimeZone: {
        const auto& node = expression.As<AtTimeZoneExpression>();
        out += "(";
        Expr(*node.operand);
        out += " AT TIME ZONE ";
        Expr(*node.zone);
        out += ")";
        return;
      }
      case ExpressionKind::kCollate: {
        const auto& node = expression.As<CollateExpression>();
        out += "(";
        Expr(*node.operand);
        out += " COLLATE " + Names(node.collation) + ")";
        return;
      }
      case ExpressionKind::kDefault:
        out += "DEFAULT";
        return;
    }
  }

  void Constant(const ConstantExpression& constant) {
    switch (constant.constant_kind) {
      case ConstantKind::kInteger:
      case ConstantKind::kNumeric:
        if (!constant.text.empty() && constant.text[0] == '-') {
          out += "(" + constant.text + ")";
        } else {
          out += constant.text;
        }
        return;
      case ConstantKind::kString:
        out += QuoteString(constant.text);
        return;
      case ConstantKind::kBoolean:
        out += constant.bool_value ? "TRUE" : "FALSE";
        return;
      case ConstantKind::kNull:
        out += "NULL";
        return;
    }
  }

  void Bool(const BoolExpression& node) {
    out += "(";
    if (node.op == BoolOperator::kNot) {
      out += "NOT ";
      Expr(*node.arguments[0]);
    } else {
      for (size_t i = 0; i < node.arguments.size(); ++i) {
        if (i > 0) {
          out += node.op == BoolOperator::kAnd ? " AND " : " OR ";
        }
        Expr(*node.arguments[i]);
      }
    }
    out += ")";
  }

  void List(const std::vector<ExpressionPtr>& list) {
    for (size_t i = 0; i < list.size(); ++i) {
      if (i > 0) {
        out += ", ";
      }
      Expr(*list[i]);
    }
  }

  void Arguments(const FunctionCallExpression& call, size_t begin, size_t end) {
    for (size_t i = begin; i < end; ++i) {
      if (i > begin) {
        out += ", ";
      }
      Expr(*call.arguments[i].value);
    }
  }

  void Call(const FunctionCallExpression& call) {
    const auto& args = call.arguments;
    switch (call.syntax) {
      case FunctionSyntax::kExtract: {
        out += "EXTRACT(";
        const auto& field = args[0].value->As<ConstantExpression>();
        out += IsPlainWord(field.text) ? field.text : QuoteString(field.text);
        out += " FROM ";
        Expr(*args[1].value);
        out += ")";
        return;
      }
      case FunctionSyntax::kSubstring:
        out += "SUBSTRING(";
        Expr(*args[0].value);
        out += " FROM ";
        Expr(*args[1].value);
        if (args.size() > 2) {
          out += " FOR ";
          Expr(*args[2].value);
        }
        out += ")";
        return;
      case FunctionSyntax::kPosition:
        out += "POSITION(";
        Expr(*args[1].value);
        out += " IN ";
        Expr(*args[0].value);
        out += ")";
        return;
      case FunctionSyntax::kTrim: {
        const std::string& name = call.names.back();
        out += "TRIM(";
        out += name == "ltrim" ? "LEADING " : name == "rtrim" ? "TRAILING " : "BOTH ";
        if (args.size() == 2) {
          Expr(*args[1].value);
          out += " FROM ";
          Expr(*args[0].value);
        } else {
          out += "FROM ";
          Arguments(call, 0, args.size());
        }
        out += ")";
        return;
      }
      case FunctionSyntax::kOverlay:
        out += "OVERLAY(";
        Expr(*args[0].value);
        out += " PLACING ";
        Expr(*args[1].value);
        out += " FROM ";
        Expr(*args[2].value);
        if (args.size() > 3) {
          out += " FOR ";
          Expr(*args[3].value);
        }
        out += ")";
        return;
      case FunctionSyntax::kNormal:
        break;
    }
    out += Names(call.names) + "(";
    if (call.is_star) {
      out += "*";
    }
    if (call.is_distinct) {
      out += "DISTINCT ";
    }
    for (size_t i = 0; i < args.size(); ++i) {
      if (i > 0) {
        out += ", ";
      }
      if (call.is_variadic && i + 1 == args.size()) {
        out += "VARIADIC ";
      }
      if (!args[i].name.empty()) {
        out += Name(args[i].name) + " => ";
      }
      Expr(*args[i].value);
    }
    if (!call.order_by.empty() && !call.is_within_group) {
      out += " ORDER BY ";
      OrderBy(call.order_by);
    }
    out += ")";
    if (call.is_within_group) {
      out += " WITHIN GROUP (ORDER BY ";
      OrderBy(call.order_by);
      out += ")";
    }
    if (call.filter) {
      out += " FILTER (WHERE ";
      Expr(*call.filter);
      out += ")";
    }
    if (call.over) {
      out += " OVER ";
      if (call.over->is_bare_name) {
        out += Name(call.over->existing_name);
      } else {
        Window(*call.over);
      }
    }
  }

  void OrderBy(const std::vector<OrderByItem>& items) {
    for (size_t i = 0; i < items.size(); ++i) {
      if (i > 0) {
        out += ", ";
      }
      Expr(*items[i].expression);
      if (items[i].direction == SortDirection::kAscending) {
        out += " ASC";
      } else if (items[i].direction == SortDirection::kDescending) {
        out += " DESC";
      }
      if (items[i].nulls == NullsOrder::kFirst) {
        out += " NULLS FIRST";
      } else if (items[i].nulls == NullsOrder::kLast) {
        out += " NULLS LAST";
      }
    }
  }

  void Bound(const FrameBound& bound) {
    switch (bound.kind) {
      case FrameBoundKind::kUnboundedPreceding:
        out += "UNBOUNDED PRECEDING";
        return;
      case FrameBoundKind::kUnboundedFollowing:
        out += "UNBOUNDED FOLLOWING";
        return;
      case FrameBoundKind::kCurrentRow:
        out += "CURRENT ROW";
        return;
      case FrameBoundKind::kPreceding:
        Expr(*bound.offset);
        out += " PRECEDING";
        return;
      case FrameBoundKind::kFollowing:
        Expr(*bound.offset);
        out += " FOLLOWING";
        return;
    }
  }

  void Window(const WindowSpec& spec) {
    out += "(";
    bool space = false;
    auto separate = [&]() {
      if (space) {
        out += " ";
      }
      space = true;
    };
    if (!spec.existing_name.empty()) {
      separate();
      out += Name(spec.existing_name);
    }
    if (!spec.partition_by.empty()) {
      separate();
      out += "PARTITION BY ";
      List(spec.partition_by);
    }
    if (!spec.order_by.empty()) {
      separate();
      out += "ORDER BY ";
      OrderBy(spec.order_by);
    }
    if (spec.frame) {
      separate();
      const WindowFrame& frame = *spec.frame;
      out += frame.unit == FrameUnit::kRows    ? "ROWS "
             : frame.unit == FrameUnit::kRange ? "RANGE "
                                               : "GROUPS ";
      if (frame.has_between) {
        out += "BETWEEN ";
        Bound(frame.start);
        out += " AND ";
        Bound(frame.end);
      } else {
        Bound(frame.start);
      }
      switch (frame.exclusion) {
        case FrameExclusion::kNoOthers:
          break;
        case FrameExclusion::kCurrentRow:
          out += " EXCLUDE CURRENT ROW";
          break;
        case FrameExclusion::kGroup:
          out += " EXCLUDE GROUP";
          break;
        case FrameExclusion::kTies:
          out += " EXCLUDE TIES";
          break;
      }
    }
    out += ")";
  }

  // ---- Queries

  void With(const WithClause& with) {
    out += with.recursive ? "WITH RECURSIVE " : "WITH ";
    for (size_t i = 0; i < with.ctes.size(); ++i) {
      const CommonTableExpression& cte = with.ctes[i];
      if (i > 0) {
        out += ", ";
      }
      out += Name(cte.name);
      if (!cte.columns.empty()) {
        out += "(" + NameList(cte.columns) + ")";
      }
      out += " AS ";
      if (cte.materialization == CteMaterialization::kMaterialized) {
        out += "MATERIALIZED ";
      } else if (cte.materialization == CteMaterialization::kNotMaterialized) {
        out += "NOT MATERIALIZED ";
      }
      out += "(";
      QueryText(*cte.query);
      out += ")";
    }
    out += " ";
  }

  void QueryText(const Query& query) {
    if (query.with) {
      With(*query.with);
    }
    Body(*query.body);
    if (!query.order_by.empty()) {
      out += " ORDER BY ";
      OrderBy(query.order_by);
    }
    if (query.with_ties) {
      if (query.offset) {
        out += " OFFSET ";
        Expr(*query.offset);
        out += " ROWS";
      }
      out += " FETCH FIRST (";
      Expr(*query.limit);
      out += ") ROWS WITH TIES";
      return;
    }
    if (query.limit) {
      out += " LIMIT ";
      Expr(*query.limit);
    }
    if (query.offset) {
      out += " OFFSET ";
      Expr(*query.offset);
    }
  }

  void Body(const QueryBody& body) {
    switch (body.kind) {
      case QueryBodyKind::kSelect:
        Select(body.As<SelectBody>());
        return;
      case QueryBodyKind::kValues: {
        const auto& values = body.As<ValuesBody>();
        out += "VALUES ";
        for (size_t i = 0; i < values.rows.size(); ++i) {
          if (i > 0) {
            out += ", ";
          }
          out += "(";
          List(values.rows[i]);
          out += ")";
        }
        return;
      }
      case QueryBodyKind::kSetOperation: {
        const auto& set = body.As<SetOperationBody>();
        static constexpr std::string_view kNames[] = {" UNION ", " INTERSECT ", " EXCEPT "};
        out += "(";
        Body(*set.left);
        out += ")";
        out += kNames[static_cast<int>(set.op)];
        if (set.all) {
          out += "ALL ";
        }
        out += "(";
        Body(*set.right);
        out += ")";
        return;
      }
      case QueryBodyKind::kNested:
        out += "(";
        QueryText(*body.As<NestedQueryBody>().query);
        out += ")";
        return;
    }
  }

  void Targets(const std::vector<SelectItem>& targets) {
    for (size_t i = 0; i < targets.size(); ++i) {
      if (i > 0) {
        out += ", ";
      }
      Expr(*targets[i].expression);
      if (!targets[i].alias.empty()) {
        out += " AS " + Name(targets[i].alias);
      }
    }
  }

  void Select(const SelectBody& select) {
    out += "SELECT";
    if (select.distinct == SetQuantifier::kAll) {
      out += " ALL";
    } else if (select.distinct == SetQuantifier::kDistinct) {
      out += " DISTINCT";
      if (!select.distinct_on.empty()) {
        out += " ON (";
        List(select.distinct_on);
        out += ")";
      }
    }
    if (!select.targets.empty()) {
      out += " ";
      Targets(select.targets);
    }
    if (!select.from.empty()) {
      out += " FROM ";
      From(select.from);
    }
    if (select.where) {
      out += " WHERE ";
      Expr(*select.where);
    }
    if (!select.group_by.empty()) {
      out += " GROUP BY ";
      if (select.group_by_quantifier == SetQuantifier::kAll) {
        out += "ALL ";
      } else if (select.group_by_quantifier == SetQuantifier::kDistinct) {
        out += "DISTINCT ";
      }
      Grouping(select.group_by);
    }
    if (select.having) {
      out += " HAVING ";
      Expr(*select.having);
    }
    if (!select.windows.empty()) {
      out += " WINDOW ";
      for (size_t i = 0; i < select.windows.size(); ++i) {
        if (i > 0) {
          out += ", ";
        }
        out += Name(select.windows[i].name) + " AS ";
        Window(select.windows[i].spec);
      }
    }
  }

  void Grouping(const std::vector<GroupingElement>& elements) {
    for (size_t i = 0; i < elements.size(); ++i) {
      if (i > 0) {
        out += ", ";
      }
      const GroupingElement& element = elements[i];
      switch (element.kind) {
        case GroupingKind::kExpression:
          Expr(*element.expressions[0]);
          break;
        case GroupingKind::kEmpty:
          out += "()";
          break;
        case GroupingKind::kRollup:
        case GroupingKind::kCube:
          out += element.kind == GroupingKind::kRollup ? "ROLLUP (" : "CUBE (";
          List(element.expressions);
          out += ")";
          break;
        case GroupingKind::kGroupingSets:
          out += "GROUPING SETS (";
          Grouping(element.sets);
          out += ")";
          break;
      }
    }
  }

  void AliasText(const Alias& alias) {
    if (alias.name.empty()) {
      return;
    }
    out += " AS " + Name(alias.name);
    if (!alias.columns.empty()) {
      out += "(" + NameList(alias.columns) + ")";
    }
  }

  void From(const std::vector<TableRefPtr>& from) {
    for (size_t i = 0; i < from.size(); ++i) {
      if (i > 0) {
        out += ", ";
      }
      Table(*from[i], false);
    }
  }

  void TimeTravelText(const std::optional<TimeTravel>& time_travel) {
    if (time_travel) {
      out += time_travel->kind == TimeTravelKind::kVersion ? " FOR VERSION AS OF "
                                                           : " FOR TIMESTAMP AS OF ";
      Expr(*time_travel->value);
    }
  }

  void Table(const TableRef& ref, bool as_join_operand) {
    switch (ref.kind) {
      case TableRefKind::kTable: {
        const auto& table = ref.As<TableNameRef>();
        if (table.only) {
          out += "ONLY ";
        }
        out += Names(table.name);
        TimeTravelText(table.time_travel);
        AliasText(table.alias);
        return;
      }
      case TableRefKind::kSubquery: {
        const auto& subquery = ref.As<SubqueryRef>();
        if (subquery.lateral) {
          out += "LATERAL ";
        }
        out += "(";
        QueryText(*subquery.query);
        out += ")";
        AliasText(subquery.alias);
        return;
      }
      case TableRefKind::kFunction: {
        const auto& function = ref.As<FunctionRef>();
        if (function.lateral) {
          out += "LATERAL ";
        }
        Call(*function.call);
        if (function.with_ordinality) {
          out += " WITH ORDINALITY";
        }
        TimeTravelText(function.time_travel);
        AliasText(function.alias);
        return;
      }
      case TableRefKind::kJoin: {
        const auto& join = ref.As<JoinRef>();
        bool parenthesize = as_join_operand || !join.alias.name.empty();
        if (parenthesize) {
          out += "(";
        }
        Table(*join.left, false);
        if (join.natural) {
          out += " NATURAL";
        }
        static constexpr std::string_view kNames[] = {" JOIN ", " LEFT JOIN ", " RIGHT JOIN ",
                                                      " FULL JOIN ", " CROSS JOIN "};
        out += kNames[static_cast<int>(join.join_type)];
        Table(*join.right, true);
        if (join.condition) {
          out += " ON ";
          Expr(*join.condition);
        } else if (!join.using_columns.empty()) {
          out += " USING (" + NameList(join.using_columns) + ")";
          if (!join.using_alias.empty()) {
            out += " AS " + Name(join.using_alias);
          }
        }
        if (parenthesize) {
          out += ")";
        }
        AliasText(join.alias);
        return;
      }
    }
  }

  // ---- Statements

  void Returning(const std::vector<SelectItem>& returning) {
    if (!returning.empty()) {
      out += " RETURNING ";
      Targets(returning);
    }
  }

  void SetClauses(const std::vector<SetClause>& clauses) {
    for (size_t i = 0; i < clauses.size(); ++i) {
      if (i > 0) {
        out += ", ";
      }
      const SetClause& clause = clauses[i];
      if (clause.is_multi_column) {
        out += "(" + NameList(clause.columns) + ") = ";
        if (clause.value->kind == ExpressionKind::kRow &&
            !clause.value->As<RowExpression>().is_explicit) {
          out += "(";
          List(clause.value->As<RowExpression>().fields);
          out += ")";
        } else {
          Expr(*clause.value);
        }
      } else {
        out += Name(clause.columns[0]) + " = ";
        Expr(*clause.value);
      }
    }
  }

  void TargetTable(const QualifiedName& table, const std::string& alias) {
    out += Names(table);
    if (!alias.empty()) {
      out += " AS " + Name(alias);
    }
  }

  void Constraint(const TableConstraint& constraint, bool is_column) {
    if (!constraint.name.empty()) {
      out += "CONSTRAINT " + Name(constraint.name) + " ";
    }
    switch (constraint.kind) {
      case ConstraintKind::kPrimaryKey:
        out += "PRIMARY KEY";
        break;
      case ConstraintKind::kUnique:
        out += "UNIQUE";
        break;
      case ConstraintKind::kCheck:
        out += "CHECK (";
        Expr(*constraint.check);
        out += ")";
        return;
      case ConstraintKind::kForeignKey:
        if (!is_column) {
          out += "FOREIGN KEY (" + NameList(constraint.columns) + ") ";
        }
        out += "REFERENCES " + Names(constraint.referenced_table);
        if (!constraint.referenced_columns.empty()) {
          out += " (" + NameList(constraint.referenced_columns) + ")";
        }
        return;
    }
    if (!is_column) {
      out += " (" + NameList(constraint.columns) + ")";
    }
  }

  void Column(const ColumnDefinition& column) {
    out += Name(column.name) + " " + TypeText(column.type, false);
    if (column.nullability == Nullability::kNotNull) {
      out += " NOT NULL";
    } else if (column.nullability == Nullability::kNull) {
      out += " NULL";
    }
    if (column.default_value) {
      out += " DEFAULT ";
      Expr(*column.default_value);
    }
    if (!column.collation.empty()) {
      out += " COLLATE " + Names(column.collation);
    }
    for (const TableConstraint& constraint : column.constraints) {
      out += " ";
      Constraint(constraint, true);
    }
  }

  void RoleOptions(const std::vector<RoleOption>& options) {
    static constexpr std::string_view kFlags[] = {
        "", "SUPERUSER", "CREATEDB", "CREATEROLE", "INHERIT", "LOGIN", "REPLICATION", "BYPASSRLS"};
    if (options.empty()) {
      return;
    }
    out += " WITH";
    for (const RoleOption& option : options) {
      switch (option.kind) {
        case RoleOptionKind::kPassword:
          out += option.is_null ? " PASSWORD NULL" : " PASSWORD " + QuoteString(option.value);
          break;
        case RoleOptionKind::kConnectionLimit:
          out += " CONNECTION LIMIT " + option.value;
          break;
        case RoleOptionKind::kValidUntil:
          out += " VALID UNTIL " + QuoteString(option.value);
          break;
        default:
          out += option.enabled ? " " : " NO";
          out += kFlags[static_cast<int>(option.kind)];
          break;
      }
    }
  }

  std::string RoleName(const std::string& name) { return Name(name); }

  void Stmt(const Statement& statement) {
    switch (statement.kind) {
      case StatementKind::kQuery:
        QueryText(*statement.As<QueryStatement>().query);
        return;
      case StatementKind::kExplain: {
        const auto& explain = statement.As<ExplainStatement>();
        out += "EXPLAIN ";
        if (!explain.options.empty()) {
          out += OptionsText(explain.options, false) + " ";
        }
        Stmt(*explain.statement);
        return;
      }
      case StatementKind::kInsert: {
        const auto& insert = statement.As<InsertStatement>();
        if (insert.with) {
          With(*insert.with);
        }
        out += "INSERT INTO ";
        TargetTable(insert.table, insert.alias);
        if (!insert.columns.empty()) {
          out += " (" + NameList(insert.columns) + ")";
        }
        if (insert.default_values) {
          out += " DEFAULT VALUES";
        } else {
          out += " ";
          QueryText(*insert.query);
        }
        Returning(insert.returning);
        return;
      }
      case StatementKind::kUpdate: {
        const auto& update = statement.As<UpdateStatement>();
        if (update.with) {
          With(*update.with);
        }
        out += "UPDATE ";
        TargetTable(update.table, update.alias);
        out += " SET ";
        SetClauses(update.set);
        if (!update.from.empty()) {
          out += " FROM ";
          From(update.from);
        }
        if (update.where) {
          out += " WHERE ";
          Expr(*update.where);
        }
        Returning(update.returning);
        return;
      }
      case StatementKind::kDelete: {
        const auto& del = statement.As<DeleteStatement>();
        if (del.with) {
          With(*del.with);
        }
        out += "DELETE FROM ";
        TargetTable(del.table, del.alias);
        if (!del.using_tables.empty()) {
          out += " USING ";
          From(del.using_tables);
        }
        if (del.where) {
          out += " WHERE ";
          Expr(*del.where);
        }
        Returning(del.returning);
        return;
      }
      case StatementKind::kMerge:
        Merge(statement.As<MergeStatement>());
        return;
      case StatementKind::kCreateSchema: {
        const auto& create = statement.As<CreateSchemaStatement>();
        out += "CREATE SCHEMA ";
        if (create.if_not_exists) {
          out += "IF NOT EXISTS ";
        }
        out += Names(create.name);
        return;
      }
      case StatementKind::kCreateTable:
        CreateTable(statement.As<CreateTableStatement>());
        return;
      case StatementKind::kCreateView: {
        const auto& view = statement.As<CreateViewStatement>();
        out += view.or_replace ? "CREATE OR REPLACE VIEW " : "CREATE VIEW ";
        out += Names(view.name);
        if (!view.columns.empty()) {
          out += " (" + NameList(view.columns) + ")";
        }
        out += " AS ";
        QueryText(*view.query);
        return;
      }
      case StatementKind::kAlterTable:
        AlterTable(statement.As<AlterTableStatement>());
        return;
      case StatementKind::kDrop: {
        const auto& drop = statement.As<DropStatement>();
        static constexpr std::string_view kKinds[] = {"TABLE", "VIEW",   "SCHEMA",
                                                      "ROLE",  "COLUMN", "TABLE"};
        out += "DROP ";
        out += kKinds[static_cast<int>(drop.object_kind)];
        out += drop.if_exists ? " IF EXISTS " : " ";
        for (size_t i = 0; i < drop.names.size(); ++i) {
          if (i > 0) {
            out += ", ";
          }
          out += Names(drop.names[i]);
        }
        DropBehaviorText(drop.behavior);
        return;
      }
      case StatementKind::kShow: {
        const auto& show = statement.As<ShowStatement>();
        switch (show.show_kind) {
          case ShowKind::kVariable:
            out += "SHOW " + SettingName(show.name);
            return;
          case ShowKind::kAll:
            out += "SHOW ALL";
            return;
          case ShowKind::kTables:
            out += "SHOW TABLES";
            if (!show.object.empty()) {
              out += " FROM " + Names(show.object);
            }
            return;
          case ShowKind::kSchemas:
            out += "SHOW SCHEMAS";
            return;
          case ShowKind::kColumns:
            out += "SHOW COLUMNS FROM " + Names(show.object);
            return;
        }
        return;
      }
      case StatementKind::kSet: {
        const auto& set = statement.As<SetStatement>();
        out += "SET ";
        if (set.scope == SetScope::kSession) {
          out += "SESSION ";
        } else if (set.scope == SetScope::kLocal) {
          out += "LOCAL ";
        }
        out += SettingName(set.name) + " TO ";
        if (set.is_default) {
          out += "DEFAULT";
          return;
        }
        for (size_t i = 0; i < set.values.size(); ++i) {
          if (i > 0) {
            out += ", ";
          }
          out += OptionValueText(set.values[i]);
        }
        return;
      }
      case StatementKind::kReset: {
        const auto& reset = statement.As<ResetStatement>();
        out += reset.all ? "RESET ALL" : "RESET " + SettingName(reset.name);
        return;
      }
      case StatementKind::kTransaction:
        Transaction(statement.As<TransactionStatement>());
        return;
      case StatementKind::kPrepare: {
        const auto& prepare = statement.As<PrepareStatement>();
        out += "PREPARE " + Name(prepare.name);
        if (!prepare.parameter_types.empty()) {
          out += " (";
          for (size_t i = 0; i < prepare.parameter_types.size(); ++i) {
            if (i > 0) {
              out += ", ";
            }
            out += TypeText(prepare.parameter_types[i], false);
          }
          out += ")";
        }
        out += " AS ";
        Stmt(*prepare.statement);
        return;
      }
      case StatementKind::kExecute: {
        const auto& execute = statement.As<ExecuteStatement>();
        out += "EXECUTE " + Name(execute.name);
        if (!execute.arguments.empty()) {
          out += " (";
          List(execute.arguments);
          out += ")";
        }
        return;
      }
      case StatementKind::kDeallocate: {
        const auto& deallocate = statement.As<DeallocateStatement>();
        out += deallocate.all ? "DEALLOCATE ALL" : "DEALLOCATE " + Name(deallocate.name);
        return;
      }
      case StatementKind::kCopy:
        Copy(statement.As<CopyStatement>());
        return;
      case StatementKind::kCall:
        out += "CALL ";
        Call(*statement.As<CallStatement>().call);
        return;
      case StatementKind::kCreateRole: {
        const auto& create = statement.As<CreateRoleStatement>();
        out += create.is_user ? "CREATE USER " : "CREATE ROLE ";
        out += RoleName(create.name);
        RoleOptions(create.options);
        return;
      }
      case StatementKind::kAlterRole: {
        const auto& alter = statement.As<AlterRoleStatement>();
        out += alter.is_user ? "ALTER USER " : "ALTER ROLE ";
        out += RoleName(alter.name);
        if (!alter.new_name.empty()) {
          out += " RENAME TO " + RoleName(alter.new_name);
        } else {
          RoleOptions(alter.options);
        }
        return;
      }
      case StatementKind::kGrant:
        Grant(statement.As<GrantStatement>());
        return;
      case StatementKind::kComment: {
        const auto& comment = statement.As<CommentStatement>();
        static constexpr std::string_view kKinds[] = {"TABLE", "VIEW",   "SCHEMA",
                                                      "ROLE",  "COLUMN", "TABLE"};
        out += "COMMENT ON ";
        out += kKinds[static_cast<int>(comment.object_kind)];
        out += " " + Names(comment.name) + " IS ";
        out += comment.is_null ? "NULL" : QuoteString(comment.comment);
        return;
      }
      case StatementKind::kAnalyze: {
        const auto& analyze = statement.As<AnalyzeStatement>();
        out += analyze.verbose ? "ANALYZE VERBOSE" : "ANALYZE";
        for (size_t i = 0; i < analyze.tables.size(); ++i) {
          out += i == 0 ? " " : ", ";
          out += Names(analyze.tables[i]);
        }
        return;
      }
      case StatementKind::kDiscard: {
        static constexpr std::string_view kKinds[] = {"ALL", "PLANS", "SEQUENCES", "TEMP"};
        out += "DISCARD ";
        out += kKinds[static_cast<int>(statement.As<DiscardStatement>().discard_kind)];
        return;
      }
    }
  }

  void DropBehaviorText(DropBehavior behavior) {
    if (behavior == DropBehavior::kCascade) {
      out += " CASCADE";
    } else if (behavior == DropBehavior::kRestrict) {
      out += " RESTRICT";
    }
  }

  void Merge(const MergeStatement& merge) {
    if (merge.with) {
      With(*merge.with);
    }
    out += "MERGE INTO ";
    TargetTable(merge.table, merge.alias);
    out += " USING ";
    Table(*merge.source, false);
    out += " ON ";
    Expr(*merge.condition);
    for (const MergeWhenClause& clause : merge.when_clauses) {
      switch (clause.match) {
        case MergeMatch::kMatched:
          out += " WHEN MATCHED";
          break;
        case MergeMatch::kNotMatchedByTarget:
          out += " WHEN NOT MATCHED";
          break;
        case MergeMatch::kNotMatchedBySource:
          out += " WHEN NOT MATCHED BY SOURCE";
          break;
      }
      if (clause.condition) {
        out += " AND ";
        Expr(*clause.condition);
      }
      out += " THEN ";
      switch (clause.action) {
        case MergeAction::kDoNothing:
          out += "DO NOTHING";
          break;
        case MergeAction::kDelete:
          out += "DELETE";
          break;
        case MergeAction::kUpdate:
          out += "UPDATE SET ";
          SetClauses(clause.set);
          break;
        case MergeAction::kInsert:
          out += "INSERT";
          if (!clause.insert_columns.empty()) {
            out += " (" + NameList(clause.insert_columns) + ")";
          }
          if (clause.insert_default_values) {
            out += " DEFAULT VALUES";
          } else {
            out += " VALUES (";
            List(clause.insert_values);
            out += ")";
          }
          break;
      }
    }
  }

  void CreateTable(const CreateTableStatement& create) {
    out += create.or_replace ? "CREATE OR REPLACE TABLE " : "CREATE TABLE ";
    if (create.if_not_exists) {
      out += "IF NOT EXISTS ";
    }
    out += Names(create.name);
    if (!create.as_query) {
      out += " (";
      bool first = true;
      for (const ColumnDefinition& column : create.columns) {
        out += first ? "" : ", ";
        first = false;
        Column(column);
      }
      for (const TableConstraint& constraint : create.constraints) {
        out += first ? "" : ", ";
        first = false;
        Constraint(constraint, false);
      }
      out += ")";
    } else if (!create.as_column_names.empty()) {
      out += " (" + NameList(create.as_column_names) + ")";
    }
    if (!create.partition_by.empty()) {
      out += " PARTITIONED BY (";
      for (size_t i = 0; i < create.partition_by.size(); ++i) {
        const PartitionField& field = create.partition_by[i];
        if (i > 0) {
          out += ", ";
        }
        if (field.transform == "identity" && !field.parameter) {
          out += Name(field.column);
          continue;
        }
        out += Name(field.transform) + "(";
        if (field.parameter) {
          out += std::to_string(*field.parameter) + ", ";
        }
        out += Name(field.column) + ")";
      }
      out += ")";
    }
    if (!create.properties.empty()) {
      out += " WITH " + OptionsText(create.properties, true);
    }
    if (create.as_query) {
      out += " AS ";
      QueryText(*create.as_query);
      if (!create.with_data) {
        out += " WITH NO DATA";
      }
    }
  }

  void AlterTable(const AlterTableStatement& alter) {
    out += "ALTER TABLE ";
    if (alter.if_exists) {
      out += "IF EXISTS ";
    }
    out += Names(alter.name);
    for (size_t i = 0; i < alter.actions.size(); ++i) {
      const AlterTableAction& action = alter.actions[i];
      out += i == 0 ? " " : ", ";
      std::string column = "ALTER COLUMN " + Name(action.column_name);
      switch (action.kind) {
        case AlterTableActionKind::kAddColumn:
          out += action.if_not_exists ? "ADD COLUMN IF NOT EXISTS " : "ADD COLUMN ";
          Column(*action.column);
          break;
        case AlterTableActionKind::kAddConstraint:
          out += "ADD ";
          Constraint(*action.constraint, false);
          break;
        case AlterTableActionKind::kDropColumn:
          out += action.if_exists ? "DROP COLUMN IF EXISTS " : "DROP COLUMN ";
          out += Name(action.column_name);
          DropBehaviorText(action.behavior);
          break;
        case AlterTableActionKind::kRenameColumn:
          out += "RENAME COLUMN " + Name(action.column_name) + " TO " + Name(action.new_name);
          break;
        case AlterTableActionKind::kRenameTable:
          out += "RENAME TO " + Name(action.new_name);
          break;
        case AlterTableActionKind::kAlterColumnType:
          out += column + " TYPE " + TypeText(*action.type, false);
          if (action.expression) {
            out += " USING ";
            Expr(*action.expression);
          }
          break;
        case AlterTableActionKind::kSetNotNull:
          out += column + " SET NOT NULL";
          break;
        case AlterTableActionKind::kDropNotNull:
          out += column + " DROP NOT NULL";
          break;
        case AlterTableActionKind::kSetDefault:
          out += column + " SET DEFAULT ";
          Expr(*action.expression);
          break;
        case AlterTableActionKind::kDropDefault:
          out += column + " DROP DEFAULT";
          break;
        case AlterTableActionKind::kSetOptions:
          out += "SET " + OptionsText(action.options, true);
          break;
        case AlterTableActionKind::kResetOptions:
          out += "RESET " + OptionsText(action.options, true);
          break;
      }
    }
  }

  void Transaction(const TransactionStatement& transaction) {
    switch (transaction.transaction_kind) {
      case TransactionKind::kCommit:
        out += "COMMIT";
        return;
      case TransactionKind::kRollback:
        out += "ROLLBACK";
        return;
      case TransactionKind::kBegin:
        break;
    }
    out += "BEGIN";
    std::vector<std::string> modes;
    static constexpr std::string_view kLevels[] = {"", "READ UNCOMMITTED", "READ COMMITTED",
                                                   "REPEATABLE READ", "SERIALIZABLE"};
    if (transaction.isolation != IsolationLevel::kDefault) {
      modes.push_back("ISOLATION LEVEL " +
                      std::string(kLevels[static_cast<int>(transaction.isolation)]));
    }
    if (transaction.access_mode == AccessMode::kReadOnly) {
      modes.push_back("READ ONLY");
    } else if (transaction.access_mode == AccessMode::kReadWrite) {
      modes.push_back("READ WRITE");
    }
    if (transaction.deferrable) {
      modes.push_back(*transaction.deferrable ? "DEFERRABLE" : "NOT DEFERRABLE");
    }
    for (size_t i = 0; i < modes.size(); ++i) {
      out += i == 0 ? " " : ", ";
      out += modes[i];
    }
  }

  void Copy(const CopyStatement& copy) {
    out += "COPY ";
    if (copy.query) {
      out += "(";
      QueryText(*copy.query);
      out += ")";
    } else {
      out += Names(copy.table);
      if (!copy.columns.empty()) {
        out += " (" + NameList(copy.columns) + ")";
      }
    }
    out += copy.direction == CopyDirection::kTo ? " TO " : " FROM ";
    if (copy.is_stdio) {
      out += copy.direction == CopyDirection::kTo ? "STDOUT" : "STDIN";
    } else {
      out += QuoteString(copy.file);
    }
    if (!copy.options.empty()) {
      out += " WITH " + OptionsText(copy.options, false);
    }
  }

  void Grant(const GrantStatement& grant) {
    out += grant.is_grant ? "GRANT " : "REVOKE ";
    if (!grant.is_grant && grant.grant_option) {
      out += grant.is_role_membership ? "ADMIN OPTION FOR " : "GRANT OPTION FOR ";
    }
    for (size_t i = 0; i < grant.privileges.size(); ++i) {
      const Privilege& privilege = grant.privileges[i];
      if (i > 0) {
        out += ", ";
      }
      if (grant.is_role_membership) {
        out += RoleName(privilege.name);
      } else if (privilege.name == "all") {
        out += "ALL PRIVILEGES";
      } else {
        out += IsPlainWord(privilege.name) ? privilege.name : Quoted(privilege.name);
      }
      if (!privilege.columns.empty()) {
        out += " (" + NameList(privilege.columns) + ")";
      }
    }
    if (!grant.is_role_membership) {
      switch (grant.object_kind) {
        case ObjectKind::kSchema:
          out += " ON SCHEMA ";
          break;
        case ObjectKind::kAllTablesInSchema:
          out += " ON ALL TABLES IN SCHEMA ";
          break;
        default:
          out += " ON TABLE ";
          break;
      }
      for (size_t i = 0; i < grant.objects.size(); ++i) {
        if (i > 0) {
          out += ", ";
        }
        out += Names(grant.objects[i]);
      }
    }
    out += grant.is_grant ? " TO " : " FROM ";
    for (size_t i = 0; i < grant.grantees.size(); ++i) {
      if (i > 0) {
        out += ", ";
      }
      out += grant.grantees[i] == "public" ? "PUBLIC" : RoleName(grant.grantees[i]);
    }
    if (grant.is_grant && grant.grant_option) {
      out += grant.is_role_membership ? " WITH ADMIN OPTION" : " WITH GRANT OPTION";
    }
    if (!grant.is_grant) {
      DropBehaviorText(grant.behavior);
    }
  }
};

}  // namespace

std::string QuoteIdentifier(std::string_view name) {
  KeywordCategory category = CategoryOf(name);
  if (IsPlainWord(name) &&
      (category == KeywordCategory::kNone || category == KeywordCategory::kUnreserved)) {
    return std::string(name);
  }
  return Quoted(name);
}

std::string QuoteString(std::string_view value) {
  std::string out = "'";
  for (char c : value) {
    if (c == '\'') {
      out += "''";
    } else {
      out.push_back(c);
    }
  }
  out.push_back('\'');
  return out;
}

std::string ToSql(const Statement& statement) {
  Deparser deparser;
  deparser.Stmt(statement);
  return std::move(deparser.out);
}

std::string ToSql(const Query& query) {
  Deparser deparser;
  deparser.QueryText(query);
  return std::move(deparser.out);
}

std::string ToSql(const Expression& expression) {
  Deparser deparser;
  deparser.Expr(expression);
  return std::move(deparser.out);
}

std::string ToSql(const TypeName& type) {
  return TypeText(type, false);
}

std::string ToSql(const TableRef& ref) {
  Deparser deparser;
  deparser.Table(ref, false);
  return std::move(deparser.out);
}

std::string ToSql(const WithClause& with) {
  Deparser deparser;
  deparser.With(with);
  return std::move(deparser.out);
}

}  // namespace floe::sql::parser
