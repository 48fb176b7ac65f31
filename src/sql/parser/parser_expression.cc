// Expressions: precedence climbing over PostgreSQL's operator table (parser_internal.h).

#include <algorithm>
#include <charconv>
#include <utility>

#include "sql/parser/parser_internal.h"

namespace floe::sql::parser {
namespace {

bool IsComparisonOperator(std::string_view op) {
  return op == "<" || op == ">" || op == "=" || op == "<=" || op == ">=" || op == "<>";
}

// IS, ISNULL and NOTNULL are postfix and chain (`x IS NULL IS FALSE`); the comparison and
// pattern operators do not (`a < b < c` is a syntax error in PostgreSQL).
bool IsNonAssociative(int precedence) {
  return precedence == kPrecedenceComparison || precedence == kPrecedenceLike;
}

// Precedence of an operator symbol used as an infix operator.
int OperatorPrecedence(std::string_view op) {
  if (IsComparisonOperator(op)) {
    return kPrecedenceComparison;
  }
  if (op == "+" || op == "-") {
    return kPrecedenceAdd;
  }
  if (op == "*" || op == "/" || op == "%") {
    return kPrecedenceMultiply;
  }
  if (op == "^") {
    return kPrecedenceExponent;
  }
  if (op == "=>") {
    return 0;  // Only in named arguments.
  }
  return kPrecedenceOther;
}

std::unique_ptr<ConstantExpression> MakeConstant(ConstantKind kind, std::string text,
                                                 int location) {
  auto constant = std::make_unique<ConstantExpression>(location);
  constant->constant_kind = kind;
  constant->text = std::move(text);
  return constant;
}

// Counts nesting levels entered in a loop and leaves them all when the loop's scope ends.
class ChainDepth {
 public:
  explicit ChainDepth(Parser& parser) : parser_(parser) {}
  ChainDepth(const ChainDepth&) = delete;
  ChainDepth& operator=(const ChainDepth&) = delete;
  ~ChainDepth() {
    for (int i = 0; i < levels_; ++i) {
      parser_.Leave();
    }
  }
  Status Add() {
    FLOE_RETURN_NOT_OK(parser_.Enter());
    ++levels_;
    return Status::OK();
  }

 private:
  Parser& parser_;
  int levels_ = 0;
};

}  // namespace

int Parser::InfixPrecedence() const {
  const Token& token = Current();
  if (token.kind == TokenKind::kOperator) {
    return OperatorPrecedence(token.text);
  }
  if (token.kind != TokenKind::kIdentifier || token.is_quoted) {
    return 0;
  }
  const std::string& word = token.text;
  if (word == "or")
    return kPrecedenceOr;
  if (word == "and")
    return kPrecedenceAnd;
  if (word == "is" || word == "isnull" || word == "notnull")
    return kPrecedenceIs;
  if (word == "between" || word == "in" || word == "like" || word == "ilike" || word == "similar") {
    return kPrecedenceLike;
  }
  if (word == "not") {
    if (IsKeyword("between", 1) || IsKeyword("in", 1) || IsKeyword("like", 1) ||
        IsKeyword("ilike", 1) || IsKeyword("similar", 1)) {
      return kPrecedenceLike;
    }
    return 0;
  }
  if (word == "at" && IsKeyword("time", 1))
    return kPrecedenceAt;
  if (word == "operator" && IsSymbol("(", 1))
    return kPrecedenceOther;
  if (word == "collate")
    return kPrecedenceCollate;
  return 0;
}

Result<ExpressionPtr> Parser::ParseExpression(int min_precedence) {
  FLOE_PARSER_ENTER(*this);
  FLOE_ASSIGN_OR_RETURN(ExpressionPtr left, ParsePrefix());
  ChainDepth chain(*this);
  int last_non_associative = 0;
  while (true) {
    int precedence = InfixPrecedence();
    if (precedence == 0 || precedence < min_precedence) {
      break;
    }
    if (precedence == last_non_associative) {
      return SyntaxError();
    }
    last_non_associative = IsNonAssociative(precedence) ? precedence : 0;
    bool flattens = precedence == kPrecedenceAnd || precedence == kPrecedenceOr;
    if (!flattens) {
      FLOE_RETURN_NOT_OK(chain.Add());
    }
    FLOE_ASSIGN_OR_RETURN(left, ParseInfix(std::move(left), precedence, false));
  }
  return left;
}

Result<ExpressionPtr> Parser::ParsePrefix() {
  const Token& token = Current();
  int location = token.location;
  if (IsKeyword("not")) {
    Advance();
    FLOE_ASSIGN_OR_RETURN(ExpressionPtr operand, ParseExpression(kPrecedenceNot));
    auto node = std::make_unique<BoolExpression>(location);
    node->op = BoolOperator::kNot;
    node->arguments.push_back(std::move(operand));
    return ExpressionPtr(std::move(node));
  }
  if (token.kind == TokenKind::kOperator) {
    std::string op = token.text;
    int precedence = OperatorPrecedence(op);
    bool is_sign = op == "+" || op == "-";
    if (!is_sign && precedence != kPrecedenceOther) {
      return SyntaxError();
    }
    Advance();
    FLOE_ASSIGN_OR_RETURN(ExpressionPtr operand,
                          ParseExpression(is_sign ? kPrecedenceUnary : kPrecedenceOther + 1));
    if (op == "-" && operand->kind == ExpressionKind::kConstant) {
      // PostgreSQL folds the sign into a numeric constant, so -2147483648 is an int4.
      auto& constant = operand->As<ConstantExpression>();
      if (constant.constant_kind == ConstantKind::kInteger ||
          constant.constant_kind == ConstantKind::kNumeric) {
        if (!constant.text.empty() && constant.text[0] == '-') {
          constant.text.erase(0, 1);
        } else {
          constant.text.insert(0, "-");
        }
        constant.location = location;
        return operand;
      }
    }
    auto node = std::make_unique<OperatorExpression>(location);
    node->op = std::move(op);
    node->right = std::move(operand);
    return ExpressionPtr(std::move(node));
  }
  bool is_parenthesized = IsSymbol("(");
  FLOE_ASSIGN_OR_RETURN(ExpressionPtr primary, ParsePrimary());
  return ParsePostfix(std::move(primary), is_parenthesized);
}

Result<ExpressionPtr> Parser::ParseInfix(ExpressionPtr left, int precedence, bool negated) {
  const Token& token = Current();
  int location = token.location;
  if (token.kind == TokenKind::kOperator) {
    std::string op = token.text;
    Advance();
    if ((IsKeyword("any") || IsKeyword("some") || IsKeyword("all")) && IsSymbol("(", 1)) {
      auto node = std::make_unique<QuantifiedExpression>(location);
      node->quantifier = IsKeyword("all") ? Quantifier::kAll : Quantifier::kAny;
      Advance();
      node->left = std::move(left);
      node->op = std::move(op);
      if (IsQueryParenthesisHere()) {
        FLOE_ASSIGN_OR_RETURN(node->subquery, ParseParenthesizedQuery());
      } else {
        Advance();
        FLOE_ASSIGN_OR_RETURN(node->array, ParseExpression());
        FLOE_RETURN_NOT_OK(ExpectSymbol(")"));
      }
      return ExpressionPtr(std::move(node));
    }
    FLOE_ASSIGN_OR_RETURN(ExpressionPtr right, ParseExpression(precedence + 1));
    auto node = std::make_unique<OperatorExpression>(location);
    node->op = std::move(op);
    node->left = std::move(left);
    node->right = std::move(right);
    return ExpressionPtr(std::move(node));
  }
  std::string word = token.text;
  Advance();
  if (word == "and" || word == "or") {
    BoolOperator op = word == "and" ? BoolOperator::kAnd : BoolOperator::kOr;
    FLOE_ASSIGN_OR_RETURN(ExpressionPtr right, ParseExpression(precedence + 1));
    // A left-nested chain becomes one n-ary node, as in PostgreSQL, so long chains of
    // conditions do not make deep trees.
    if (left->kind == ExpressionKind::kBool && left->As<BoolExpression>().op == op) {
      left->As<BoolExpression>().arguments.push_back(std::move(right));
      return left;
    }
    auto node = std::make_unique<BoolExpression>(location);
    node->op = op;
    node->arguments.push_back(std::move(left));
    node->arguments.push_back(std::move(right));
    return ExpressionPtr(std::move(node));
  }
  if (word == "isnull" || word == "notnull") {
    auto node = std::make_unique<IsTestExpression>(location);
    node->operand = std::move(left);
    node->test = IsTest::kNull;
    node->negated = word == "notnull";
    return ExpressionPtr(std::move(node));
  }
  if (word == "is") {
    bool is_not = AcceptKeyword("not");
    if (AcceptKeyword("distinct")) {
      FLOE_RETURN_NOT_OK(ExpectKeyword("from"));
      FLOE_ASSIGN_OR_RETURN(ExpressionPtr right, ParseExpression(kPrecedenceIs + 1));
      auto node = std::make_unique<DistinctFromExpression>(location);
      node->left = std::move(left);
      node->right = std::move(right);
      node->negated = is_not;
      return ExpressionPtr(std::move(node));
    }
    auto node = std::make_unique<IsTestExpression>(location);
    node->operand = std::move(left);
    node->negated = is_not;
    if (AcceptKeyword("null")) {
      node->test = IsTest::kNull;
    } else if (AcceptKeyword("true")) {
      node->test = IsTest::kTrue;
    } else if (AcceptKeyword("false")) {
      node->test = IsTest::kFalse;
    } else if (AcceptKeyword("unknown")) {
      node->test = IsTest::kUnknown;
    } else if (IsKeyword("document") || IsKeyword("normalized") || IsKeyword("json") ||
               IsKeyword("of")) {
      return NotSupported(fmt::format("IS {}", Current().text), Current().location);
    } else {
      return SyntaxError();
    }
    return ExpressionPtr(std::move(node));
  }
  if (word == "not") {
    word = Current().text;
    Advance();
    negated = true;
  }
  if (word == "between") {
    auto node = std::make_unique<BetweenExpression>(location);
    node->operand = std::move(left);
    node->negated = negated;
    if (AcceptKeyword("symmetric")) {
      node->symmetric = true;
    } else {
      AcceptKeyword("asymmetric");
    }
    FLOE_ASSIGN_OR_RETURN(node->lower, ParseExpression(kPrecedenceLike + 1));
    FLOE_RETURN_NOT_OK(ExpectKeyword("and"));
    FLOE_ASSIGN_OR_RETURN(node->upper, ParseExpression(kPrecedenceLike + 1));
    return ExpressionPtr(std::move(node));
  }
  if (word == "in") {
    if (!IsSymbol("(")) {
      return SyntaxError();
    }
    if (IsQueryParenthesisHere()) {
      auto node = std::make_unique<InSubqueryExpression>(location);
      node->operand = std::move(left);
      node->negated = negated;
      FLOE_ASSIGN_OR_RETURN(node->subquery, ParseParenthesizedQuery());
      return ExpressionPtr(std::move(node));
    }
    Advance();
    auto node = std::make_unique<InListExpression>(location);
    node->operand = std::move(left);
    node->negated = negated;
    FLOE_ASSIGN_OR_RETURN(node->list, ParseExpressionList());
    FLOE_RETURN_NOT_OK(ExpectSymbol(")"));
    return ExpressionPtr(std::move(node));
  }
  if (word == "like" || word == "ilike" || word == "similar") {
    auto node = std::make_unique<LikeExpression>(location);
    node->like_kind = word == "like"    ? LikeKind::kLike
                      : word == "ilike" ? LikeKind::kILike
                                        : LikeKind::kSimilarTo;
    if (node->like_kind == LikeKind::kSimilarTo) {
      FLOE_RETURN_NOT_OK(ExpectKeyword("to"));
    }
    node->operand = std::move(left);
    node->negated = negated;
    FLOE_ASSIGN_OR_RETURN(node->pattern, ParseExpression(kPrecedenceLike + 1));
    if (AcceptKeyword("escape")) {
      FLOE_ASSIGN_OR_RETURN(node->escape, ParseExpression(kPrecedenceLike + 1));
    }
    return ExpressionPtr(std::move(node));
  }
  if (word == "operator") {
    // OPERATOR(pg_catalog.~), as psql writes its patterns: an operator named with its schema,
    // which binds as any other operator does. pg_catalog is the only schema with operators.
    FLOE_RETURN_NOT_OK(ExpectSymbol("("));
    while (Current().kind == TokenKind::kIdentifier && IsSymbol(".", 1)) {
      if (Current().text != "pg_catalog") {
        return NotSupported("OPERATOR() outside pg_catalog", Current().location);
      }
      Advance();
      Advance();
    }
    if (Current().kind != TokenKind::kOperator) {
      return SyntaxError();
    }
    std::string op = Current().text;
    Advance();
    FLOE_RETURN_NOT_OK(ExpectSymbol(")"));
    FLOE_ASSIGN_OR_RETURN(ExpressionPtr right, ParseExpression(precedence + 1));
    auto node = std::make_unique<OperatorExpression>(location);
    node->op = std::move(op);
    node->left = std::move(left);
    node->right = std::move(right);
    return ExpressionPtr(std::move(node));
  }
  if (word == "at") {
    FLOE_RETURN_NOT_OK(ExpectKeyword("time"));
    FLOE_RETURN_NOT_OK(ExpectKeyword("zone"));
    auto node = std::make_unique<AtTimeZoneExpression>(location);
    node->operand = std::move(left);
    FLOE_ASSIGN_OR_RETURN(node->zone, ParseExpression(kPrecedenceAt + 1));
    return ExpressionPtr(std::move(node));
  }
  if (word == "collate") {
    auto node = std::make_unique<CollateExpression>(location);
    node->operand = std::move(left);
    FLOE_ASSIGN_OR_RETURN(node->collation, ParseQualifiedName());
    return ExpressionPtr(std::move(node));
  }
  return SyntaxErrorAt(token);
}

Result<ExpressionPtr> Parser::ParsePrimary() {
  const Token& token = Current();
  int location = token.location;
  switch (token.kind) {
    case TokenKind::kInteger:
    case TokenKind::kNumeric: {
      auto constant = MakeConstant(
          token.kind == TokenKind::kInteger ? ConstantKind::kInteger : ConstantKind::kNumeric,
          token.text, location);
      Advance();
      return ExpressionPtr(std::move(constant));
    }
    case TokenKind::kString: {
      auto constant = MakeConstant(ConstantKind::kString, token.text, location);
      Advance();
      return ExpressionPtr(std::move(constant));
    }
    case TokenKind::kParameter: {
      int index = 0;
      const std::string& digits = token.text;
      auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), index);
      if (error != std::errc() || end != digits.data() + digits.size() || index < 1) {
        return ErrorAt(Status::SyntaxError("there is no parameter ${}", digits), location);
      }
      auto parameter = std::make_unique<ParameterExpression>(location);
      parameter->index = index;
      Advance();
      return ExpressionPtr(std::move(parameter));
    }
    case TokenKind::kSymbol:
      if (token.text == "(") {
        return ParseParenthesized();
      }
      return SyntaxError();
    case TokenKind::kIdentifier:
      return ParseWordExpression();
    default:
      return SyntaxError();
  }
}

Result<ExpressionPtr> Parser::ParseParenthesized() {
  int location = Current().location;
  if (IsQueryParenthesisHere()) {
    auto node = std::make_unique<SubqueryExpression>(location);
    FLOE_ASSIGN_OR_RETURN(node->subquery, ParseParenthesizedQuery());
    return ExpressionPtr(std::move(node));
  }
  Advance();
  FLOE_ASSIGN_OR_RETURN(ExpressionPtr first, ParseExpression());
  if (IsSymbol(",")) {
    auto row = std::make_unique<RowExpression>(location);
    row->fields.push_back(std::move(first));
    while (AcceptSymbol(",")) {
      FLOE_ASSIGN_OR_RETURN(ExpressionPtr field, ParseExpression());
      row->fields.push_back(std::move(field));
    }
    FLOE_RETURN_NOT_OK(ExpectSymbol(")"));
    return ExpressionPtr(std::move(row));
  }
  FLOE_RETURN_NOT_OK(ExpectSymbol(")"));
  return first;
}

Result<ExpressionPtr> Parser::ParsePostfix(ExpressionPtr operand, bool is_parenthesized) {
  ChainDepth chain(*this);
  while (true) {
    int location = Current().location;
    if (IsSymbol("::")) {
      FLOE_RETURN_NOT_OK(chain.Add());
      Advance();
      auto cast = std::make_unique<CastExpression>(location);
      cast->operand = std::move(operand);
      FLOE_ASSIGN_OR_RETURN(cast->type, ParseTypeName());
      cast->is_double_colon = true;
      operand = std::move(cast);
      is_parenthesized = false;
    } else if (IsSymbol("[")) {
      FLOE_RETURN_NOT_OK(chain.Add());
      Advance();
      auto subscript = std::make_unique<SubscriptExpression>(location);
      subscript->operand = std::move(operand);
      if (!IsSymbol(":")) {
        FLOE_ASSIGN_OR_RETURN(subscript->index, ParseExpression());
      }
      if (AcceptSymbol(":")) {
        subscript->is_slice = true;
        if (!IsSymbol("]")) {
          FLOE_ASSIGN_OR_RETURN(subscript->upper, ParseExpression());
        }
      }
      FLOE_RETURN_NOT_OK(ExpectSymbol("]"));
      operand = std::move(subscript);
    } else if (IsSymbol(".") && (is_parenthesized || (operand->kind != ExpressionKind::kColumnRef &&
                                                      operand->kind != ExpressionKind::kStar))) {
      FLOE_RETURN_NOT_OK(chain.Add());
      Advance();
      if (IsOperator("*")) {
        return NotSupported("selecting all fields of a composite value with (x).*",
                            Current().location);
      }
      auto field = std::make_unique<FieldSelectionExpression>(location);
      field->operand = std::move(operand);
      FLOE_ASSIGN_OR_RETURN(field->field, ParseColLabel());
      operand = std::move(field);
    } else {
      return operand;
    }
  }
}

Result<std::vector<ExpressionPtr>> Parser::ParseExpressionList() {
  std::vector<ExpressionPtr> list;
  do {
    FLOE_ASSIGN_OR_RETURN(ExpressionPtr expression, ParseExpression());
    list.push_back(std::move(expression));
  } while (AcceptSymbol(","));
  return list;
}

Result<ExpressionPtr> Parser::ParseValueOrDefault() {
  if (IsKeyword("default")) {
    auto node = std::make_unique<DefaultExpression>(Current().location);
    Advance();
    return ExpressionPtr(std::move(node));
  }
  return ParseExpression();
}

Result<ExpressionPtr> Parser::ParseWordExpression() {
  const Token& token = Current();
  int location = token.location;
  const std::string word = token.is_quoted ? std::string() : token.text;
  bool next_is_paren = IsSymbol("(", 1);
  if (word == "true" || word == "false") {
    auto constant = MakeConstant(ConstantKind::kBoolean, "", location);
    constant->bool_value = word == "true";
    Advance();
    return ExpressionPtr(std::move(constant));
  }
  if (word == "null") {
    Advance();
    return ExpressionPtr(MakeConstant(ConstantKind::kNull, "", location));
  }
  if (word == "case") {
    return ParseCase();
  }
  if (word == "cast" && next_is_paren) {
    Advance();
    Advance();
    auto cast = std::make_unique<CastExpression>(location);
    FLOE_ASSIGN_OR_RETURN(cast->operand, ParseExpression());
    FLOE_RETURN_NOT_OK(ExpectKeyword("as"));
    FLOE_ASSIGN_OR_RETURN(cast->type, ParseTypeName());
    FLOE_RETURN_NOT_OK(ExpectSymbol(")"));
    return ExpressionPtr(std::move(cast));
  }
  if (word == "exists" && next_is_paren) {
    Advance();
    if (!IsQueryParenthesisHere()) {
      Advance();
      return SyntaxError();
    }
    auto node = std::make_unique<ExistsExpression>(location);
    FLOE_ASSIGN_OR_RETURN(node->subquery, ParseParenthesizedQuery());
    return ExpressionPtr(std::move(node));
  }
  if (word == "array") {
    return ParseArray(location);
  }
  if (word == "row" && next_is_paren) {
    Advance();
    Advance();
    auto row = std::make_unique<RowExpression>(location);
    row->is_explicit = true;
    if (!IsSymbol(")")) {
      FLOE_ASSIGN_OR_RETURN(row->fields, ParseExpressionList());
    }
    FLOE_RETURN_NOT_OK(ExpectSymbol(")"));
    return ExpressionPtr(std::move(row));
  }
  if (word == "interval" && (IsSymbol("(", 1) || Peek(1).kind == TokenKind::kString)) {
    Advance();
    TypeName type;
    type.location = location;
    type.names = {"interval"};
    if (AcceptSymbol("(")) {
      FLOE_ASSIGN_OR_RETURN(int32_t precision, ParseTypeModifier());
      type.modifiers.push_back(precision);
      FLOE_RETURN_NOT_OK(ExpectSymbol(")"));
    }
    return ParseTypedLiteral(std::move(type), location);
  }
  static constexpr std::string_view kTypeWords[] = {
      "time",      "timestamp", "int",     "integer",  "smallint", "bigint",  "real",
      "float",     "double",    "numeric", "decimal",  "dec",      "boolean", "char",
      "character", "varchar",   "bit",     "national", "nchar"};
  for (std::string_view type_word : kTypeWords) {
    if (word != type_word) {
      continue;
    }
    // `TIMESTAMP '...'`, `DOUBLE PRECISION '1'`, `CHAR(3) 'x'`: a type keyword followed by a
    // string is a typed literal; otherwise the word is a column name (or an error).
    size_t saved = position_;
    Result<TypeName> type = ParseTypeName();
    if (type.ok() && Current().kind == TokenKind::kString && type->array_dimensions == 0) {
      return ParseTypedLiteral(std::move(type).value(), location);
    }
    position_ = saved;
    break;
  }
  static constexpr std::pair<std::string_view, SqlValueFunction> kValueFunctions[] = {
      {"current_date", SqlValueFunction::kCurrentDate},
      {"current_time", SqlValueFunction::kCurrentTime},
      {"current_timestamp", SqlValueFunction::kCurrentTimestamp},
      {"localtime", SqlValueFunction::kLocalTime},
      {"localtimestamp", SqlValueFunction::kLocalTimestamp},
      {"current_role", SqlValueFunction::kCurrentRole},
      {"current_user", SqlValueFunction::kCurrentUser},
      {"session_user", SqlValueFunction::kSessionUser},
      {"user", SqlValueFunction::kUser},
      {"current_catalog", SqlValueFunction::kCurrentCatalog},
      {"current_schema", SqlValueFunction::kCurrentSchema},
  };
  for (const auto& [name, function] : kValueFunctions) {
    if (word != name) {
      continue;
    }
    if (function == SqlValueFunction::kCurrentSchema && next_is_paren) {
      break;  // current_schema() is an ordinary function call.
    }
    Advance();
    auto node = std::make_unique<SqlValueFunctionExpression>(location);
    node->function = function;
    bool takes_precision = function == SqlValueFunction::kCurrentTime ||
                           function == SqlValueFunction::kCurrentTimestamp ||
                           function == SqlValueFunction::kLocalTime ||
                           function == SqlValueFunction::kLocalTimestamp;
    if (takes_precision && AcceptSymbol("(")) {
      FLOE_ASSIGN_OR_RETURN(int32_t precision, ParseTypeModifier());
      node->precision = precision;
      FLOE_RETURN_NOT_OK(ExpectSymbol(")"));
    }
    return ExpressionPtr(std::move(node));
  }
  if (next_is_paren && (word == "extract" || word == "substring" || word == "position" ||
                        word == "trim" || word == "overlay")) {
    return ParseSpecialFunction(location);
  }
  if (next_is_paren &&
      (word == "coalesce" || word == "nullif" || word == "greatest" || word == "least")) {
    auto node = std::make_unique<ConditionalExpression>(location);
    node->conditional_kind = word == "coalesce"   ? ConditionalKind::kCoalesce
                             : word == "nullif"   ? ConditionalKind::kNullIf
                             : word == "greatest" ? ConditionalKind::kGreatest
                                                  : ConditionalKind::kLeast;
    Advance();
    Advance();
    FLOE_ASSIGN_OR_RETURN(node->arguments, ParseExpressionList());
    if (node->conditional_kind == ConditionalKind::kNullIf && node->arguments.size() != 2) {
      return SyntaxError();
    }
    FLOE_RETURN_NOT_OK(ExpectSymbol(")"));
    return ExpressionPtr(std::move(node));
  }
  if (word == "grouping" && next_is_paren) {
    Advance();
    return ParseFunctionCall({"grouping"}, location);
  }
  // A name: column reference, function call or generic typed literal (`date '2020-01-01'`).
  if (token.category == KeywordCategory::kReserved && !token.is_quoted) {
    return SyntaxError();
  }
  bool first_is_function_name = IsTypeFunctionName();
  bool first_is_column_name = IsColId();
  QualifiedName names;
  names.push_back(token.text);
  Advance();
  while (IsSymbol(".")) {
    if (IsOperator("*", 1)) {
      Advance();
      Advance();
      auto star = std::make_unique<StarExpression>(location);
      star->qualifier = std::move(names);
      return ExpressionPtr(std::move(star));
    }
    if (!IsColLabel(1)) {
      Advance();
      return SyntaxError();
    }
    Advance();
    names.push_back(Current().text);
    Advance();
  }
  if (IsSymbol("(")) {
    if (names.size() == 1 && !first_is_function_name) {
      return SyntaxError();
    }
    return ParseFunctionCall(std::move(names), location);
  }
  if (Current().kind == TokenKind::kString && (names.size() > 1 || first_is_function_name)) {
    TypeName type;
    type.location = location;
    type.names = std::move(names);
    if (type.names.size() == 1 || (type.names.size() == 2 && type.names[0] == "pg_catalog")) {
      type.names = {CanonicalTypeName(type.names.back())};
    }
    return ParseTypedLiteral(std::move(type), location);
  }
  if (names.size() == 1 && !first_is_column_name) {
    // A function-only keyword such as `left` must be followed by '('; like PostgreSQL, blame
    // the token after it.
    return SyntaxError();
  }
  auto column = std::make_unique<ColumnRefExpression>(location);
  column->names = std::move(names);
  return ExpressionPtr(std::move(column));
}

Result<ExpressionPtr> Parser::ParseTypedLiteral(TypeName type, int location) {
  auto literal = std::make_unique<TypedLiteralExpression>(location);
  FLOE_ASSIGN_OR_RETURN(literal->value, ParseStringConstant());
  if (type.names.size() == 1 && type.names[0] == "interval" &&
      type.interval_fields == IntervalFields::kNone) {
    bool had_precision = !type.modifiers.empty();
    FLOE_RETURN_NOT_OK(ParseIntervalFields(type));
    if (had_precision && type.modifiers.size() > 1) {
      return SyntaxError();
    }
  }
  literal->type = std::move(type);
  return ExpressionPtr(std::move(literal));
}

Result<ExpressionPtr> Parser::ParseCase() {
  auto node = std::make_unique<CaseExpression>(Current().location);
  Advance();
  if (!IsKeyword("when")) {
    FLOE_ASSIGN_OR_RETURN(node->operand, ParseExpression());
  }
  if (!IsKeyword("when")) {
    return SyntaxError();
  }
  while (AcceptKeyword("when")) {
    WhenClause clause;
    FLOE_ASSIGN_OR_RETURN(clause.condition, ParseExpression());
    FLOE_RETURN_NOT_OK(ExpectKeyword("then"));
    FLOE_ASSIGN_OR_RETURN(clause.result, ParseExpression());
    node->when_clauses.push_back(std::move(clause));
  }
  if (AcceptKeyword("else")) {
    FLOE_ASSIGN_OR_RETURN(node->else_result, ParseExpression());
  }
  FLOE_RETURN_NOT_OK(ExpectKeyword("end"));
  return ExpressionPtr(std::move(node));
}

Result<ExpressionPtr> Parser::ParseArray(int location) {
  Advance();  // ARRAY
  if (IsSymbol("(")) {
    if (!IsQueryParenthesisHere()) {
      Advance();
      return SyntaxError();
    }
    auto node = std::make_unique<ArraySubqueryExpression>(location);
    FLOE_ASSIGN_OR_RETURN(node->subquery, ParseParenthesizedQuery());
    return ExpressionPtr(std::move(node));
  }
  if (!IsSymbol("[")) {
    return SyntaxError();
  }
  return ParseArrayBrackets(location);
}

Result<ExpressionPtr> Parser::ParseArrayBrackets(int location) {
  FLOE_PARSER_ENTER(*this);
  FLOE_RETURN_NOT_OK(ExpectSymbol("["));
  auto node = std::make_unique<ArrayExpression>(location);
  if (!IsSymbol("]")) {
    do {
      if (IsSymbol("[")) {
        // A nested `[...]` inside ARRAY[...] is a sub-array.
        FLOE_ASSIGN_OR_RETURN(ExpressionPtr nested, ParseArrayBrackets(Current().location));
        node->elements.push_back(std::move(nested));
        continue;
      }
      FLOE_ASSIGN_OR_RETURN(ExpressionPtr element, ParseExpression());
      node->elements.push_back(std::move(element));
    } while (AcceptSymbol(","));
  }
  FLOE_RETURN_NOT_OK(ExpectSymbol("]"));
  return ExpressionPtr(std::move(node));
}

Result<ExpressionPtr> Parser::ParseSpecialFunction(int location) {
  std::string word = Current().text;
  Advance();
  Advance();  // '('
  auto call = std::make_unique<FunctionCallExpression>(location);
  auto add = [&call](ExpressionPtr value) {
    call->arguments.push_back(FunctionArgument{std::string(), std::move(value)});
  };
  if (word == "extract") {
    call->names = {"extract"};
    call->syntax = FunctionSyntax::kExtract;
    int field_location = Current().location;
    std::string field;
    if (Current().kind == TokenKind::kString || Current().kind == TokenKind::kIdentifier) {
      field = Current().text;
      Advance();
    } else {
      return SyntaxError();
    }
    FLOE_RETURN_NOT_OK(ExpectKeyword("from"));
    add(MakeConstant(ConstantKind::kString, std::move(field), field_location));
    FLOE_ASSIGN_OR_RETURN(ExpressionPtr source, ParseExpression());
    add(std::move(source));
  } else if (word == "position") {
    call->names = {"position"};
    call->syntax = FunctionSyntax::kPosition;
    FLOE_ASSIGN_OR_RETURN(ExpressionPtr needle, ParseExpression(kPrecedenceLike + 1));
    FLOE_RETURN_NOT_OK(ExpectKeyword("in"));
    FLOE_ASSIGN_OR_RETURN(ExpressionPtr haystack, ParseExpression(kPrecedenceLike + 1));
    add(std::move(haystack));
    add(std::move(needle));
  } else if (word == "trim") {
    call->syntax = FunctionSyntax::kTrim;
    call->names = {"btrim"};
    if (AcceptKeyword("leading")) {
      call->names = {"ltrim"};
    } else if (AcceptKeyword("trailing")) {
      call->names = {"rtrim"};
    } else {
      AcceptKeyword("both");
    }
    ExpressionPtr characters;
    if (!AcceptKeyword("from")) {
      FLOE_ASSIGN_OR_RETURN(ExpressionPtr first, ParseExpression());
      if (AcceptKeyword("from")) {
        characters = std::move(first);
      } else {
        add(std::move(first));
        if (!AcceptSymbol(",")) {
          FLOE_RETURN_NOT_OK(ExpectSymbol(")"));
          return ExpressionPtr(std::move(call));
        }
      }
    }
    FLOE_ASSIGN_OR_RETURN(std::vector<ExpressionPtr> sources, ParseExpressionList());
    for (ExpressionPtr& source : sources) {
      add(std::move(source));
    }
    if (characters) {
      add(std::move(characters));
    }
  } else {
    // SUBSTRING and OVERLAY: the standard's keyword form or an ordinary argument list.
    bool is_substring = word == "substring";
    call->names = {word};
    if (IsSymbol(")")) {
      Advance();
      return ExpressionPtr(std::move(call));
    }
    FLOE_ASSIGN_OR_RETURN(ExpressionPtr first, ParseExpression());
    add(std::move(first));
    if (IsSymbol(",")) {
      while (AcceptSymbol(",")) {
        FLOE_ASSIGN_OR_RETURN(ExpressionPtr argument, ParseExpression());
        add(std::move(argument));
      }
    } else if (is_substring) {
      call->syntax = FunctionSyntax::kSubstring;
      ExpressionPtr from;
      ExpressionPtr length;
      if (AcceptKeyword("similar")) {
        FLOE_ASSIGN_OR_RETURN(from, ParseExpression());
        FLOE_RETURN_NOT_OK(ExpectKeyword("escape"));
        FLOE_ASSIGN_OR_RETURN(length, ParseExpression());
      } else if (AcceptKeyword("from")) {
        FLOE_ASSIGN_OR_RETURN(from, ParseExpression());
        if (AcceptKeyword("for")) {
          FLOE_ASSIGN_OR_RETURN(length, ParseExpression());
        }
      } else if (AcceptKeyword("for")) {
        FLOE_ASSIGN_OR_RETURN(length, ParseExpression());
        if (AcceptKeyword("from")) {
          FLOE_ASSIGN_OR_RETURN(from, ParseExpression());
        } else {
          from = MakeConstant(ConstantKind::kInteger, "1", length->location);
        }
      } else {
        return SyntaxError();
      }
      add(std::move(from));
      if (length) {
        add(std::move(length));
      }
    } else {
      call->syntax = FunctionSyntax::kOverlay;
      FLOE_RETURN_NOT_OK(ExpectKeyword("placing"));
      FLOE_ASSIGN_OR_RETURN(ExpressionPtr replacement, ParseExpression());
      add(std::move(replacement));
      FLOE_RETURN_NOT_OK(ExpectKeyword("from"));
      FLOE_ASSIGN_OR_RETURN(ExpressionPtr start, ParseExpression());
      add(std::move(start));
      if (AcceptKeyword("for")) {
        FLOE_ASSIGN_OR_RETURN(ExpressionPtr length, ParseExpression());
        add(std::move(length));
      }
    }
  }
  FLOE_RETURN_NOT_OK(ExpectSymbol(")"));
  return ExpressionPtr(std::move(call));
}

Result<ExpressionPtr> Parser::ParseFunctionCall(QualifiedName names, int location) {
  FLOE_PARSER_ENTER(*this);
  FLOE_RETURN_NOT_OK(ExpectSymbol("("));
  auto call = std::make_unique<FunctionCallExpression>(location);
  call->names = std::move(names);
  if (IsOperator("*") && IsSymbol(")", 1)) {
    Advance();
    call->is_star = true;
  } else if (!IsSymbol(")")) {
    if (AcceptKeyword("distinct")) {
      call->is_distinct = true;
    } else {
      AcceptKeyword("all");
    }
    do {
      if (call->is_variadic) {
        return SyntaxError();  // VARIADIC marks the last argument only.
      }
      if (AcceptKeyword("variadic")) {
        call->is_variadic = true;
      }
      FunctionArgument argument;
      if (Current().kind == TokenKind::kIdentifier && (IsOperator("=>", 1) || IsSymbol(":=", 1))) {
        argument.name = Current().text;
        Advance();
        Advance();
      }
      FLOE_ASSIGN_OR_RETURN(argument.value, ParseExpression());
      call->arguments.push_back(std::move(argument));
    } while (AcceptSymbol(","));
    if (AcceptKeyword("order")) {
      FLOE_RETURN_NOT_OK(ExpectKeyword("by"));
      FLOE_ASSIGN_OR_RETURN(call->order_by, ParseOrderByList());
    }
  }
  FLOE_RETURN_NOT_OK(ExpectSymbol(")"));
  if (IsKeyword("within") && IsKeyword("group", 1)) {
    if (!call->order_by.empty() || call->is_distinct || call->is_star) {
      return SyntaxError();
    }
    Advance();
    Advance();
    FLOE_RETURN_NOT_OK(ExpectSymbol("("));
    FLOE_RETURN_NOT_OK(ExpectKeyword("order"));
    FLOE_RETURN_NOT_OK(ExpectKeyword("by"));
    FLOE_ASSIGN_OR_RETURN(call->order_by, ParseOrderByList());
    FLOE_RETURN_NOT_OK(ExpectSymbol(")"));
    call->is_within_group = true;
  }
  if (IsKeyword("filter") && IsSymbol("(", 1)) {
    Advance();
    Advance();
    FLOE_RETURN_NOT_OK(ExpectKeyword("where"));
    FLOE_ASSIGN_OR_RETURN(call->filter, ParseExpression());
    FLOE_RETURN_NOT_OK(ExpectSymbol(")"));
  }
  if (AcceptKeyword("over")) {
    if (IsSymbol("(")) {
      FLOE_ASSIGN_OR_RETURN(WindowSpec spec, ParseWindowSpec());
      call->over = std::make_unique<WindowSpec>(std::move(spec));
    } else {
      auto spec = std::make_unique<WindowSpec>();
      spec->location = Current().location;
      spec->is_bare_name = true;
      FLOE_ASSIGN_OR_RETURN(spec->existing_name, ParseColId());
      call->over = std::move(spec);
    }
  }
  return ExpressionPtr(std::move(call));
}

Result<std::vector<OrderByItem>> Parser::ParseOrderByList() {
  std::vector<OrderByItem> items;
  do {
    OrderByItem item;
    FLOE_ASSIGN_OR_RETURN(item.expression, ParseExpression());
    if (AcceptKeyword("asc")) {
      item.direction = SortDirection::kAscending;
    } else if (AcceptKeyword("desc")) {
      item.direction = SortDirection::kDescending;
    } else if (IsKeyword("using")) {
      return NotSupported("ORDER BY ... USING", Current().location);
    }
    if (AcceptKeyword("nulls")) {
      if (AcceptKeyword("first")) {
        item.nulls = NullsOrder::kFirst;
      } else {
        FLOE_RETURN_NOT_OK(ExpectKeyword("last"));
        item.nulls = NullsOrder::kLast;
      }
    }
    items.push_back(std::move(item));
  } while (AcceptSymbol(","));
  return items;
}

Result<WindowSpec> Parser::ParseWindowSpec() {
  WindowSpec spec;
  spec.location = Current().location;
  FLOE_RETURN_NOT_OK(ExpectSymbol("("));
  if (IsColId() && !IsKeyword("partition") && !IsKeyword("order") && !IsKeyword("rows") &&
      !IsKeyword("range") && !IsKeyword("groups")) {
    spec.existing_name = Current().text;
    Advance();
  }
  if (AcceptKeyword("partition")) {
    FLOE_RETURN_NOT_OK(ExpectKeyword("by"));
    FLOE_ASSIGN_OR_RETURN(spec.partition_by, ParseExpressionList());
  }
  if (AcceptKeyword("order")) {
    FLOE_RETURN_NOT_OK(ExpectKeyword("by"));
    FLOE_ASSIGN_OR_RETURN(spec.order_by, ParseOrderByList());
  }
  if (IsKeyword("rows") || IsKeyword("range") || IsKeyword("groups")) {
    WindowFrame frame;
    frame.unit = IsKeyword("rows")    ? FrameUnit::kRows
                 : IsKeyword("range") ? FrameUnit::kRange
                                      : FrameUnit::kGroups;
    Advance();
    if (AcceptKeyword("between")) {
      frame.has_between = true;
      FLOE_ASSIGN_OR_RETURN(frame.start, ParseFrameBound());
      FLOE_RETURN_NOT_OK(ExpectKeyword("and"));
      FLOE_ASSIGN_OR_RETURN(frame.end, ParseFrameBound());
    } else {
      FLOE_ASSIGN_OR_RETURN(frame.start, ParseFrameBound());
      frame.end.kind = FrameBoundKind::kCurrentRow;
    }
    if (AcceptKeyword("exclude")) {
      if (AcceptKeyword("current")) {
        FLOE_RETURN_NOT_OK(ExpectKeyword("row"));
        frame.exclusion = FrameExclusion::kCurrentRow;
      } else if (AcceptKeyword("group")) {
        frame.exclusion = FrameExclusion::kGroup;
      } else if (AcceptKeyword("ties")) {
        frame.exclusion = FrameExclusion::kTies;
      } else {
        FLOE_RETURN_NOT_OK(ExpectKeyword("no"));
        FLOE_RETURN_NOT_OK(ExpectKeyword("others"));
      }
    }
    spec.frame = std::move(frame);
  }
  FLOE_RETURN_NOT_OK(ExpectSymbol(")"));
  return spec;
}

Result<FrameBound> Parser::ParseFrameBound() {
  FrameBound bound;
  if (AcceptKeyword("unbounded")) {
    if (AcceptKeyword("preceding")) {
      bound.kind = FrameBoundKind::kUnboundedPreceding;
    } else {
      FLOE_RETURN_NOT_OK(ExpectKeyword("following"));
      bound.kind = FrameBoundKind::kUnboundedFollowing;
    }
    return bound;
  }
  if (IsKeyword("current") && IsKeyword("row", 1)) {
    Advance();
    Advance();
    bound.kind = FrameBoundKind::kCurrentRow;
    return bound;
  }
  FLOE_ASSIGN_OR_RETURN(bound.offset, ParseExpression(kPrecedenceAnd + 1));
  if (AcceptKeyword("preceding")) {
    bound.kind = FrameBoundKind::kPreceding;
  } else {
    FLOE_RETURN_NOT_OK(ExpectKeyword("following"));
    bound.kind = FrameBoundKind::kFollowing;
  }
  return bound;
}

bool Parser::StartsQuery(size_t ahead) const {
  if (IsKeyword("select", ahead)) {
    return true;
  }
  if (IsKeyword("values", ahead) && IsSymbol("(", ahead + 1)) {
    return true;
  }
  if (IsKeyword("table", ahead) && IsColId(ahead + 1)) {
    return true;
  }
  if (IsKeyword("with", ahead) && (IsColId(ahead + 1) || IsKeyword("recursive", ahead + 1))) {
    return true;
  }
  return false;
}

bool Parser::IsQueryParenthesis(size_t index) const {
  auto is_open = [this](size_t i) {
    return i < tokens_.size() && tokens_[i].kind == TokenKind::kSymbol && tokens_[i].text == "(";
  };
  if (!is_open(index)) {
    return false;
  }
  if (query_parenthesis_[index] >= 0) {
    return query_parenthesis_[index] == 1;
  }
  // In a run of '(' followed by a query keyword, the innermost parenthesis opens a query, and an
  // outer one does too when what follows its inner group can continue a query. Each run is
  // decided once, from the inside out, so nested parentheses cost linear time.
  size_t end = index;
  while (is_open(end)) {
    ++end;
  }
  for (size_t j = end; j-- > index;) {
    bool opens_query;
    if (j + 1 == end) {
      opens_query = StartsQuery(end - position_);
    } else {
      size_t after = matching_[j + 1] + 1;
      const Token& token = tokens_[std::min(after, tokens_.size() - 1)];
      bool continues_query =
          (token.kind == TokenKind::kSymbol && token.text == ")") ||
          (token.kind == TokenKind::kIdentifier && !token.is_quoted &&
           (token.text == "union" || token.text == "intersect" || token.text == "except" ||
            token.text == "order" || token.text == "limit" || token.text == "offset" ||
            token.text == "fetch" || token.text == "for"));
      opens_query = query_parenthesis_[j + 1] == 1 && continues_query;
    }
    query_parenthesis_[j] = opens_query ? 1 : 0;
  }
  return query_parenthesis_[index] == 1;
}

}  // namespace floe::sql::parser
