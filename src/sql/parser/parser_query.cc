// Queries: WITH, set operations, SELECT, VALUES, FROM items, ORDER BY and LIMIT.

#include <utility>

#include "sql/parser/parser_internal.h"

namespace floe::sql::parser {
namespace {

// Words that end a select list when it is empty (`SELECT FROM t`) or could follow it.
bool EndsTargetList(const Parser& parser) {
  const Token& token = parser.Current();
  if (token.kind == TokenKind::kEnd) {
    return true;
  }
  if (token.kind == TokenKind::kSymbol) {
    return token.text == ";" || token.text == ")";
  }
  static constexpr std::string_view kWords[] = {"from",   "where",     "group",  "having", "window",
                                                "union",  "intersect", "except", "order",  "limit",
                                                "offset", "fetch",     "for",    "into"};
  for (std::string_view word : kWords) {
    if (parser.IsKeyword(word)) {
      return true;
    }
  }
  return false;
}

// A select item's alias written without AS. PostgreSQL lets most keywords serve as such a
// label; the ones that can continue an expression (`x AT TIME ZONE`, `f(x) OVER`, interval
// fields) cannot.
bool IsBareLabel(const Token& token) {
  if (token.kind != TokenKind::kIdentifier) {
    return false;
  }
  if (token.is_quoted || token.category == KeywordCategory::kNone) {
    return true;
  }
  if (token.category != KeywordCategory::kUnreserved &&
      token.category != KeywordCategory::kColumnName) {
    return false;
  }
  static constexpr std::string_view kExcluded[] = {
      "day",    "escape", "filter",  "hour",   "minute",  "month", "over",
      "second", "to",     "varying", "within", "without", "year",  "precision"};
  for (std::string_view word : kExcluded) {
    if (token.text == word) {
      return false;
    }
  }
  return true;
}

}  // namespace

Result<QueryPtr> Parser::ParseQuery() {
  int location = Current().location;
  std::unique_ptr<WithClause> with;
  if (IsKeyword("with")) {
    FLOE_ASSIGN_OR_RETURN(with, ParseWithClause());
  }
  return ParseQueryWith(std::move(with), location);
}

Result<QueryPtr> Parser::ParseQueryWith(std::unique_ptr<WithClause> with, int location) {
  auto query = std::make_unique<Query>();
  query->location = location;
  query->with = std::move(with);
  FLOE_ASSIGN_OR_RETURN(query->body, ParseSetOperations(0));
  FLOE_RETURN_NOT_OK(ParseQueryTail(*query));
  return query;
}

Result<std::unique_ptr<WithClause>> Parser::ParseWithClause() {
  auto with = std::make_unique<WithClause>();
  with->location = Current().location;
  FLOE_RETURN_NOT_OK(ExpectKeyword("with"));
  with->recursive = AcceptKeyword("recursive");
  do {
    CommonTableExpression cte;
    cte.location = Current().location;
    FLOE_ASSIGN_OR_RETURN(cte.name, ParseColId());
    if (IsSymbol("(")) {
      FLOE_ASSIGN_OR_RETURN(cte.columns, ParseColumnList());
    }
    FLOE_RETURN_NOT_OK(ExpectKeyword("as"));
    if (AcceptKeyword("materialized")) {
      cte.materialization = CteMaterialization::kMaterialized;
    } else if (IsKeyword("not") && IsKeyword("materialized", 1)) {
      Advance();
      Advance();
      cte.materialization = CteMaterialization::kNotMaterialized;
    }
    if (!IsSymbol("(")) {
      return SyntaxError();
    }
    if (IsKeyword("insert", 1) || IsKeyword("update", 1) || IsKeyword("delete", 1) ||
        IsKeyword("merge", 1)) {
      return NotSupported("a data-modifying statement in WITH", Peek(1).location);
    }
    FLOE_ASSIGN_OR_RETURN(cte.query, ParseParenthesizedQuery());
    if (IsKeyword("search") || IsKeyword("cycle")) {
      return NotSupported(
          fmt::format("{} clause of a recursive query", IsKeyword("search") ? "SEARCH" : "CYCLE"),
          Current().location);
    }
    with->ctes.push_back(std::move(cte));
  } while (AcceptSymbol(","));
  return with;
}

Status Parser::ParseQueryTail(Query& query) {
  if (AcceptKeyword("order")) {
    FLOE_RETURN_NOT_OK(ExpectKeyword("by"));
    FLOE_ASSIGN_OR_RETURN(query.order_by, ParseOrderByList());
  }
  bool has_limit = false;
  bool has_offset = false;
  while (true) {
    int location = Current().location;
    if (IsKeyword("limit")) {
      if (has_limit) {
        return ErrorAt(Status::SyntaxError("multiple LIMIT clauses not allowed"), location);
      }
      Advance();
      has_limit = true;
      if (!AcceptKeyword("all")) {
        FLOE_ASSIGN_OR_RETURN(query.limit, ParseExpression());
        if (IsSymbol(",")) {
          return ErrorAt(Status::SyntaxError("LIMIT #,# syntax is not supported")
                             .WithHint("Use separate LIMIT and OFFSET clauses."),
                         location);
        }
      }
    } else if (IsKeyword("offset")) {
      if (has_offset) {
        return ErrorAt(Status::SyntaxError("multiple OFFSET clauses not allowed"), location);
      }
      Advance();
      has_offset = true;
      FLOE_ASSIGN_OR_RETURN(query.offset, ParseExpression());
      if (!AcceptKeyword("rows")) {
        AcceptKeyword("row");
      }
    } else if (IsKeyword("fetch")) {
      if (has_limit) {
        return ErrorAt(Status::SyntaxError("multiple LIMIT clauses not allowed"), location);
      }
      Advance();
      has_limit = true;
      if (!AcceptKeyword("first")) {
        FLOE_RETURN_NOT_OK(ExpectKeyword("next"));
      }
      if (IsKeyword("row") || IsKeyword("rows")) {
        auto one = std::make_unique<ConstantExpression>(Current().location);
        one->constant_kind = ConstantKind::kInteger;
        one->text = "1";
        query.limit = std::move(one);
      } else {
        FLOE_ASSIGN_OR_RETURN(query.limit, ParseExpression(kPrecedenceUnary));
      }
      if (!AcceptKeyword("rows")) {
        FLOE_RETURN_NOT_OK(ExpectKeyword("row"));
      }
      if (AcceptKeyword("with")) {
        FLOE_RETURN_NOT_OK(ExpectKeyword("ties"));
        query.with_ties = true;
        if (query.order_by.empty()) {
          return ErrorAt(Status::SyntaxError("WITH TIES cannot be specified without ORDER BY "
                                             "clause"),
                         location);
        }
      } else {
        FLOE_RETURN_NOT_OK(ExpectKeyword("only"));
      }
    } else {
      break;
    }
  }
  if (IsKeyword("for")) {
    return NotSupported("SELECT ... FOR UPDATE/SHARE (row locking)", Current().location);
  }
  return Status::OK();
}

Result<QueryBodyPtr> Parser::ParseSetOperations(int min_precedence) {
  FLOE_ASSIGN_OR_RETURN(QueryBodyPtr left, ParseQueryPrimary());
  int levels = 0;
  Status status;
  while (true) {
    int precedence = IsKeyword("union") || IsKeyword("except") ? 1 : IsKeyword("intersect") ? 2 : 0;
    if (precedence == 0 || precedence < min_precedence) {
      break;
    }
    status = Enter();
    if (!status.ok()) {
      break;
    }
    ++levels;
    auto node = std::make_unique<SetOperationBody>(Current().location);
    node->op = IsKeyword("union")    ? SetOperator::kUnion
               : IsKeyword("except") ? SetOperator::kExcept
                                     : SetOperator::kIntersect;
    Advance();
    if (AcceptKeyword("all")) {
      node->all = true;
    } else {
      AcceptKeyword("distinct");
    }
    Result<QueryBodyPtr> right = ParseSetOperations(precedence + 1);
    if (!right.ok()) {
      status = right.status();
      break;
    }
    node->left = std::move(left);
    node->right = std::move(right).value();
    left = std::move(node);
  }
  for (int i = 0; i < levels; ++i) {
    Leave();
  }
  FLOE_RETURN_NOT_OK(status);
  return left;
}

Result<QueryBodyPtr> Parser::ParseQueryPrimary() {
  int location = Current().location;
  if (IsKeyword("select")) {
    return ParseSelectBody();
  }
  if (IsKeyword("values")) {
    return ParseValuesBody();
  }
  if (IsKeyword("table")) {
    Advance();
    auto table = std::make_unique<TableNameRef>(Current().location);
    FLOE_ASSIGN_OR_RETURN(table->name, ParseQualifiedName());
    auto select = std::make_unique<SelectBody>(location);
    SelectItem item;
    item.location = location;
    item.expression = std::make_unique<StarExpression>(location);
    select->targets.push_back(std::move(item));
    select->from.push_back(std::move(table));
    return QueryBodyPtr(std::move(select));
  }
  if (IsSymbol("(")) {
    FLOE_ASSIGN_OR_RETURN(QueryPtr query, ParseParenthesizedQuery());
    if (!query->with && query->order_by.empty() && !query->limit && !query->offset) {
      return std::move(query->body);
    }
    auto nested = std::make_unique<NestedQueryBody>(location);
    nested->query = std::move(query);
    return QueryBodyPtr(std::move(nested));
  }
  return SyntaxError();
}

Result<QueryPtr> Parser::ParseParenthesizedQuery() {
  FLOE_PARSER_ENTER(*this);
  FLOE_RETURN_NOT_OK(ExpectSymbol("("));
  FLOE_ASSIGN_OR_RETURN(QueryPtr query, ParseQuery());
  FLOE_RETURN_NOT_OK(ExpectSymbol(")"));
  return query;
}

Result<QueryBodyPtr> Parser::ParseValuesBody() {
  auto values = std::make_unique<ValuesBody>(Current().location);
  FLOE_RETURN_NOT_OK(ExpectKeyword("values"));
  do {
    FLOE_RETURN_NOT_OK(ExpectSymbol("("));
    std::vector<ExpressionPtr> row;
    do {
      FLOE_ASSIGN_OR_RETURN(ExpressionPtr value, ParseValueOrDefault());
      row.push_back(std::move(value));
    } while (AcceptSymbol(","));
    FLOE_RETURN_NOT_OK(ExpectSymbol(")"));
    values->rows.push_back(std::move(row));
  } while (AcceptSymbol(","));
  return QueryBodyPtr(std::move(values));
}

Result<std::vector<SelectItem>> Parser::ParseTargetList() {
  std::vector<SelectItem> targets;
  do {
    SelectItem item;
    item.location = Current().location;
    if (IsOperator("*")) {
      item.expression = std::make_unique<StarExpression>(Current().location);
      Advance();
    } else {
      FLOE_ASSIGN_OR_RETURN(item.expression, ParseExpression());
      if (AcceptKeyword("as")) {
        FLOE_ASSIGN_OR_RETURN(item.alias, ParseColLabel());
      } else if (IsBareLabel(Current())) {
        item.alias = Current().text;
        Advance();
      }
    }
    targets.push_back(std::move(item));
  } while (AcceptSymbol(","));
  return targets;
}

Result<QueryBodyPtr> Parser::ParseSelectBody() {
  auto select = std::make_unique<SelectBody>(Current().location);
  FLOE_RETURN_NOT_OK(ExpectKeyword("select"));
  if (AcceptKeyword("all")) {
    select->distinct = SetQuantifier::kAll;
  } else if (AcceptKeyword("distinct")) {
    select->distinct = SetQuantifier::kDistinct;
    if (AcceptKeyword("on")) {
      FLOE_RETURN_NOT_OK(ExpectSymbol("("));
      FLOE_ASSIGN_OR_RETURN(select->distinct_on, ParseExpressionList());
      FLOE_RETURN_NOT_OK(ExpectSymbol(")"));
    }
  }
  if (!EndsTargetList(*this)) {
    FLOE_ASSIGN_OR_RETURN(select->targets, ParseTargetList());
  } else if (select->distinct == SetQuantifier::kDistinct && select->distinct_on.empty()) {
    return SyntaxError();
  }
  if (IsKeyword("into")) {
    return NotSupported("SELECT ... INTO (use CREATE TABLE ... AS)", Current().location);
  }
  if (AcceptKeyword("from")) {
    FLOE_ASSIGN_OR_RETURN(select->from, ParseFromList());
  }
  if (AcceptKeyword("where")) {
    FLOE_ASSIGN_OR_RETURN(select->where, ParseExpression());
  }
  if (AcceptKeyword("group")) {
    FLOE_RETURN_NOT_OK(ExpectKeyword("by"));
    if (AcceptKeyword("all")) {
      select->group_by_quantifier = SetQuantifier::kAll;
    } else if (AcceptKeyword("distinct")) {
      select->group_by_quantifier = SetQuantifier::kDistinct;
    }
    do {
      FLOE_ASSIGN_OR_RETURN(GroupingElement element, ParseGroupingElement());
      select->group_by.push_back(std::move(element));
    } while (AcceptSymbol(","));
  }
  if (AcceptKeyword("having")) {
    FLOE_ASSIGN_OR_RETURN(select->having, ParseExpression());
  }
  if (AcceptKeyword("window")) {
    do {
      WindowDefinition definition;
      definition.location = Current().location;
      FLOE_ASSIGN_OR_RETURN(definition.name, ParseColId());
      FLOE_RETURN_NOT_OK(ExpectKeyword("as"));
      FLOE_ASSIGN_OR_RETURN(definition.spec, ParseWindowSpec());
      select->windows.push_back(std::move(definition));
    } while (AcceptSymbol(","));
  }
  return QueryBodyPtr(std::move(select));
}

Result<GroupingElement> Parser::ParseGroupingElement() {
  FLOE_PARSER_ENTER(*this);
  GroupingElement element;
  element.location = Current().location;
  if (IsSymbol("(") && IsSymbol(")", 1)) {
    Advance();
    Advance();
    element.kind = GroupingKind::kEmpty;
    return element;
  }
  if ((IsKeyword("rollup") || IsKeyword("cube")) && IsSymbol("(", 1)) {
    element.kind = IsKeyword("rollup") ? GroupingKind::kRollup : GroupingKind::kCube;
    Advance();
    Advance();
    FLOE_ASSIGN_OR_RETURN(element.expressions, ParseExpressionList());
    FLOE_RETURN_NOT_OK(ExpectSymbol(")"));
    return element;
  }
  if (IsKeyword("grouping") && IsKeyword("sets", 1)) {
    element.kind = GroupingKind::kGroupingSets;
    Advance();
    Advance();
    FLOE_RETURN_NOT_OK(ExpectSymbol("("));
    do {
      FLOE_ASSIGN_OR_RETURN(GroupingElement set, ParseGroupingElement());
      element.sets.push_back(std::move(set));
    } while (AcceptSymbol(","));
    FLOE_RETURN_NOT_OK(ExpectSymbol(")"));
    return element;
  }
  element.kind = GroupingKind::kExpression;
  FLOE_ASSIGN_OR_RETURN(ExpressionPtr expression, ParseExpression());
  element.expressions.push_back(std::move(expression));
  return element;
}

Result<std::vector<TableRefPtr>> Parser::ParseFromList() {
  std::vector<TableRefPtr> from;
  do {
    FLOE_ASSIGN_OR_RETURN(TableRefPtr item, ParseTableRef());
    from.push_back(std::move(item));
  } while (AcceptSymbol(","));
  return from;
}

Result<TableRefPtr> Parser::ParseTableRef() {
  FLOE_ASSIGN_OR_RETURN(TableRefPtr left, ParseTablePrimary());
  int levels = 0;
  Status status;
  while (true) {
    int location = Current().location;
    auto join = std::make_unique<JoinRef>(location);
    if (IsKeyword("cross") && IsKeyword("join", 1)) {
      Advance();
      Advance();
      join->join_type = JoinType::kCross;
    } else {
      size_t saved = position_;
      join->natural = AcceptKeyword("natural");
      if (AcceptKeyword("inner")) {
        join->join_type = JoinType::kInner;
      } else if (IsKeyword("left") || IsKeyword("right") || IsKeyword("full")) {
        join->join_type = IsKeyword("left")    ? JoinType::kLeft
                          : IsKeyword("right") ? JoinType::kRight
                                               : JoinType::kFull;
        Advance();
        AcceptKeyword("outer");
      }
      if (!IsKeyword("join")) {
        if (position_ != saved) {
          status = SyntaxError();
        }
        break;
      }
      Advance();
    }
    status = Enter();
    if (!status.ok()) {
      break;
    }
    ++levels;
    Result<TableRefPtr> right = ParseTablePrimary();
    if (!right.ok()) {
      status = right.status();
      break;
    }
    join->left = std::move(left);
    join->right = std::move(right).value();
    if (join->join_type != JoinType::kCross && !join->natural) {
      if (AcceptKeyword("on")) {
        Result<ExpressionPtr> condition = ParseExpression();
        if (!condition.ok()) {
          status = condition.status();
          break;
        }
        join->condition = std::move(condition).value();
      } else if (AcceptKeyword("using")) {
        Result<std::vector<std::string>> columns = ParseColumnList();
        if (!columns.ok()) {
          status = columns.status();
          break;
        }
        join->using_columns = std::move(columns).value();
        if (AcceptKeyword("as")) {
          Result<std::string> alias = ParseColId();
          if (!alias.ok()) {
            status = alias.status();
            break;
          }
          join->using_alias = std::move(alias).value();
        }
      } else {
        status = SyntaxError();
        break;
      }
    }
    left = std::move(join);
  }
  for (int i = 0; i < levels; ++i) {
    Leave();
  }
  FLOE_RETURN_NOT_OK(status);
  return left;
}

Status Parser::ParseAlias(Alias& alias, bool allow_columns) {
  if (AcceptKeyword("as")) {
    FLOE_ASSIGN_OR_RETURN(alias.name, ParseColId());
  } else if (IsColId()) {
    alias.name = Current().text;
    Advance();
  } else {
    return Status::OK();
  }
  if (allow_columns && IsSymbol("(")) {
    Advance();
    do {
      FLOE_ASSIGN_OR_RETURN(std::string column, ParseColId());
      alias.columns.push_back(std::move(column));
      if (!IsSymbol(",") && !IsSymbol(")")) {
        return NotSupported("a column definition list in a table alias", Current().location);
      }
    } while (AcceptSymbol(","));
    FLOE_RETURN_NOT_OK(ExpectSymbol(")"));
  }
  return Status::OK();
}

Result<std::optional<TimeTravel>> Parser::ParseTimeTravel() {
  if (!IsKeyword("for") || !(IsKeyword("version", 1) || IsKeyword("timestamp", 1) ||
                             IsKeyword("system_time", 1) || IsKeyword("system_version", 1))) {
    return std::optional<TimeTravel>();
  }
  TimeTravel time_travel;
  time_travel.location = Current().location;
  Advance();
  time_travel.kind = IsKeyword("version") || IsKeyword("system_version")
                         ? TimeTravelKind::kVersion
                         : TimeTravelKind::kTimestamp;
  Advance();
  FLOE_RETURN_NOT_OK(ExpectKeyword("as"));
  FLOE_RETURN_NOT_OK(ExpectKeyword("of"));
  FLOE_ASSIGN_OR_RETURN(time_travel.value, ParseExpression());
  return std::optional<TimeTravel>(std::move(time_travel));
}

Result<TableRefPtr> Parser::ParseTablePrimary() {
  FLOE_PARSER_ENTER(*this);
  int location = Current().location;
  bool lateral = AcceptKeyword("lateral");
  if (IsSymbol("(")) {
    if (IsQueryParenthesisHere()) {
      auto subquery = std::make_unique<SubqueryRef>(location);
      subquery->lateral = lateral;
      FLOE_ASSIGN_OR_RETURN(subquery->query, ParseParenthesizedQuery());
      FLOE_RETURN_NOT_OK(ParseAlias(subquery->alias, true));
      return TableRefPtr(std::move(subquery));
    }
    if (lateral) {
      Advance();
      return SyntaxError();
    }
    Advance();
    FLOE_ASSIGN_OR_RETURN(TableRefPtr inner, ParseTableRef());
    if (inner->kind != TableRefKind::kJoin) {
      return SyntaxError();
    }
    FLOE_RETURN_NOT_OK(ExpectSymbol(")"));
    FLOE_RETURN_NOT_OK(ParseAlias(inner->As<JoinRef>().alias, true));
    return inner;
  }
  if (IsKeyword("rows") && IsKeyword("from", 1)) {
    return NotSupported("ROWS FROM", location);
  }
  bool only = AcceptKeyword("only");
  bool only_parenthesized = only && AcceptSymbol("(");
  int name_location = Current().location;
  FLOE_ASSIGN_OR_RETURN(QualifiedName name, ParseQualifiedName());
  if (!only && IsSymbol("(")) {
    FLOE_ASSIGN_OR_RETURN(ExpressionPtr call, ParseFunctionCall(std::move(name), name_location));
    auto function = std::make_unique<FunctionRef>(location);
    function->lateral = lateral;
    function->call.reset(&call.release()->As<FunctionCallExpression>());
    if (function->call->over || function->call->filter || function->call->is_within_group) {
      return SyntaxError();
    }
    if (IsKeyword("with") && IsKeyword("ordinality", 1)) {
      Advance();
      Advance();
      function->with_ordinality = true;
    }
    FLOE_ASSIGN_OR_RETURN(function->time_travel, ParseTimeTravel());
    FLOE_RETURN_NOT_OK(ParseAlias(function->alias, true));
    return TableRefPtr(std::move(function));
  }
  if (lateral) {
    return SyntaxError();
  }
  if (only_parenthesized) {
    FLOE_RETURN_NOT_OK(ExpectSymbol(")"));
  }
  auto table = std::make_unique<TableNameRef>(location);
  table->name = std::move(name);
  table->only = only;
  FLOE_ASSIGN_OR_RETURN(table->time_travel, ParseTimeTravel());
  if (IsKeyword("tablesample")) {
    return NotSupported("TABLESAMPLE", Current().location);
  }
  FLOE_RETURN_NOT_OK(ParseAlias(table->alias, true));
  if (IsKeyword("tablesample")) {
    return NotSupported("TABLESAMPLE", Current().location);
  }
  return TableRefPtr(std::move(table));
}

}  // namespace floe::sql::parser
