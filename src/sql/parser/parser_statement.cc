// Statements: DML, DDL, session and access-control commands.

#include <utility>

#include "sql/parser/parser_internal.h"

namespace floe::sql::parser {
namespace {

template <typename T>
StatementPtr Wrap(std::unique_ptr<T> statement) {
  return StatementPtr(std::move(statement));
}

bool IsConstraintStart(const Parser& parser) {
  return parser.IsKeyword("constraint") || parser.IsKeyword("primary") ||
         parser.IsKeyword("unique") || parser.IsKeyword("foreign") || parser.IsKeyword("check");
}

}  // namespace

Result<StatementPtr> Parser::ParseStatement() {
  FLOE_PARSER_ENTER(*this);
  const Token& token = Current();
  int location = token.location;
  if (IsSymbol("(") || IsKeyword("select") || IsKeyword("values") || IsKeyword("table")) {
    auto statement = std::make_unique<QueryStatement>(location);
    FLOE_ASSIGN_OR_RETURN(statement->query, ParseQuery());
    return Wrap(std::move(statement));
  }
  if (token.kind != TokenKind::kIdentifier || token.is_quoted) {
    return SyntaxError();
  }
  const std::string word = token.text;
  if (word == "with") {
    FLOE_ASSIGN_OR_RETURN(std::unique_ptr<WithClause> with, ParseWithClause());
    if (IsKeyword("insert"))
      return ParseInsert(std::move(with), location);
    if (IsKeyword("update"))
      return ParseUpdate(std::move(with), location);
    if (IsKeyword("delete"))
      return ParseDelete(std::move(with), location);
    if (IsKeyword("merge"))
      return ParseMerge(std::move(with), location);
    auto statement = std::make_unique<QueryStatement>(location);
    FLOE_ASSIGN_OR_RETURN(statement->query, ParseQueryWith(std::move(with), location));
    return Wrap(std::move(statement));
  }
  if (word == "explain")
    return ParseExplain();
  if (word == "insert")
    return ParseInsert(nullptr, location);
  if (word == "update")
    return ParseUpdate(nullptr, location);
  if (word == "delete")
    return ParseDelete(nullptr, location);
  if (word == "merge")
    return ParseMerge(nullptr, location);
  if (word == "create")
    return ParseCreate();
  if (word == "alter")
    return ParseAlter();
  if (word == "drop")
    return ParseDrop();
  if (word == "show")
    return ParseShow();
  if (word == "set")
    return ParseSet();
  if (word == "reset")
    return ParseReset();
  if (word == "begin" || word == "start" || word == "commit" || word == "end" ||
      word == "rollback" || word == "abort") {
    return ParseTransaction();
  }
  if (word == "prepare")
    return ParsePrepare();
  if (word == "execute")
    return ParseExecute();
  if (word == "deallocate")
    return ParseDeallocate();
  if (word == "copy")
    return ParseCopy();
  if (word == "call")
    return ParseCall();
  if (word == "grant")
    return ParseGrant(true);
  if (word == "revoke")
    return ParseGrant(false);
  if (word == "comment")
    return ParseComment();
  if (word == "analyze" || word == "analyse")
    return ParseAnalyze();
  if (word == "discard")
    return ParseDiscard();
  if (word == "vacuum") {
    return NotSupported("VACUUM (Iceberg table maintenance runs through CALL procedures)",
                        location);
  }
  static constexpr std::string_view kUnsupported[] = {
      "savepoint", "release", "truncate", "lock",   "listen",   "notify",  "unlisten",
      "declare",   "fetch",   "move",     "close",  "cluster",  "reindex", "checkpoint",
      "refresh",   "load",    "security", "import", "reassign", "do"};
  for (std::string_view unsupported : kUnsupported) {
    if (word == unsupported) {
      std::string name(unsupported);
      for (char& c : name) {
        c = static_cast<char>(c - 'a' + 'A');
      }
      return NotSupported(name, location);
    }
  }
  return SyntaxError();
}

Result<StatementPtr> Parser::ParseExplain() {
  auto statement = std::make_unique<ExplainStatement>(Current().location);
  Advance();
  if (IsSymbol("(") && !IsQueryParenthesisHere()) {
    FLOE_ASSIGN_OR_RETURN(statement->options, ParseOptionList(false));
  } else {
    if (IsKeyword("analyze") || IsKeyword("analyse")) {
      statement->options.push_back(Option{"analyze", {}, Current().location});
      Advance();
    }
    if (IsKeyword("verbose")) {
      statement->options.push_back(Option{"verbose", {}, Current().location});
      Advance();
    }
  }
  const Token& start = Current();
  bool explainable = IsSymbol("(") || StartsQuery() || IsKeyword("select") || IsKeyword("values") ||
                     IsKeyword("table") || IsKeyword("with") || IsKeyword("insert") ||
                     IsKeyword("update") || IsKeyword("delete") || IsKeyword("merge") ||
                     IsKeyword("create") || IsKeyword("execute");
  if (!explainable) {
    return SyntaxError();
  }
  FLOE_ASSIGN_OR_RETURN(statement->statement, ParseStatement());
  if (statement->statement->kind == StatementKind::kCreateTable &&
      !statement->statement->As<CreateTableStatement>().as_query) {
    return SyntaxErrorAt(start);
  }
  if (statement->statement->kind != StatementKind::kQuery &&
      statement->statement->kind != StatementKind::kInsert &&
      statement->statement->kind != StatementKind::kUpdate &&
      statement->statement->kind != StatementKind::kDelete &&
      statement->statement->kind != StatementKind::kMerge &&
      statement->statement->kind != StatementKind::kCreateTable &&
      statement->statement->kind != StatementKind::kExecute) {
    return SyntaxErrorAt(start);
  }
  return Wrap(std::move(statement));
}

Result<std::vector<SelectItem>> Parser::ParseReturning() {
  std::vector<SelectItem> returning;
  if (AcceptKeyword("returning")) {
    FLOE_ASSIGN_OR_RETURN(returning, ParseTargetList());
  }
  return returning;
}

Result<StatementPtr> Parser::ParseInsert(std::unique_ptr<WithClause> with, int location) {
  auto statement = std::make_unique<InsertStatement>(location);
  statement->with = std::move(with);
  FLOE_RETURN_NOT_OK(ExpectKeyword("insert"));
  FLOE_RETURN_NOT_OK(ExpectKeyword("into"));
  FLOE_ASSIGN_OR_RETURN(statement->table, ParseQualifiedName());
  if (AcceptKeyword("as")) {
    FLOE_ASSIGN_OR_RETURN(statement->alias, ParseColId());
  }
  if (IsSymbol("(") && !IsQueryParenthesisHere()) {
    FLOE_ASSIGN_OR_RETURN(statement->columns, ParseColumnList());
  }
  if (IsKeyword("overriding")) {
    return NotSupported("OVERRIDING ... VALUE", Current().location);
  }
  if (IsKeyword("default") && IsKeyword("values", 1)) {
    Advance();
    Advance();
    statement->default_values = true;
  } else {
    FLOE_ASSIGN_OR_RETURN(statement->query, ParseQuery());
  }
  if (IsKeyword("on") && IsKeyword("conflict", 1)) {
    return NotSupported("INSERT ... ON CONFLICT", Current().location);
  }
  FLOE_ASSIGN_OR_RETURN(statement->returning, ParseReturning());
  return Wrap(std::move(statement));
}

Result<std::vector<SetClause>> Parser::ParseSetClauses() {
  std::vector<SetClause> clauses;
  do {
    SetClause clause;
    clause.location = Current().location;
    if (IsSymbol("(")) {
      clause.is_multi_column = true;
      FLOE_ASSIGN_OR_RETURN(clause.columns, ParseColumnList());
      FLOE_RETURN_NOT_OK(ExpectOperator("="));
      int value_location = Current().location;
      if (IsSymbol("(") && IsQueryParenthesisHere()) {
        auto subquery = std::make_unique<SubqueryExpression>(value_location);
        FLOE_ASSIGN_OR_RETURN(subquery->subquery, ParseParenthesizedQuery());
        clause.value = std::move(subquery);
      } else if (AcceptSymbol("(")) {
        auto row = std::make_unique<RowExpression>(value_location);
        do {
          FLOE_ASSIGN_OR_RETURN(ExpressionPtr value, ParseValueOrDefault());
          row->fields.push_back(std::move(value));
        } while (AcceptSymbol(","));
        FLOE_RETURN_NOT_OK(ExpectSymbol(")"));
        clause.value = std::move(row);
      } else if (IsKeyword("row")) {
        FLOE_ASSIGN_OR_RETURN(clause.value, ParseExpression());
        if (clause.value->kind != ExpressionKind::kRow) {
          return ErrorAt(Status::SyntaxError("source for a multiple-column UPDATE item must be "
                                             "a sub-SELECT or ROW() expression"),
                         value_location);
        }
      } else {
        return SyntaxError();
      }
    } else {
      FLOE_ASSIGN_OR_RETURN(std::string column, ParseColId());
      if (IsSymbol(".") || IsSymbol("[")) {
        return NotSupported("assigning to a field or element of a column", Current().location);
      }
      clause.columns.push_back(std::move(column));
      FLOE_RETURN_NOT_OK(ExpectOperator("="));
      FLOE_ASSIGN_OR_RETURN(clause.value, ParseValueOrDefault());
    }
    clauses.push_back(std::move(clause));
  } while (AcceptSymbol(","));
  return clauses;
}

Result<StatementPtr> Parser::ParseUpdate(std::unique_ptr<WithClause> with, int location) {
  auto statement = std::make_unique<UpdateStatement>(location);
  statement->with = std::move(with);
  FLOE_RETURN_NOT_OK(ExpectKeyword("update"));
  AcceptKeyword("only");
  FLOE_ASSIGN_OR_RETURN(statement->table, ParseQualifiedName());
  if (AcceptKeyword("as")) {
    FLOE_ASSIGN_OR_RETURN(statement->alias, ParseColId());
  } else if (IsColId() && !IsKeyword("set")) {
    statement->alias = Current().text;
    Advance();
  }
  FLOE_RETURN_NOT_OK(ExpectKeyword("set"));
  FLOE_ASSIGN_OR_RETURN(statement->set, ParseSetClauses());
  if (AcceptKeyword("from")) {
    FLOE_ASSIGN_OR_RETURN(statement->from, ParseFromList());
  }
  if (AcceptKeyword("where")) {
    if (IsKeyword("current") && IsKeyword("of", 1)) {
      return NotSupported("WHERE CURRENT OF", Current().location);
    }
    FLOE_ASSIGN_OR_RETURN(statement->where, ParseExpression());
  }
  FLOE_ASSIGN_OR_RETURN(statement->returning, ParseReturning());
  return Wrap(std::move(statement));
}

Result<StatementPtr> Parser::ParseDelete(std::unique_ptr<WithClause> with, int location) {
  auto statement = std::make_unique<DeleteStatement>(location);
  statement->with = std::move(with);
  FLOE_RETURN_NOT_OK(ExpectKeyword("delete"));
  FLOE_RETURN_NOT_OK(ExpectKeyword("from"));
  AcceptKeyword("only");
  FLOE_ASSIGN_OR_RETURN(statement->table, ParseQualifiedName());
  if (AcceptKeyword("as")) {
    FLOE_ASSIGN_OR_RETURN(statement->alias, ParseColId());
  } else if (IsColId()) {
    statement->alias = Current().text;
    Advance();
  }
  if (AcceptKeyword("using")) {
    FLOE_ASSIGN_OR_RETURN(statement->using_tables, ParseFromList());
  }
  if (AcceptKeyword("where")) {
    if (IsKeyword("current") && IsKeyword("of", 1)) {
      return NotSupported("WHERE CURRENT OF", Current().location);
    }
    FLOE_ASSIGN_OR_RETURN(statement->where, ParseExpression());
  }
  FLOE_ASSIGN_OR_RETURN(statement->returning, ParseReturning());
  return Wrap(std::move(statement));
}

Result<StatementPtr> Parser::ParseMerge(std::unique_ptr<WithClause> with, int location) {
  auto statement = std::make_unique<MergeStatement>(location);
  statement->with = std::move(with);
  FLOE_RETURN_NOT_OK(ExpectKeyword("merge"));
  FLOE_RETURN_NOT_OK(ExpectKeyword("into"));
  AcceptKeyword("only");
  FLOE_ASSIGN_OR_RETURN(statement->table, ParseQualifiedName());
  if (AcceptKeyword("as")) {
    FLOE_ASSIGN_OR_RETURN(statement->alias, ParseColId());
  } else if (IsColId()) {
    statement->alias = Current().text;
    Advance();
  }
  FLOE_RETURN_NOT_OK(ExpectKeyword("using"));
  FLOE_ASSIGN_OR_RETURN(statement->source, ParseTableRef());
  FLOE_RETURN_NOT_OK(ExpectKeyword("on"));
  FLOE_ASSIGN_OR_RETURN(statement->condition, ParseExpression());
  if (!IsKeyword("when")) {
    return SyntaxError();
  }
  while (IsKeyword("when")) {
    MergeWhenClause clause;
    clause.location = Current().location;
    Advance();
    if (AcceptKeyword("matched")) {
      clause.match = MergeMatch::kMatched;
    } else {
      FLOE_RETURN_NOT_OK(ExpectKeyword("not"));
      FLOE_RETURN_NOT_OK(ExpectKeyword("matched"));
      clause.match = MergeMatch::kNotMatchedByTarget;
      if (AcceptKeyword("by")) {
        if (AcceptKeyword("source")) {
          clause.match = MergeMatch::kNotMatchedBySource;
        } else {
          FLOE_RETURN_NOT_OK(ExpectKeyword("target"));
        }
      }
    }
    if (AcceptKeyword("and")) {
      FLOE_ASSIGN_OR_RETURN(clause.condition, ParseExpression());
    }
    FLOE_RETURN_NOT_OK(ExpectKeyword("then"));
    bool is_insert_clause = clause.match == MergeMatch::kNotMatchedByTarget;
    if (IsKeyword("do") && IsKeyword("nothing", 1)) {
      Advance();
      Advance();
      clause.action = MergeAction::kDoNothing;
    } else if (!is_insert_clause && IsKeyword("update")) {
      Advance();
      FLOE_RETURN_NOT_OK(ExpectKeyword("set"));
      clause.action = MergeAction::kUpdate;
      FLOE_ASSIGN_OR_RETURN(clause.set, ParseSetClauses());
    } else if (!is_insert_clause && IsKeyword("delete")) {
      Advance();
      clause.action = MergeAction::kDelete;
    } else if (is_insert_clause && IsKeyword("insert")) {
      Advance();
      clause.action = MergeAction::kInsert;
      if (IsSymbol("(")) {
        FLOE_ASSIGN_OR_RETURN(clause.insert_columns, ParseColumnList());
      }
      if (IsKeyword("overriding")) {
        return NotSupported("OVERRIDING ... VALUE", Current().location);
      }
      if (IsKeyword("default") && IsKeyword("values", 1)) {
        Advance();
        Advance();
        clause.insert_default_values = true;
      } else {
        FLOE_RETURN_NOT_OK(ExpectKeyword("values"));
        FLOE_RETURN_NOT_OK(ExpectSymbol("("));
        do {
          FLOE_ASSIGN_OR_RETURN(ExpressionPtr value, ParseValueOrDefault());
          clause.insert_values.push_back(std::move(value));
        } while (AcceptSymbol(","));
        FLOE_RETURN_NOT_OK(ExpectSymbol(")"));
      }
    } else {
      return SyntaxError();
    }
    statement->when_clauses.push_back(std::move(clause));
  }
  if (IsKeyword("returning")) {
    return NotSupported("MERGE ... RETURNING", Current().location);
  }
  return Wrap(std::move(statement));
}

// ---- CREATE

Result<StatementPtr> Parser::ParseCreate() {
  int location = Current().location;
  Advance();
  bool or_replace = false;
  if (IsKeyword("or") && IsKeyword("replace", 1)) {
    Advance();
    Advance();
    or_replace = true;
  }
  if (IsKeyword("table")) {
    return ParseCreateTable(location, or_replace);
  }
  if (IsKeyword("view")) {
    return ParseCreateView(location, or_replace);
  }
  if (!or_replace && IsKeyword("schema")) {
    Advance();
    auto statement = std::make_unique<CreateSchemaStatement>(location);
    if (IsKeyword("if")) {
      Advance();
      FLOE_RETURN_NOT_OK(ExpectKeyword("not"));
      FLOE_RETURN_NOT_OK(ExpectKeyword("exists"));
      statement->if_not_exists = true;
    }
    if (IsKeyword("authorization")) {
      return NotSupported("CREATE SCHEMA ... AUTHORIZATION", Current().location);
    }
    FLOE_ASSIGN_OR_RETURN(statement->name, ParseQualifiedName());
    if (IsKeyword("authorization")) {
      return NotSupported("CREATE SCHEMA ... AUTHORIZATION", Current().location);
    }
    return Wrap(std::move(statement));
  }
  if (!or_replace && (IsKeyword("user") || IsKeyword("role"))) {
    bool is_user = IsKeyword("user");
    Advance();
    return ParseCreateRole(location, is_user);
  }
  if (IsKeyword("temp") || IsKeyword("temporary") || IsKeyword("unlogged") || IsKeyword("global") ||
      IsKeyword("local")) {
    return NotSupported(fmt::format("CREATE {} TABLE", Current().text), Current().location);
  }
  if (Current().kind == TokenKind::kIdentifier && !Current().is_quoted) {
    std::string what = Current().text;
    if (what == "materialized" || what == "recursive") {
      what += " view";
    }
    for (char& c : what) {
      if (c >= 'a' && c <= 'z') {
        c = static_cast<char>(c - 'a' + 'A');
      }
    }
    return NotSupported("CREATE " + what, Current().location);
  }
  return SyntaxError();
}

Result<StatementPtr> Parser::ParseCreateTable(int location, bool or_replace) {
  auto statement = std::make_unique<CreateTableStatement>(location);
  statement->or_replace = or_replace;
  FLOE_RETURN_NOT_OK(ExpectKeyword("table"));
  if (IsKeyword("if")) {
    Advance();
    FLOE_RETURN_NOT_OK(ExpectKeyword("not"));
    FLOE_RETURN_NOT_OK(ExpectKeyword("exists"));
    statement->if_not_exists = true;
  }
  FLOE_ASSIGN_OR_RETURN(statement->name, ParseQualifiedName());
  bool has_definitions = false;
  if (AcceptSymbol("(")) {
    if (!IsSymbol(")")) {
      do {
        if (IsKeyword("like")) {
          return NotSupported("CREATE TABLE ... (LIKE ...)", Current().location);
        }
        if (IsConstraintStart(*this)) {
          FLOE_ASSIGN_OR_RETURN(TableConstraint constraint, ParseTableConstraint());
          statement->constraints.push_back(std::move(constraint));
          has_definitions = true;
          continue;
        }
        int column_location = Current().location;
        FLOE_ASSIGN_OR_RETURN(std::string name, ParseColId());
        if (IsSymbol(",") || IsSymbol(")")) {
          statement->as_column_names.push_back(std::move(name));
          continue;
        }
        FLOE_ASSIGN_OR_RETURN(ColumnDefinition column,
                              ParseColumnDefinitionAfterName(std::move(name), column_location));
        statement->columns.push_back(std::move(column));
        has_definitions = true;
      } while (AcceptSymbol(","));
    } else {
      has_definitions = true;  // CREATE TABLE t () is a table without columns.
    }
    FLOE_RETURN_NOT_OK(ExpectSymbol(")"));
    if (has_definitions && !statement->as_column_names.empty()) {
      return SyntaxError();
    }
  }
  if (IsKeyword("inherits")) {
    return NotSupported("CREATE TABLE ... INHERITS", Current().location);
  }
  if (IsKeyword("partition") && IsKeyword("by", 1)) {
    return NotSupported("PARTITION BY (use PARTITIONED BY with Iceberg transforms)",
                        Current().location);
  }
  if (IsKeyword("partitioned") && IsKeyword("by", 1)) {
    Advance();
    Advance();
    FLOE_RETURN_NOT_OK(ExpectSymbol("("));
    do {
      PartitionField field;
      field.location = Current().location;
      FLOE_ASSIGN_OR_RETURN(std::string first, ParseColLabel());
      if (AcceptSymbol("(")) {
        field.transform = std::move(first);
        if (Current().kind == TokenKind::kInteger) {
          FLOE_ASSIGN_OR_RETURN(field.parameter, ParseIntegerConstant());
          FLOE_RETURN_NOT_OK(ExpectSymbol(","));
        }
        FLOE_ASSIGN_OR_RETURN(field.column, ParseColId());
        FLOE_RETURN_NOT_OK(ExpectSymbol(")"));
      } else {
        field.transform = "identity";
        field.column = std::move(first);
      }
      statement->partition_by.push_back(std::move(field));
    } while (AcceptSymbol(","));
    FLOE_RETURN_NOT_OK(ExpectSymbol(")"));
  }
  if (IsKeyword("with") && IsSymbol("(", 1)) {
    Advance();
    FLOE_ASSIGN_OR_RETURN(statement->properties, ParseOptionList(true));
  }
  if (IsKeyword("tablespace") || IsKeyword("using")) {
    return NotSupported(fmt::format("CREATE TABLE ... {}", Current().text), Current().location);
  }
  if (AcceptKeyword("as")) {
    if (has_definitions) {
      return SyntaxErrorAt(tokens_[position_ - 1]);
    }
    FLOE_ASSIGN_OR_RETURN(statement->as_query, ParseQuery());
    if (AcceptKeyword("with")) {
      if (AcceptKeyword("no")) {
        statement->with_data = false;
      }
      FLOE_RETURN_NOT_OK(ExpectKeyword("data"));
    }
    return Wrap(std::move(statement));
  }
  if (!has_definitions) {
    return SyntaxError();
  }
  return Wrap(std::move(statement));
}

Result<ColumnDefinition> Parser::ParseColumnDefinition() {
  int location = Current().location;
  FLOE_ASSIGN_OR_RETURN(std::string name, ParseColId());
  return ParseColumnDefinitionAfterName(std::move(name), location);
}

Result<ColumnDefinition> Parser::ParseColumnDefinitionAfterName(std::string name, int location) {
  ColumnDefinition column;
  column.name = std::move(name);
  column.location = location;
  FLOE_ASSIGN_OR_RETURN(column.type, ParseTypeName());
  FLOE_RETURN_NOT_OK(ParseColumnConstraints(column));
  return column;
}

Status Parser::ParseColumnConstraints(ColumnDefinition& column) {
  while (true) {
    int location = Current().location;
    std::string constraint_name;
    if (AcceptKeyword("constraint")) {
      FLOE_ASSIGN_OR_RETURN(constraint_name, ParseColId());
    }
    if (IsKeyword("not") && IsKeyword("null", 1)) {
      Advance();
      Advance();
      column.nullability = Nullability::kNotNull;
    } else if (AcceptKeyword("null")) {
      column.nullability = Nullability::kNull;
    } else if (AcceptKeyword("default")) {
      FLOE_ASSIGN_OR_RETURN(column.default_value, ParseExpression(kPrecedenceComparison));
    } else if (AcceptKeyword("collate")) {
      FLOE_ASSIGN_OR_RETURN(column.collation, ParseQualifiedName());
    } else if (IsKeyword("primary") || IsKeyword("unique") || IsKeyword("check") ||
               IsKeyword("references")) {
      TableConstraint constraint;
      constraint.location = location;
      constraint.name = std::move(constraint_name);
      if (AcceptKeyword("primary")) {
        FLOE_RETURN_NOT_OK(ExpectKeyword("key"));
        constraint.kind = ConstraintKind::kPrimaryKey;
      } else if (AcceptKeyword("unique")) {
        constraint.kind = ConstraintKind::kUnique;
      } else if (AcceptKeyword("check")) {
        constraint.kind = ConstraintKind::kCheck;
        FLOE_RETURN_NOT_OK(ExpectSymbol("("));
        FLOE_ASSIGN_OR_RETURN(constraint.check, ParseExpression());
        FLOE_RETURN_NOT_OK(ExpectSymbol(")"));
      } else {
        Advance();
        constraint.kind = ConstraintKind::kForeignKey;
        FLOE_ASSIGN_OR_RETURN(constraint.referenced_table, ParseQualifiedName());
        if (IsSymbol("(")) {
          FLOE_ASSIGN_OR_RETURN(constraint.referenced_columns, ParseColumnList());
        }
      }
      column.constraints.push_back(std::move(constraint));
    } else if (IsKeyword("generated")) {
      return NotSupported("generated columns", Current().location);
    } else if (!constraint_name.empty()) {
      return SyntaxError();
    } else {
      return Status::OK();
    }
  }
}

Result<TableConstraint> Parser::ParseTableConstraint() {
  TableConstraint constraint;
  constraint.location = Current().location;
  if (AcceptKeyword("constraint")) {
    FLOE_ASSIGN_OR_RETURN(constraint.name, ParseColId());
  }
  if (AcceptKeyword("primary")) {
    FLOE_RETURN_NOT_OK(ExpectKeyword("key"));
    constraint.kind = ConstraintKind::kPrimaryKey;
    FLOE_ASSIGN_OR_RETURN(constraint.columns, ParseColumnList());
  } else if (AcceptKeyword("unique")) {
    constraint.kind = ConstraintKind::kUnique;
    FLOE_ASSIGN_OR_RETURN(constraint.columns, ParseColumnList());
  } else if (AcceptKeyword("check")) {
    constraint.kind = ConstraintKind::kCheck;
    FLOE_RETURN_NOT_OK(ExpectSymbol("("));
    FLOE_ASSIGN_OR_RETURN(constraint.check, ParseExpression());
    FLOE_RETURN_NOT_OK(ExpectSymbol(")"));
  } else if (AcceptKeyword("foreign")) {
    FLOE_RETURN_NOT_OK(ExpectKeyword("key"));
    constraint.kind = ConstraintKind::kForeignKey;
    FLOE_ASSIGN_OR_RETURN(constraint.columns, ParseColumnList());
    FLOE_RETURN_NOT_OK(ExpectKeyword("references"));
    FLOE_ASSIGN_OR_RETURN(constraint.referenced_table, ParseQualifiedName());
    if (IsSymbol("(")) {
      FLOE_ASSIGN_OR_RETURN(constraint.referenced_columns, ParseColumnList());
    }
  } else {
    return SyntaxError();
  }
  return constraint;
}

Result<StatementPtr> Parser::ParseCreateView(int location, bool or_replace) {
  auto statement = std::make_unique<CreateViewStatement>(location);
  statement->or_replace = or_replace;
  FLOE_RETURN_NOT_OK(ExpectKeyword("view"));
  FLOE_ASSIGN_OR_RETURN(statement->name, ParseQualifiedName());
  if (IsSymbol("(")) {
    FLOE_ASSIGN_OR_RETURN(statement->columns, ParseColumnList());
  }
  if (IsKeyword("with")) {
    return NotSupported("view options", Current().location);
  }
  FLOE_RETURN_NOT_OK(ExpectKeyword("as"));
  statement->query_begin = Current().location;
  FLOE_ASSIGN_OR_RETURN(statement->query, ParseQuery());
  statement->query_end = tokens_[position_ - 1].end;
  statement->query_text = std::string(
      text().substr(statement->query_begin, statement->query_end - statement->query_begin));
  if (IsKeyword("with")) {
    return NotSupported("WITH CHECK OPTION", Current().location);
  }
  return Wrap(std::move(statement));
}

Result<std::string> Parser::ParseRoleName() {
  const Token& token = Current();
  if (token.kind != TokenKind::kIdentifier ||
      (!token.is_quoted && token.category == KeywordCategory::kReserved)) {
    return SyntaxError();
  }
  std::string name = token.text;
  Advance();
  return name;
}

Result<std::vector<RoleOption>> Parser::ParseRoleOptions() {
  static constexpr std::pair<std::string_view, RoleOptionKind> kFlags[] = {
      {"superuser", RoleOptionKind::kSuperuser},   {"createdb", RoleOptionKind::kCreateDb},
      {"createrole", RoleOptionKind::kCreateRole}, {"inherit", RoleOptionKind::kInherit},
      {"login", RoleOptionKind::kLogin},           {"replication", RoleOptionKind::kReplication},
      {"bypassrls", RoleOptionKind::kBypassRls},
  };
  std::vector<RoleOption> options;
  AcceptKeyword("with");
  while (Current().kind == TokenKind::kIdentifier && !Current().is_quoted) {
    RoleOption option;
    option.location = Current().location;
    const std::string word = Current().text;
    bool matched = false;
    for (const auto& [name, kind] : kFlags) {
      if (word == name ||
          (word.size() == name.size() + 2 && word.starts_with("no") && word.substr(2) == name)) {
        option.kind = kind;
        option.enabled = word == name;
        matched = true;
        Advance();
        break;
      }
    }
    if (!matched) {
      if (word == "password" || word == "encrypted") {
        Advance();
        if (word == "encrypted") {
          FLOE_RETURN_NOT_OK(ExpectKeyword("password"));
        }
        option.kind = RoleOptionKind::kPassword;
        if (AcceptKeyword("null")) {
          option.is_null = true;
        } else {
          FLOE_ASSIGN_OR_RETURN(option.value, ParseStringConstant());
        }
      } else if (word == "connection" && IsKeyword("limit", 1)) {
        Advance();
        Advance();
        option.kind = RoleOptionKind::kConnectionLimit;
        FLOE_ASSIGN_OR_RETURN(int64_t limit, ParseIntegerConstant());
        option.value = std::to_string(limit);
      } else if (word == "valid" && IsKeyword("until", 1)) {
        Advance();
        Advance();
        option.kind = RoleOptionKind::kValidUntil;
        FLOE_ASSIGN_OR_RETURN(option.value, ParseStringConstant());
      } else if (word == "in" || word == "role" || word == "admin" || word == "user" ||
                 word == "sysid") {
        return NotSupported(fmt::format("role option {}", word), option.location);
      } else {
        break;
      }
    }
    options.push_back(std::move(option));
  }
  return options;
}

Result<StatementPtr> Parser::ParseCreateRole(int location, bool is_user) {
  auto statement = std::make_unique<CreateRoleStatement>(location);
  statement->is_user = is_user;
  FLOE_ASSIGN_OR_RETURN(statement->name, ParseRoleName());
  FLOE_ASSIGN_OR_RETURN(statement->options, ParseRoleOptions());
  return Wrap(std::move(statement));
}

// ---- ALTER

Result<StatementPtr> Parser::ParseAlter() {
  int location = Current().location;
  Advance();
  if (IsKeyword("table")) {
    return ParseAlterTable(location);
  }
  if (IsKeyword("user") || IsKeyword("role")) {
    auto statement = std::make_unique<AlterRoleStatement>(location);
    statement->is_user = IsKeyword("user");
    Advance();
    FLOE_ASSIGN_OR_RETURN(statement->name, ParseRoleName());
    if (AcceptKeyword("rename")) {
      FLOE_RETURN_NOT_OK(ExpectKeyword("to"));
      FLOE_ASSIGN_OR_RETURN(statement->new_name, ParseRoleName());
      return Wrap(std::move(statement));
    }
    if (IsKeyword("set") || IsKeyword("reset") || IsKeyword("in")) {
      return NotSupported("ALTER ROLE ... SET/RESET", Current().location);
    }
    FLOE_ASSIGN_OR_RETURN(statement->options, ParseRoleOptions());
    if (statement->options.empty()) {
      return SyntaxError();
    }
    return Wrap(std::move(statement));
  }
  if (Current().kind == TokenKind::kIdentifier && !Current().is_quoted) {
    std::string what = Current().text;
    for (char& c : what) {
      if (c >= 'a' && c <= 'z') {
        c = static_cast<char>(c - 'a' + 'A');
      }
    }
    return NotSupported("ALTER " + what, Current().location);
  }
  return SyntaxError();
}

Result<StatementPtr> Parser::ParseAlterTable(int location) {
  auto statement = std::make_unique<AlterTableStatement>(location);
  FLOE_RETURN_NOT_OK(ExpectKeyword("table"));
  if (IsKeyword("if") && IsKeyword("exists", 1)) {
    Advance();
    Advance();
    statement->if_exists = true;
  }
  AcceptKeyword("only");
  FLOE_ASSIGN_OR_RETURN(statement->name, ParseQualifiedName());
  do {
    FLOE_ASSIGN_OR_RETURN(AlterTableAction action, ParseAlterTableAction());
    bool is_rename = action.kind == AlterTableActionKind::kRenameColumn ||
                     action.kind == AlterTableActionKind::kRenameTable;
    if (is_rename && (!statement->actions.empty() || IsSymbol(","))) {
      return ErrorAt(Status::SyntaxError("RENAME cannot be combined with other ALTER TABLE "
                                         "actions"),
                     action.location);
    }
    statement->actions.push_back(std::move(action));
  } while (AcceptSymbol(","));
  return Wrap(std::move(statement));
}

Result<AlterTableAction> Parser::ParseAlterTableAction() {
  AlterTableAction action;
  action.location = Current().location;
  if (AcceptKeyword("add")) {
    if (IsConstraintStart(*this)) {
      action.kind = AlterTableActionKind::kAddConstraint;
      FLOE_ASSIGN_OR_RETURN(action.constraint, ParseTableConstraint());
      return action;
    }
    action.kind = AlterTableActionKind::kAddColumn;
    AcceptKeyword("column");
    if (IsKeyword("if")) {
      Advance();
      FLOE_RETURN_NOT_OK(ExpectKeyword("not"));
      FLOE_RETURN_NOT_OK(ExpectKeyword("exists"));
      action.if_not_exists = true;
    }
    FLOE_ASSIGN_OR_RETURN(action.column, ParseColumnDefinition());
    return action;
  }
  if (AcceptKeyword("drop")) {
    if (IsKeyword("constraint")) {
      return NotSupported("ALTER TABLE ... DROP CONSTRAINT", Current().location);
    }
    action.kind = AlterTableActionKind::kDropColumn;
    AcceptKeyword("column");
    if (IsKeyword("if") && IsKeyword("exists", 1)) {
      Advance();
      Advance();
      action.if_exists = true;
    }
    FLOE_ASSIGN_OR_RETURN(action.column_name, ParseColId());
    action.behavior = ParseDropBehavior();
    return action;
  }
  if (AcceptKeyword("rename")) {
    if (AcceptKeyword("to")) {
      action.kind = AlterTableActionKind::kRenameTable;
      FLOE_ASSIGN_OR_RETURN(action.new_name, ParseColId());
      return action;
    }
    if (IsKeyword("constraint")) {
      return NotSupported("ALTER TABLE ... RENAME CONSTRAINT", Current().location);
    }
    action.kind = AlterTableActionKind::kRenameColumn;
    AcceptKeyword("column");
    FLOE_ASSIGN_OR_RETURN(action.column_name, ParseColId());
    FLOE_RETURN_NOT_OK(ExpectKeyword("to"));
    FLOE_ASSIGN_OR_RETURN(action.new_name, ParseColId());
    return action;
  }
  if (AcceptKeyword("alter")) {
    AcceptKeyword("column");
    FLOE_ASSIGN_OR_RETURN(action.column_name, ParseColId());
    if (AcceptKeyword("type") ||
        (IsKeyword("set") && IsKeyword("data", 1) && IsKeyword("type", 2))) {
      if (IsKeyword("set")) {
        Advance();
        Advance();
        Advance();
      }
      action.kind = AlterTableActionKind::kAlterColumnType;
      FLOE_ASSIGN_OR_RETURN(action.type, ParseTypeName());
      if (IsKeyword("collate")) {
        return NotSupported("ALTER COLUMN ... TYPE ... COLLATE", Current().location);
      }
      if (AcceptKeyword("using")) {
        FLOE_ASSIGN_OR_RETURN(action.expression, ParseExpression());
      }
      return action;
    }
    if (IsKeyword("set") && IsKeyword("not", 1) && IsKeyword("null", 2)) {
      Advance();
      Advance();
      Advance();
      action.kind = AlterTableActionKind::kSetNotNull;
      return action;
    }
    if (IsKeyword("drop") && IsKeyword("not", 1) && IsKeyword("null", 2)) {
      Advance();
      Advance();
      Advance();
      action.kind = AlterTableActionKind::kDropNotNull;
      return action;
    }
    if (IsKeyword("set") && IsKeyword("default", 1)) {
      Advance();
      Advance();
      action.kind = AlterTableActionKind::kSetDefault;
      FLOE_ASSIGN_OR_RETURN(action.expression, ParseExpression());
      return action;
    }
    if (IsKeyword("drop") && IsKeyword("default", 1)) {
      Advance();
      Advance();
      action.kind = AlterTableActionKind::kDropDefault;
      return action;
    }
    if (IsKeyword("set") || IsKeyword("drop") || IsKeyword("add") || IsKeyword("reset")) {
      return NotSupported(fmt::format("ALTER COLUMN ... {} {}", Current().text, Peek(1).text),
                          Current().location);
    }
    return SyntaxError();
  }
  if (IsKeyword("set") && IsSymbol("(", 1)) {
    Advance();
    action.kind = AlterTableActionKind::kSetOptions;
    FLOE_ASSIGN_OR_RETURN(action.options, ParseOptionList(true));
    return action;
  }
  if (IsKeyword("reset") && IsSymbol("(", 1)) {
    Advance();
    action.kind = AlterTableActionKind::kResetOptions;
    FLOE_RETURN_NOT_OK(ExpectSymbol("("));
    do {
      Option option;
      option.location = Current().location;
      if (Current().kind == TokenKind::kString) {
        option.name = Current().text;
        Advance();
      } else {
        FLOE_ASSIGN_OR_RETURN(option.name, ParseColLabel());
        while (IsSymbol(".") && IsColLabel(1)) {
          Advance();
          option.name += "." + Current().text;
          Advance();
        }
      }
      action.options.push_back(std::move(option));
    } while (AcceptSymbol(","));
    FLOE_RETURN_NOT_OK(ExpectSymbol(")"));
    return action;
  }
  if (Current().kind == TokenKind::kIdentifier && !Current().is_quoted &&
      Current().category != KeywordCategory::kNone) {
    return NotSupported(fmt::format("ALTER TABLE ... {}", Current().text), Current().location);
  }
  return SyntaxError();
}

DropBehavior Parser::ParseDropBehavior() {
  if (AcceptKeyword("cascade")) {
    return DropBehavior::kCascade;
  }
  if (AcceptKeyword("restrict")) {
    return DropBehavior::kRestrict;
  }
  return DropBehavior::kDefault;
}

Result<StatementPtr> Parser::ParseDrop() {
  auto statement = std::make_unique<DropStatement>(Current().location);
  Advance();
  if (AcceptKeyword("table")) {
    statement->object_kind = ObjectKind::kTable;
  } else if (AcceptKeyword("view")) {
    statement->object_kind = ObjectKind::kView;
  } else if (AcceptKeyword("schema")) {
    statement->object_kind = ObjectKind::kSchema;
  } else if (AcceptKeyword("user") || AcceptKeyword("role")) {
    statement->object_kind = ObjectKind::kRole;
  } else if (Current().kind == TokenKind::kIdentifier && !Current().is_quoted) {
    std::string what = Current().text;
    for (char& c : what) {
      if (c >= 'a' && c <= 'z') {
        c = static_cast<char>(c - 'a' + 'A');
      }
    }
    return NotSupported("DROP " + what, Current().location);
  } else {
    return SyntaxError();
  }
  if (IsKeyword("if") && IsKeyword("exists", 1)) {
    Advance();
    Advance();
    statement->if_exists = true;
  }
  do {
    if (statement->object_kind == ObjectKind::kRole) {
      FLOE_ASSIGN_OR_RETURN(std::string name, ParseRoleName());
      statement->names.push_back({std::move(name)});
    } else {
      FLOE_ASSIGN_OR_RETURN(QualifiedName name, ParseQualifiedName());
      statement->names.push_back(std::move(name));
    }
  } while (AcceptSymbol(","));
  if (statement->object_kind != ObjectKind::kRole) {
    statement->behavior = ParseDropBehavior();
  }
  return Wrap(std::move(statement));
}

// ---- Session

Result<std::string> Parser::ParseSettingName() {
  if (IsKeyword("time") && IsKeyword("zone", 1)) {
    Advance();
    Advance();
    return std::string("timezone");
  }
  if (IsKeyword("transaction") && IsKeyword("isolation", 1) && IsKeyword("level", 2)) {
    Advance();
    Advance();
    Advance();
    return std::string("transaction_isolation");
  }
  if (IsKeyword("session") && IsKeyword("authorization", 1)) {
    Advance();
    Advance();
    return std::string("session_authorization");
  }
  FLOE_ASSIGN_OR_RETURN(std::string name, ParseColLabel());
  while (IsSymbol(".") && IsColLabel(1)) {
    Advance();
    name += "." + Current().text;
    Advance();
  }
  return name;
}

Result<StatementPtr> Parser::ParseShow() {
  auto statement = std::make_unique<ShowStatement>(Current().location);
  Advance();
  if (IsKeyword("all") && (IsSymbol(";", 1) || Peek(1).kind == TokenKind::kEnd)) {
    Advance();
    statement->show_kind = ShowKind::kAll;
  } else if (IsKeyword("tables") && !IsSymbol(".", 1)) {
    Advance();
    statement->show_kind = ShowKind::kTables;
    if (AcceptKeyword("from") || AcceptKeyword("in")) {
      FLOE_ASSIGN_OR_RETURN(statement->object, ParseQualifiedName());
    }
  } else if (IsKeyword("schemas") && !IsSymbol(".", 1)) {
    Advance();
    statement->show_kind = ShowKind::kSchemas;
  } else if (IsKeyword("columns") && (IsKeyword("from", 1) || IsKeyword("in", 1))) {
    Advance();
    Advance();
    statement->show_kind = ShowKind::kColumns;
    FLOE_ASSIGN_OR_RETURN(statement->object, ParseQualifiedName());
  } else {
    statement->show_kind = ShowKind::kVariable;
    FLOE_ASSIGN_OR_RETURN(statement->name, ParseSettingName());
  }
  return Wrap(std::move(statement));
}

Result<StatementPtr> Parser::ParseSet() {
  auto statement = std::make_unique<SetStatement>(Current().location);
  Advance();
  if ((IsKeyword("session") || IsKeyword("local")) && Peek(1).kind == TokenKind::kIdentifier &&
      !IsKeyword("to", 1) && !(IsKeyword("session") && IsKeyword("authorization", 1))) {
    statement->scope = IsKeyword("session") ? SetScope::kSession : SetScope::kLocal;
    Advance();
  }
  if (IsKeyword("transaction") || IsKeyword("role") ||
      (IsKeyword("session") &&
       (IsKeyword("authorization", 1) || IsKeyword("characteristics", 1))) ||
      IsKeyword("constraints")) {
    return NotSupported(fmt::format("SET {}", Current().text), Current().location);
  }
  if (IsKeyword("time") && IsKeyword("zone", 1)) {
    Advance();
    Advance();
    statement->name = "timezone";
    if (AcceptKeyword("local") || AcceptKeyword("default")) {
      statement->is_default = true;
    } else if (IsKeyword("interval")) {
      return NotSupported("SET TIME ZONE INTERVAL", Current().location);
    } else {
      FLOE_ASSIGN_OR_RETURN(OptionValue value, ParseOptionValue());
      statement->values.push_back(std::move(value));
    }
    return Wrap(std::move(statement));
  }
  if (IsKeyword("schema") && Peek(1).kind == TokenKind::kString) {
    Advance();
    statement->name = "search_path";
    FLOE_ASSIGN_OR_RETURN(OptionValue value, ParseOptionValue());
    statement->values.push_back(std::move(value));
    return Wrap(std::move(statement));
  }
  if (IsKeyword("names") && !IsKeyword("to", 1) && !IsOperator("=", 1)) {
    Advance();
    statement->name = "client_encoding";
    if (AcceptKeyword("default")) {
      statement->is_default = true;
    } else {
      FLOE_ASSIGN_OR_RETURN(OptionValue value, ParseOptionValue());
      statement->values.push_back(std::move(value));
    }
    return Wrap(std::move(statement));
  }
  FLOE_ASSIGN_OR_RETURN(statement->name, ParseSettingName());
  if (!AcceptKeyword("to")) {
    FLOE_RETURN_NOT_OK(ExpectOperator("="));
  }
  if (AcceptKeyword("default")) {
    statement->is_default = true;
    return Wrap(std::move(statement));
  }
  do {
    FLOE_ASSIGN_OR_RETURN(OptionValue value, ParseOptionValue());
    statement->values.push_back(std::move(value));
  } while (AcceptSymbol(","));
  return Wrap(std::move(statement));
}

Result<StatementPtr> Parser::ParseReset() {
  auto statement = std::make_unique<ResetStatement>(Current().location);
  Advance();
  if (AcceptKeyword("all")) {
    statement->all = true;
  } else {
    FLOE_ASSIGN_OR_RETURN(statement->name, ParseSettingName());
  }
  return Wrap(std::move(statement));
}

Status Parser::ParseTransactionModes(TransactionStatement& statement) {
  bool first = true;
  while (true) {
    if (!first && IsSymbol(",")) {
      Advance();
    }
    if (AcceptKeyword("isolation")) {
      FLOE_RETURN_NOT_OK(ExpectKeyword("level"));
      if (AcceptKeyword("serializable")) {
        statement.isolation = IsolationLevel::kSerializable;
      } else if (AcceptKeyword("repeatable")) {
        FLOE_RETURN_NOT_OK(ExpectKeyword("read"));
        statement.isolation = IsolationLevel::kRepeatableRead;
      } else {
        FLOE_RETURN_NOT_OK(ExpectKeyword("read"));
        if (AcceptKeyword("committed")) {
          statement.isolation = IsolationLevel::kReadCommitted;
        } else {
          FLOE_RETURN_NOT_OK(ExpectKeyword("uncommitted"));
          statement.isolation = IsolationLevel::kReadUncommitted;
        }
      }
    } else if (IsKeyword("read") && (IsKeyword("only", 1) || IsKeyword("write", 1))) {
      Advance();
      statement.access_mode =
          AcceptKeyword("only") ? AccessMode::kReadOnly : AccessMode::kReadWrite;
      if (statement.access_mode == AccessMode::kReadWrite) {
        Advance();
      }
    } else if (AcceptKeyword("deferrable")) {
      statement.deferrable = true;
    } else if (IsKeyword("not") && IsKeyword("deferrable", 1)) {
      Advance();
      Advance();
      statement.deferrable = false;
    } else {
      return Status::OK();
    }
    first = false;
  }
}

Result<StatementPtr> Parser::ParseTransaction() {
  auto statement = std::make_unique<TransactionStatement>(Current().location);
  std::string word = Current().text;
  Advance();
  if (word == "begin" || word == "start") {
    statement->transaction_kind = TransactionKind::kBegin;
    if (word == "start") {
      FLOE_RETURN_NOT_OK(ExpectKeyword("transaction"));
    } else if (!AcceptKeyword("work")) {
      AcceptKeyword("transaction");
    }
    FLOE_RETURN_NOT_OK(ParseTransactionModes(*statement));
    return Wrap(std::move(statement));
  }
  statement->transaction_kind =
      word == "commit" || word == "end" ? TransactionKind::kCommit : TransactionKind::kRollback;
  if (!AcceptKeyword("work")) {
    AcceptKeyword("transaction");
  }
  if (statement->transaction_kind == TransactionKind::kRollback && IsKeyword("to")) {
    return NotSupported("ROLLBACK TO SAVEPOINT", Current().location);
  }
  if (IsKeyword("and")) {
    int location = Current().location;
    Advance();
    if (AcceptKeyword("no")) {
      FLOE_RETURN_NOT_OK(ExpectKeyword("chain"));
    } else {
      FLOE_RETURN_NOT_OK(ExpectKeyword("chain"));
      return NotSupported("AND CHAIN", location);
    }
  }
  return Wrap(std::move(statement));
}

Result<StatementPtr> Parser::ParsePrepare() {
  auto statement = std::make_unique<PrepareStatement>(Current().location);
  Advance();
  if (IsKeyword("transaction")) {
    return NotSupported("PREPARE TRANSACTION", Current().location);
  }
  FLOE_ASSIGN_OR_RETURN(statement->name, ParseColId());
  if (AcceptSymbol("(")) {
    do {
      FLOE_ASSIGN_OR_RETURN(TypeName type, ParseTypeName());
      statement->parameter_types.push_back(std::move(type));
    } while (AcceptSymbol(","));
    FLOE_RETURN_NOT_OK(ExpectSymbol(")"));
  }
  FLOE_RETURN_NOT_OK(ExpectKeyword("as"));
  const Token& start = Current();
  FLOE_ASSIGN_OR_RETURN(statement->statement, ParseStatement());
  StatementKind kind = statement->statement->kind;
  if (kind != StatementKind::kQuery && kind != StatementKind::kInsert &&
      kind != StatementKind::kUpdate && kind != StatementKind::kDelete &&
      kind != StatementKind::kMerge) {
    return SyntaxErrorAt(start);
  }
  return Wrap(std::move(statement));
}

Result<StatementPtr> Parser::ParseExecute() {
  auto statement = std::make_unique<ExecuteStatement>(Current().location);
  Advance();
  FLOE_ASSIGN_OR_RETURN(statement->name, ParseColId());
  if (AcceptSymbol("(")) {
    FLOE_ASSIGN_OR_RETURN(statement->arguments, ParseExpressionList());
    FLOE_RETURN_NOT_OK(ExpectSymbol(")"));
  }
  return Wrap(std::move(statement));
}

Result<StatementPtr> Parser::ParseDeallocate() {
  auto statement = std::make_unique<DeallocateStatement>(Current().location);
  Advance();
  AcceptKeyword("prepare");
  if (AcceptKeyword("all")) {
    statement->all = true;
  } else {
    FLOE_ASSIGN_OR_RETURN(statement->name, ParseColId());
  }
  return Wrap(std::move(statement));
}

Result<StatementPtr> Parser::ParseCopy() {
  auto statement = std::make_unique<CopyStatement>(Current().location);
  Advance();
  if (IsKeyword("binary")) {
    statement->options.push_back(
        Option{"format", {OptionValueKind::kIdentifier, "binary"}, Current().location});
    Advance();
  }
  if (IsSymbol("(")) {
    FLOE_ASSIGN_OR_RETURN(statement->query, ParseParenthesizedQuery());
  } else {
    FLOE_ASSIGN_OR_RETURN(statement->table, ParseQualifiedName());
    if (IsSymbol("(")) {
      FLOE_ASSIGN_OR_RETURN(statement->columns, ParseColumnList());
    }
  }
  if (AcceptKeyword("to")) {
    statement->direction = CopyDirection::kTo;
  } else {
    FLOE_RETURN_NOT_OK(ExpectKeyword("from"));
    statement->direction = CopyDirection::kFrom;
    if (statement->query) {
      return SyntaxErrorAt(tokens_[position_ - 1]);
    }
  }
  if (IsKeyword("program")) {
    return NotSupported("COPY ... PROGRAM", Current().location);
  }
  if (Current().kind == TokenKind::kString) {
    statement->file = Current().text;
    Advance();
  } else if (IsKeyword(statement->direction == CopyDirection::kTo ? "stdout" : "stdin")) {
    statement->is_stdio = true;
    Advance();
  } else {
    return SyntaxError();
  }
  bool has_with = AcceptKeyword("with");
  if (IsSymbol("(")) {
    FLOE_ASSIGN_OR_RETURN(std::vector<Option> options, ParseOptionList(false));
    for (Option& option : options) {
      statement->options.push_back(std::move(option));
    }
  } else {
    // The spellings from before PostgreSQL 9.0: WITH CSV HEADER DELIMITER ',' NULL ''.
    while (Current().kind == TokenKind::kIdentifier && !Current().is_quoted) {
      Option option;
      option.location = Current().location;
      std::string word = Current().text;
      if (word == "csv" || word == "binary") {
        Advance();
        option.name = "format";
        option.value = {OptionValueKind::kIdentifier, word};
      } else if (word == "header" || word == "freeze") {
        Advance();
        option.name = word;
      } else if (word == "delimiter" || word == "null" || word == "quote" || word == "escape" ||
                 word == "encoding") {
        Advance();
        AcceptKeyword("as");
        option.name = word;
        FLOE_ASSIGN_OR_RETURN(std::string value, ParseStringConstant());
        option.value = {OptionValueKind::kString, std::move(value)};
      } else if (word == "force") {
        return NotSupported("COPY ... FORCE", option.location);
      } else {
        break;
      }
      statement->options.push_back(std::move(option));
    }
    if (has_with && statement->options.empty()) {
      return SyntaxError();
    }
  }
  if (IsKeyword("where")) {
    return NotSupported("COPY ... WHERE", Current().location);
  }
  return Wrap(std::move(statement));
}

Result<StatementPtr> Parser::ParseCall() {
  auto statement = std::make_unique<CallStatement>(Current().location);
  Advance();
  int location = Current().location;
  FLOE_ASSIGN_OR_RETURN(QualifiedName names, ParseQualifiedName());
  if (!IsSymbol("(")) {
    return SyntaxError();
  }
  FLOE_ASSIGN_OR_RETURN(ExpressionPtr call, ParseFunctionCall(std::move(names), location));
  auto& function = call->As<FunctionCallExpression>();
  if (function.over || function.filter || function.is_within_group || function.is_distinct ||
      function.is_star || !function.order_by.empty()) {
    return SyntaxError();
  }
  statement->call.reset(&call.release()->As<FunctionCallExpression>());
  return Wrap(std::move(statement));
}

Result<StatementPtr> Parser::ParseGrant(bool is_grant) {
  auto statement = std::make_unique<GrantStatement>(Current().location);
  statement->is_grant = is_grant;
  Advance();
  if (!is_grant && (IsKeyword("grant") || IsKeyword("admin")) && IsKeyword("option", 1) &&
      IsKeyword("for", 2)) {
    Advance();
    Advance();
    Advance();
    statement->grant_option = true;
  }
  // Privileges, or role names for a membership grant.
  do {
    Privilege privilege;
    privilege.location = Current().location;
    if (AcceptKeyword("all")) {
      privilege.name = "all";
      AcceptKeyword("privileges");
    } else {
      if (Current().kind != TokenKind::kIdentifier) {
        return SyntaxError();
      }
      privilege.name = Current().text;
      if (privilege.name == "temp" && !Current().is_quoted) {
        privilege.name = "temporary";
      }
      Advance();
    }
    if (IsSymbol("(")) {
      FLOE_ASSIGN_OR_RETURN(privilege.columns, ParseColumnList());
    }
    statement->privileges.push_back(std::move(privilege));
  } while (AcceptSymbol(","));
  if (AcceptKeyword("on")) {
    if (AcceptKeyword("table")) {
      statement->object_kind = ObjectKind::kTable;
    } else if (AcceptKeyword("schema")) {
      statement->object_kind = ObjectKind::kSchema;
    } else if (IsKeyword("all") && IsKeyword("tables", 1)) {
      Advance();
      Advance();
      FLOE_RETURN_NOT_OK(ExpectKeyword("in"));
      FLOE_RETURN_NOT_OK(ExpectKeyword("schema"));
      statement->object_kind = ObjectKind::kAllTablesInSchema;
    } else if (IsKeyword("database") || IsKeyword("function") || IsKeyword("sequence") ||
               IsKeyword("all") || IsKeyword("procedure") || IsKeyword("routine") ||
               IsKeyword("type") || IsKeyword("domain") || IsKeyword("language") ||
               IsKeyword("foreign") || IsKeyword("large") || IsKeyword("tablespace")) {
      return NotSupported(fmt::format("privileges on {}", Current().text), Current().location);
    }
    do {
      FLOE_ASSIGN_OR_RETURN(QualifiedName name, ParseQualifiedName());
      statement->objects.push_back(std::move(name));
    } while (AcceptSymbol(","));
  } else {
    statement->is_role_membership = true;
    for (const Privilege& privilege : statement->privileges) {
      if (!privilege.columns.empty() || privilege.name == "all") {
        return SyntaxError();
      }
    }
  }
  FLOE_RETURN_NOT_OK(ExpectKeyword(is_grant ? "to" : "from"));
  do {
    AcceptKeyword("group");
    if (AcceptKeyword("public")) {
      statement->grantees.push_back("public");
      continue;
    }
    FLOE_ASSIGN_OR_RETURN(std::string grantee, ParseRoleName());
    statement->grantees.push_back(std::move(grantee));
  } while (AcceptSymbol(","));
  if (is_grant && IsKeyword("with")) {
    Advance();
    FLOE_RETURN_NOT_OK(ExpectKeyword(statement->is_role_membership ? "admin" : "grant"));
    FLOE_RETURN_NOT_OK(ExpectKeyword("option"));
    statement->grant_option = true;
  }
  if (IsKeyword("granted")) {
    return NotSupported("GRANTED BY", Current().location);
  }
  if (!is_grant) {
    statement->behavior = ParseDropBehavior();
  }
  return Wrap(std::move(statement));
}

Result<StatementPtr> Parser::ParseComment() {
  auto statement = std::make_unique<CommentStatement>(Current().location);
  Advance();
  FLOE_RETURN_NOT_OK(ExpectKeyword("on"));
  if (AcceptKeyword("table")) {
    statement->object_kind = ObjectKind::kTable;
  } else if (AcceptKeyword("view")) {
    statement->object_kind = ObjectKind::kView;
  } else if (AcceptKeyword("schema")) {
    statement->object_kind = ObjectKind::kSchema;
  } else if (AcceptKeyword("column")) {
    statement->object_kind = ObjectKind::kColumn;
  } else if (Current().kind == TokenKind::kIdentifier && !Current().is_quoted) {
    return NotSupported(fmt::format("COMMENT ON {}", Current().text), Current().location);
  } else {
    return SyntaxError();
  }
  FLOE_ASSIGN_OR_RETURN(statement->name, ParseQualifiedName());
  if (statement->object_kind == ObjectKind::kColumn && statement->name.size() < 2) {
    return SyntaxError();
  }
  FLOE_RETURN_NOT_OK(ExpectKeyword("is"));
  if (AcceptKeyword("null")) {
    statement->is_null = true;
  } else {
    FLOE_ASSIGN_OR_RETURN(statement->comment, ParseStringConstant());
  }
  return Wrap(std::move(statement));
}

Result<StatementPtr> Parser::ParseAnalyze() {
  auto statement = std::make_unique<AnalyzeStatement>(Current().location);
  Advance();
  if (IsSymbol("(")) {
    return NotSupported("ANALYZE with an option list", Current().location);
  }
  statement->verbose = AcceptKeyword("verbose");
  if (IsColId()) {
    do {
      FLOE_ASSIGN_OR_RETURN(QualifiedName name, ParseQualifiedName());
      if (IsSymbol("(")) {
        return NotSupported("ANALYZE of chosen columns", Current().location);
      }
      statement->tables.push_back(std::move(name));
    } while (AcceptSymbol(","));
  }
  return Wrap(std::move(statement));
}

Result<StatementPtr> Parser::ParseDiscard() {
  auto statement = std::make_unique<DiscardStatement>(Current().location);
  Advance();
  if (AcceptKeyword("all")) {
    statement->discard_kind = DiscardKind::kAll;
  } else if (AcceptKeyword("plans")) {
    statement->discard_kind = DiscardKind::kPlans;
  } else if (AcceptKeyword("sequences")) {
    statement->discard_kind = DiscardKind::kSequences;
  } else if (AcceptKeyword("temp") || AcceptKeyword("temporary")) {
    statement->discard_kind = DiscardKind::kTemp;
  } else {
    return SyntaxError();
  }
  return Wrap(std::move(statement));
}

}  // namespace floe::sql::parser
