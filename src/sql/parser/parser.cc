#include "sql/parser/parser.h"

#include <charconv>
#include <cstdint>
#include <utility>

#include "sql/parser/parser_internal.h"

namespace floe::sql::parser {

Parser::Parser(std::string_view text, std::vector<Token> tokens)
    : text_(text),
      tokens_(std::move(tokens)),
      stack_base_(reinterpret_cast<uintptr_t>(__builtin_frame_address(0))) {
  ComputeMatchingParentheses();
}

void Parser::ComputeMatchingParentheses() {
  matching_.assign(tokens_.size(), tokens_.size() - 1);
  query_parenthesis_.assign(tokens_.size(), -1);
  std::vector<size_t> open;
  for (size_t i = 0; i < tokens_.size(); ++i) {
    if (tokens_[i].kind != TokenKind::kSymbol) {
      continue;
    }
    if (tokens_[i].text == "(") {
      open.push_back(i);
    } else if (tokens_[i].text == ")" && !open.empty()) {
      matching_[open.back()] = i;
      open.pop_back();
    }
  }
}

Result<std::vector<ParsedStatement>> Parser::ParseAll() {
  std::vector<ParsedStatement> statements;
  while (true) {
    while (AcceptSymbol(";")) {
    }
    if (AtEnd()) {
      return statements;
    }
    ParsedStatement parsed;
    parsed.begin = Current().location;
    FLOE_ASSIGN_OR_RETURN(parsed.statement, ParseStatement());
    parsed.end = position_ > 0 ? tokens_[position_ - 1].end : parsed.begin;
    if (!AtEnd() && !IsSymbol(";")) {
      return SyntaxError();
    }
    statements.push_back(std::move(parsed));
  }
}

Result<ExpressionPtr> Parser::ParseStandaloneExpression() {
  FLOE_ASSIGN_OR_RETURN(ExpressionPtr expression, ParseExpression());
  if (!AtEnd()) {
    return SyntaxError();
  }
  return expression;
}

bool Parser::AcceptKeyword(std::string_view keyword) {
  if (IsKeyword(keyword)) {
    Advance();
    return true;
  }
  return false;
}

Status Parser::ExpectKeyword(std::string_view keyword) {
  if (AcceptKeyword(keyword)) {
    return Status::OK();
  }
  return SyntaxError();
}

bool Parser::AcceptSymbol(std::string_view symbol) {
  if (IsSymbol(symbol)) {
    Advance();
    return true;
  }
  return false;
}

Status Parser::ExpectSymbol(std::string_view symbol) {
  if (AcceptSymbol(symbol)) {
    return Status::OK();
  }
  return SyntaxError();
}

bool Parser::AcceptOperator(std::string_view op) {
  if (IsOperator(op)) {
    Advance();
    return true;
  }
  return false;
}

Status Parser::ExpectOperator(std::string_view op) {
  if (AcceptOperator(op)) {
    return Status::OK();
  }
  return SyntaxError();
}

Status Parser::SyntaxError() const {
  return SyntaxErrorAt(Current());
}

Status Parser::SyntaxErrorAt(const Token& token) const {
  if (token.kind == TokenKind::kEnd) {
    return Status::SyntaxError("syntax error at end of input")
        .WithPosition(CharacterPosition(text_, token.location));
  }
  return Status::SyntaxError("syntax error at or near \"{}\"",
                             text_.substr(token.location, token.end - token.location))
      .WithPosition(CharacterPosition(text_, token.location));
}

Status Parser::NotSupported(std::string_view what, int location) const {
  return Status::NotSupported("{} is not supported", what)
      .WithPosition(CharacterPosition(text_, location));
}

Status Parser::ErrorAt(Status status, int location) const {
  return status.WithPosition(CharacterPosition(text_, location));
}

Status Parser::Enter() {
  // The depth bounds the tree, whose later walks recurse; the stack measure bounds the parser's
  // own recursion, whose frames differ in size between the paths that nest and between builds.
  auto here = reinterpret_cast<uintptr_t>(__builtin_frame_address(0));
  uintptr_t used = here < stack_base_ ? stack_base_ - here : here - stack_base_;
  if (++depth_ > kMaxNestingDepth || used > kMaxParserStackBytes) {
    --depth_;
    return Status::SyntaxError("statement is nested too deeply")
        .WithPosition(CharacterPosition(text_, Current().location));
  }
  return Status::OK();
}

// ---- Names

bool Parser::IsColId(size_t ahead) const {
  const Token& token = Peek(ahead);
  if (token.kind != TokenKind::kIdentifier) {
    return false;
  }
  return token.is_quoted || token.category == KeywordCategory::kNone ||
         token.category == KeywordCategory::kUnreserved ||
         token.category == KeywordCategory::kColumnName;
}

Result<std::string> Parser::ParseColId() {
  if (!IsColId()) {
    return SyntaxError();
  }
  std::string name = Current().text;
  Advance();
  return name;
}

bool Parser::IsColLabel(size_t ahead) const {
  return Peek(ahead).kind == TokenKind::kIdentifier;
}

Result<std::string> Parser::ParseColLabel() {
  if (!IsColLabel()) {
    return SyntaxError();
  }
  std::string name = Current().text;
  Advance();
  return name;
}

bool Parser::IsTypeFunctionName(size_t ahead) const {
  const Token& token = Peek(ahead);
  if (token.kind != TokenKind::kIdentifier) {
    return false;
  }
  return token.is_quoted || token.category == KeywordCategory::kNone ||
         token.category == KeywordCategory::kUnreserved ||
         token.category == KeywordCategory::kTypeFunction;
}

Result<QualifiedName> Parser::ParseQualifiedName() {
  QualifiedName names;
  FLOE_ASSIGN_OR_RETURN(std::string first, ParseColId());
  names.push_back(std::move(first));
  while (IsSymbol(".")) {
    Advance();
    FLOE_ASSIGN_OR_RETURN(std::string part, ParseColLabel());
    names.push_back(std::move(part));
  }
  return names;
}

Result<std::vector<std::string>> Parser::ParseColumnList() {
  FLOE_RETURN_NOT_OK(ExpectSymbol("("));
  FLOE_ASSIGN_OR_RETURN(std::vector<std::string> names, ParseNameList());
  FLOE_RETURN_NOT_OK(ExpectSymbol(")"));
  return names;
}

Result<std::vector<std::string>> Parser::ParseNameList() {
  std::vector<std::string> names;
  do {
    FLOE_ASSIGN_OR_RETURN(std::string name, ParseColId());
    names.push_back(std::move(name));
  } while (AcceptSymbol(","));
  return names;
}

Result<int64_t> Parser::ParseIntegerConstant() {
  bool negative = AcceptOperator("-");
  if (Current().kind != TokenKind::kInteger) {
    return SyntaxError();
  }
  int64_t value = 0;
  const std::string& digits = Current().text;
  auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (error != std::errc() || end != digits.data() + digits.size()) {
    return ErrorAt(Status::OutOfRange("integer constant {} is out of range", digits),
                   Current().location);
  }
  Advance();
  return negative ? -value : value;
}

Result<std::string> Parser::ParseStringConstant() {
  if (Current().kind != TokenKind::kString) {
    return SyntaxError();
  }
  std::string value = Current().text;
  Advance();
  return value;
}

// ---- Types

std::string CanonicalTypeName(std::string_view name) {
  static constexpr std::pair<std::string_view, std::string_view> kNames[] = {
      {"int", "integer"},
      {"int4", "integer"},
      {"integer", "integer"},
      {"int8", "bigint"},
      {"bigint", "bigint"},
      {"int2", "smallint"},
      {"smallint", "smallint"},
      {"float4", "real"},
      {"real", "real"},
      {"float8", "double precision"},
      {"float", "double precision"},
      {"decimal", "numeric"},
      {"numeric", "numeric"},
      {"varchar", "character varying"},
      {"bpchar", "character"},
      {"char", "character"},
      {"bool", "boolean"},
      {"boolean", "boolean"},
      {"time", "time without time zone"},
      {"timetz", "time with time zone"},
      {"timestamp", "timestamp without time zone"},
      {"timestamptz", "timestamp with time zone"},
  };
  for (const auto& [spelling, canonical] : kNames) {
    if (name == spelling) {
      return std::string(canonical);
    }
  }
  return std::string(name);
}

Result<int32_t> Parser::ParseTypeModifier() {
  int location = Current().location;
  FLOE_ASSIGN_OR_RETURN(int64_t value, ParseIntegerConstant());
  if (value < -1000000 || value > 1000000) {
    return ErrorAt(Status::InvalidArgument("type modifier {} is out of range", value), location);
  }
  return static_cast<int32_t>(value);
}

Status Parser::ParseIntervalFields(TypeName& type) {
  auto is_field = [this](std::string_view word) { return IsKeyword(word); };
  if (AcceptKeyword("year")) {
    if (AcceptKeyword("to")) {
      FLOE_RETURN_NOT_OK(ExpectKeyword("month"));
      type.interval_fields = IntervalFields::kYearToMonth;
    } else {
      type.interval_fields = IntervalFields::kYear;
    }
    return Status::OK();
  }
  if (AcceptKeyword("month")) {
    type.interval_fields = IntervalFields::kMonth;
    return Status::OK();
  }
  IntervalFields single = IntervalFields::kNone;
  if (is_field("day")) {
    single = IntervalFields::kDay;
  } else if (is_field("hour")) {
    single = IntervalFields::kHour;
  } else if (is_field("minute")) {
    single = IntervalFields::kMinute;
  } else if (is_field("second")) {
    single = IntervalFields::kSecond;
  } else {
    return Status::OK();
  }
  Advance();
  if (single != IntervalFields::kSecond && AcceptKeyword("to")) {
    if (single == IntervalFields::kDay && AcceptKeyword("hour")) {
      type.interval_fields = IntervalFields::kDayToHour;
      return Status::OK();
    }
    if ((single == IntervalFields::kDay || single == IntervalFields::kHour) &&
        AcceptKeyword("minute")) {
      type.interval_fields = single == IntervalFields::kDay ? IntervalFields::kDayToMinute
                                                            : IntervalFields::kHourToMinute;
      return Status::OK();
    }
    FLOE_RETURN_NOT_OK(ExpectKeyword("second"));
    type.interval_fields = single == IntervalFields::kDay    ? IntervalFields::kDayToSecond
                           : single == IntervalFields::kHour ? IntervalFields::kHourToSecond
                                                             : IntervalFields::kMinuteToSecond;
  } else {
    type.interval_fields = single;
  }
  bool ends_in_second = type.interval_fields == IntervalFields::kSecond ||
                        type.interval_fields == IntervalFields::kDayToSecond ||
                        type.interval_fields == IntervalFields::kHourToSecond ||
                        type.interval_fields == IntervalFields::kMinuteToSecond;
  if (ends_in_second && AcceptSymbol("(")) {
    FLOE_ASSIGN_OR_RETURN(int32_t precision, ParseTypeModifier());
    type.modifiers.push_back(precision);
    FLOE_RETURN_NOT_OK(ExpectSymbol(")"));
  }
  return Status::OK();
}

Result<TypeName> Parser::ParseTypeName() {
  TypeName type;
  type.location = Current().location;
  const Token& token = Current();
  if (token.kind != TokenKind::kIdentifier) {
    return SyntaxError();
  }
  auto parse_modifiers = [this, &type]() -> Status {
    if (AcceptSymbol("(")) {
      do {
        FLOE_ASSIGN_OR_RETURN(int32_t modifier, ParseTypeModifier());
        type.modifiers.push_back(modifier);
      } while (AcceptSymbol(","));
      FLOE_RETURN_NOT_OK(ExpectSymbol(")"));
    }
    return Status::OK();
  };
  auto parse_time_zone = [this](bool& with_time_zone) -> Status {
    if (AcceptKeyword("with")) {
      FLOE_RETURN_NOT_OK(ExpectKeyword("time"));
      FLOE_RETURN_NOT_OK(ExpectKeyword("zone"));
      with_time_zone = true;
    } else if (AcceptKeyword("without")) {
      FLOE_RETURN_NOT_OK(ExpectKeyword("time"));
      FLOE_RETURN_NOT_OK(ExpectKeyword("zone"));
    }
    return Status::OK();
  };
  const std::string word = token.is_quoted ? std::string() : token.text;
  if (word == "setof") {
    return NotSupported("SETOF", token.location);
  }
  if (word == "double" && IsKeyword("precision", 1)) {
    Advance();
    Advance();
    type.names = {"double precision"};
  } else if (word == "character" || word == "char" || word == "nchar" ||
             (word == "national" && (IsKeyword("character", 1) || IsKeyword("char", 1)))) {
    if (word == "national") {
      Advance();
    }
    Advance();
    bool varying = AcceptKeyword("varying");
    type.names = {varying ? "character varying" : "character"};
    FLOE_RETURN_NOT_OK(parse_modifiers());
    if (!varying && type.modifiers.empty()) {
      type.modifiers.push_back(1);
    }
  } else if (word == "varchar") {
    Advance();
    type.names = {"character varying"};
    FLOE_RETURN_NOT_OK(parse_modifiers());
  } else if (word == "bit") {
    Advance();
    bool varying = AcceptKeyword("varying");
    type.names = {varying ? "bit varying" : "bit"};
    FLOE_RETURN_NOT_OK(parse_modifiers());
  } else if (word == "time" || word == "timestamp") {
    Advance();
    FLOE_RETURN_NOT_OK(parse_modifiers());
    bool with_time_zone = false;
    FLOE_RETURN_NOT_OK(parse_time_zone(with_time_zone));
    type.names = {word + (with_time_zone ? " with time zone" : " without time zone")};
  } else if (word == "interval") {
    Advance();
    type.names = {"interval"};
    if (IsSymbol("(")) {
      FLOE_RETURN_NOT_OK(parse_modifiers());
    } else {
      FLOE_RETURN_NOT_OK(ParseIntervalFields(type));
    }
  } else if (word == "numeric" || word == "decimal" || word == "dec") {
    Advance();
    type.names = {"numeric"};
    FLOE_RETURN_NOT_OK(parse_modifiers());
  } else if (word == "float") {
    Advance();
    FLOE_RETURN_NOT_OK(parse_modifiers());
    type.names = {"double precision"};
    if (!type.modifiers.empty()) {
      int32_t precision = type.modifiers[0];
      if (type.modifiers.size() != 1 || precision < 1 || precision > 53) {
        return ErrorAt(Status::InvalidArgument("precision for type float must be between 1 "
                                               "and 53 bits"),
                       type.location);
      }
      type.names = {precision <= 24 ? "real" : "double precision"};
      type.modifiers.clear();
    }
  } else if (word == "int" || word == "integer" || word == "smallint" || word == "bigint" ||
             word == "real" || word == "boolean") {
    Advance();
    type.names = {CanonicalTypeName(word)};
  } else {
    if (!IsTypeFunctionName()) {
      return SyntaxError();
    }
    type.names.push_back(Current().text);
    Advance();
    while (IsSymbol(".") && IsColLabel(1)) {
      Advance();
      type.names.push_back(Current().text);
      Advance();
    }
    if (type.names.size() == 1 || (type.names.size() == 2 && type.names[0] == "pg_catalog")) {
      std::string canonical = CanonicalTypeName(type.names.back());
      type.names = {canonical};
    }
    FLOE_RETURN_NOT_OK(parse_modifiers());
  }
  // Array suffixes: `[]`, `[n]`, `ARRAY`, `ARRAY[n]`. Bounds are not enforced (as in
  // PostgreSQL) and so not kept.
  while (true) {
    if (IsSymbol("[")) {
      Advance();
      if (!IsSymbol("]")) {
        FLOE_RETURN_NOT_OK(ParseTypeModifier().status());
      }
      FLOE_RETURN_NOT_OK(ExpectSymbol("]"));
      ++type.array_dimensions;
    } else if (IsKeyword("array")) {
      Advance();
      if (AcceptSymbol("[")) {
        FLOE_RETURN_NOT_OK(ParseTypeModifier().status());
        FLOE_RETURN_NOT_OK(ExpectSymbol("]"));
      }
      ++type.array_dimensions;
      break;
    } else {
      break;
    }
    if (type.array_dimensions > 6) {
      return ErrorAt(Status::InvalidArgument("number of array dimensions exceeds the maximum "
                                             "allowed (6)"),
                     type.location);
    }
  }
  return type;
}

// ---- Options

Result<OptionValue> Parser::ParseOptionValue() {
  OptionValue value;
  const Token& token = Current();
  if (token.kind == TokenKind::kString) {
    value.kind = OptionValueKind::kString;
    value.text = token.text;
    Advance();
    return value;
  }
  if (IsOperator("-") || IsOperator("+")) {
    std::string sign = IsOperator("-") ? "-" : "";
    Advance();
    if (Current().kind != TokenKind::kInteger && Current().kind != TokenKind::kNumeric) {
      return SyntaxError();
    }
    value.kind = OptionValueKind::kNumber;
    value.text = sign + Current().text;
    Advance();
    return value;
  }
  if (token.kind == TokenKind::kInteger || token.kind == TokenKind::kNumeric) {
    value.kind = OptionValueKind::kNumber;
    value.text = token.text;
    Advance();
    return value;
  }
  if (token.kind == TokenKind::kIdentifier) {
    value.kind = OptionValueKind::kIdentifier;
    value.text = token.text;
    Advance();
    return value;
  }
  return SyntaxError();
}

Result<Option> Parser::ParseOption(bool require_equals) {
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
  if (require_equals) {
    if (AcceptOperator("=")) {
      FLOE_ASSIGN_OR_RETURN(option.value, ParseOptionValue());
    }
  } else if (!IsSymbol(",") && !IsSymbol(")")) {
    FLOE_ASSIGN_OR_RETURN(option.value, ParseOptionValue());
  }
  return option;
}

Result<std::vector<Option>> Parser::ParseOptionList(bool require_equals) {
  FLOE_RETURN_NOT_OK(ExpectSymbol("("));
  std::vector<Option> options;
  do {
    FLOE_ASSIGN_OR_RETURN(Option option, ParseOption(require_equals));
    options.push_back(std::move(option));
  } while (AcceptSymbol(","));
  FLOE_RETURN_NOT_OK(ExpectSymbol(")"));
  return options;
}

// ---- Entry points

Result<std::vector<ParsedStatement>> ParseStatements(std::string_view text) {
  if (text.size() > static_cast<size_t>(INT32_MAX)) {
    return Status::InvalidArgument("statement text of {} bytes is too long", text.size());
  }
  FLOE_ASSIGN_OR_RETURN(std::vector<Token> tokens, Tokenize(text));
  Parser parser(text, std::move(tokens));
  return parser.ParseAll();
}

Result<StatementPtr> ParseStatement(std::string_view text) {
  FLOE_ASSIGN_OR_RETURN(std::vector<ParsedStatement> statements, ParseStatements(text));
  if (statements.size() != 1) {
    return Status::SyntaxError("expected one statement, found {}", statements.size());
  }
  return std::move(statements[0].statement);
}

Result<ExpressionPtr> ParseExpression(std::string_view text) {
  if (text.size() > static_cast<size_t>(INT32_MAX)) {
    return Status::InvalidArgument("expression text of {} bytes is too long", text.size());
  }
  FLOE_ASSIGN_OR_RETURN(std::vector<Token> tokens, Tokenize(text));
  Parser parser(text, std::move(tokens));
  return parser.ParseStandaloneExpression();
}

}  // namespace floe::sql::parser
