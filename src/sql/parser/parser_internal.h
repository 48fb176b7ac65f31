#pragma once

// The recursive-descent parser shared by parser.cc (entry points, names, types),
// parser_expression.cc, parser_query.cc and parser_statement.cc.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "sql/parser/ast.h"
#include "sql/parser/lexer.h"
#include "sql/parser/parser.h"

namespace floe::sql::parser {

/// Binding strength of the infix and prefix operators, PostgreSQL's table from loosest to
/// tightest (gram.y's %left/%right/%nonassoc lines; manual section 4.1.6).
enum Precedence : int {
  kPrecedenceLowest = 0,
  kPrecedenceOr = 1,
  kPrecedenceAnd = 2,
  kPrecedenceNot = 3,
  kPrecedenceIs = 4,          // IS, ISNULL, NOTNULL
  kPrecedenceComparison = 5,  // < > = <= >= <> (non-associative)
  kPrecedenceLike = 6,        // BETWEEN IN LIKE ILIKE SIMILAR (non-associative)
  kPrecedenceOther = 7,       // any other operator
  kPrecedenceAdd = 8,         // + -
  kPrecedenceMultiply = 9,    // * / %
  kPrecedenceExponent = 10,   // ^
  kPrecedenceAt = 11,         // AT TIME ZONE
  kPrecedenceCollate = 12,    // COLLATE
  kPrecedenceUnary = 13,      // unary + -
};

/// The most stack the parser's recursion may use before it reports "statement is nested too
/// deeply". Sanitizer builds have frames several times larger, so they get more.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define FLOE_PARSER_LARGE_FRAMES 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define FLOE_PARSER_LARGE_FRAMES 1
#endif
#endif
#ifdef FLOE_PARSER_LARGE_FRAMES
inline constexpr uintptr_t kMaxParserStackBytes = 6u << 20;
#else
inline constexpr uintptr_t kMaxParserStackBytes = 2u << 20;
#endif

class Parser {
 public:
  Parser(std::string_view text, std::vector<Token> tokens);
  Parser(const Parser&) = delete;
  Parser& operator=(const Parser&) = delete;

  Result<std::vector<ParsedStatement>> ParseAll();
  Result<ExpressionPtr> ParseStandaloneExpression();

  // ---- Tokens (parser.cc)
  const Token& Peek(size_t ahead = 0) const {
    size_t index = position_ + ahead;
    return index < tokens_.size() ? tokens_[index] : tokens_.back();
  }
  const Token& Current() const { return Peek(0); }
  void Advance() {
    if (position_ + 1 < tokens_.size()) {
      ++position_;
    }
  }
  bool AtEnd() const { return Current().kind == TokenKind::kEnd; }
  /// True when the token `ahead` is the unquoted word `keyword` (lower case).
  bool IsKeyword(std::string_view keyword, size_t ahead = 0) const {
    const Token& token = Peek(ahead);
    return token.kind == TokenKind::kIdentifier && !token.is_quoted && token.text == keyword;
  }
  bool AcceptKeyword(std::string_view keyword);
  Status ExpectKeyword(std::string_view keyword);
  bool IsSymbol(std::string_view symbol, size_t ahead = 0) const {
    const Token& token = Peek(ahead);
    return token.kind == TokenKind::kSymbol && token.text == symbol;
  }
  bool AcceptSymbol(std::string_view symbol);
  Status ExpectSymbol(std::string_view symbol);
  bool IsOperator(std::string_view op, size_t ahead = 0) const {
    const Token& token = Peek(ahead);
    return token.kind == TokenKind::kOperator && token.text == op;
  }
  bool AcceptOperator(std::string_view op);
  Status ExpectOperator(std::string_view op);
  /// True for an unquoted word of the given category.
  bool IsCategory(KeywordCategory category, size_t ahead = 0) const {
    const Token& token = Peek(ahead);
    return token.kind == TokenKind::kIdentifier && !token.is_quoted && token.category == category;
  }

  /// `syntax error at or near "<token>"` or `syntax error at end of input`, positioned.
  Status SyntaxError() const;
  Status SyntaxErrorAt(const Token& token) const;
  /// NotSupported naming the construct, positioned at `location`.
  Status NotSupported(std::string_view what, int location) const;
  Status ErrorAt(Status status, int location) const;

  /// Counts one level of nesting; fails when the limit is passed.
  Status Enter();
  void Leave() { --depth_; }

  // ---- Names (parser.cc)
  /// ColId: identifier, unreserved or column-name keyword.
  bool IsColId(size_t ahead = 0) const;
  Result<std::string> ParseColId();
  /// ColLabel: any word, reserved keywords included (after AS, after a dot).
  bool IsColLabel(size_t ahead = 0) const;
  Result<std::string> ParseColLabel();
  /// A name usable as a function or type name: identifier, unreserved or type/function
  /// keyword.
  bool IsTypeFunctionName(size_t ahead = 0) const;
  /// ColId ('.' ColLabel)*
  Result<QualifiedName> ParseQualifiedName();
  Result<std::vector<std::string>> ParseColumnList();  // '(' ColId, ... ')'
  Result<std::vector<std::string>> ParseNameList();    // ColId, ...
  Result<TypeName> ParseTypeName();
  Result<int32_t> ParseTypeModifier();
  Status ParseIntervalFields(TypeName& type);
  Result<Option> ParseOption(bool require_equals);
  Result<std::vector<Option>> ParseOptionList(bool require_equals);  // '(' ... ')'
  Result<OptionValue> ParseOptionValue();
  Result<int64_t> ParseIntegerConstant();
  Result<std::string> ParseStringConstant();

  // ---- Expressions (parser_expression.cc)
  Result<ExpressionPtr> ParseExpression(int min_precedence = kPrecedenceLowest);
  Result<ExpressionPtr> ParsePrefix();
  Result<ExpressionPtr> ParsePrimary();
  /// `::type`, `[i]`, `[a:b]` and `.field` after an operand; a field may follow a
  /// parenthesised operand or a subscript, since `t.a` is a column reference.
  Result<ExpressionPtr> ParsePostfix(ExpressionPtr operand, bool is_parenthesized);
  Result<ExpressionPtr> ParseParenthesized();
  Result<ExpressionPtr> ParseWordExpression();
  Result<ExpressionPtr> ParseFunctionCall(QualifiedName names, int location);
  Result<ExpressionPtr> ParseSpecialFunction(int location);
  Result<ExpressionPtr> ParseCase();
  Result<ExpressionPtr> ParseArray(int location);
  Result<ExpressionPtr> ParseArrayBrackets(int location);
  Result<ExpressionPtr> ParseTypedLiteral(TypeName type, int location);
  Result<ExpressionPtr> ParseInfix(ExpressionPtr left, int precedence, bool negated);
  Result<std::vector<ExpressionPtr>> ParseExpressionList();
  Result<std::vector<OrderByItem>> ParseOrderByList();
  Result<WindowSpec> ParseWindowSpec();
  Result<FrameBound> ParseFrameBound();
  /// The precedence of the infix operator at the current token, 0 when there is none.
  int InfixPrecedence() const;
  /// True when the '(' at token index `index` opens a query rather than an expression.
  bool IsQueryParenthesis(size_t index) const;
  bool IsQueryParenthesisHere() const { return IsQueryParenthesis(position_); }
  /// A value of INSERT ... VALUES or UPDATE SET: an expression or DEFAULT.
  Result<ExpressionPtr> ParseValueOrDefault();

  // ---- Queries (parser_query.cc)
  Result<QueryPtr> ParseQuery();
  Result<QueryPtr> ParseQueryWith(std::unique_ptr<WithClause> with, int location);
  Result<std::unique_ptr<WithClause>> ParseWithClause();
  Status ParseQueryTail(Query& query);
  Result<QueryBodyPtr> ParseSetOperations(int min_precedence);
  Result<QueryBodyPtr> ParseQueryPrimary();
  Result<QueryBodyPtr> ParseSelectBody();
  Result<QueryBodyPtr> ParseValuesBody();
  Result<QueryPtr> ParseParenthesizedQuery();
  Result<std::vector<SelectItem>> ParseTargetList();
  Result<std::vector<TableRefPtr>> ParseFromList();
  Result<TableRefPtr> ParseTableRef();
  Result<TableRefPtr> ParseTablePrimary();
  /// `FOR VERSION AS OF x` / `FOR TIMESTAMP AS OF x` (and the SYSTEM_ spellings), if next.
  Result<std::optional<TimeTravel>> ParseTimeTravel();
  Status ParseAlias(Alias& alias, bool allow_columns);
  Result<GroupingElement> ParseGroupingElement();
  bool StartsQuery(size_t ahead = 0) const;

  // ---- Statements (parser_statement.cc)
  Result<StatementPtr> ParseStatement();
  Result<StatementPtr> ParseExplain();
  Result<StatementPtr> ParseInsert(std::unique_ptr<WithClause> with, int location);
  Result<StatementPtr> ParseUpdate(std::unique_ptr<WithClause> with, int location);
  Result<StatementPtr> ParseDelete(std::unique_ptr<WithClause> with, int location);
  Result<StatementPtr> ParseMerge(std::unique_ptr<WithClause> with, int location);
  Result<std::vector<SetClause>> ParseSetClauses();
  Result<std::vector<SelectItem>> ParseReturning();
  Result<StatementPtr> ParseCreate();
  Result<StatementPtr> ParseCreateTable(int location, bool or_replace);
  Result<ColumnDefinition> ParseColumnDefinition();
  Result<TableConstraint> ParseTableConstraint();
  Status ParseColumnConstraints(ColumnDefinition& column);
  Result<StatementPtr> ParseCreateView(int location, bool or_replace);
  Result<StatementPtr> ParseCreateRole(int location, bool is_user);
  Result<std::vector<RoleOption>> ParseRoleOptions();
  Result<StatementPtr> ParseAlter();
  Result<StatementPtr> ParseAlterTable(int location);
  Result<AlterTableAction> ParseAlterTableAction();
  Result<StatementPtr> ParseDrop();
  Result<StatementPtr> ParseShow();
  Result<StatementPtr> ParseSet();
  Result<StatementPtr> ParseReset();
  Result<StatementPtr> ParseTransaction();
  Result<StatementPtr> ParsePrepare();
  Result<StatementPtr> ParseExecute();
  Result<StatementPtr> ParseDeallocate();
  Result<StatementPtr> ParseCopy();
  Result<StatementPtr> ParseCall();
  Result<StatementPtr> ParseGrant(bool is_grant);
  Result<StatementPtr> ParseComment();
  Result<StatementPtr> ParseAnalyze();
  Result<StatementPtr> ParseDiscard();
  Result<std::string> ParseSettingName();
  Result<std::string> ParseRoleName();
  Result<ColumnDefinition> ParseColumnDefinitionAfterName(std::string name, int location);
  Status ParseTransactionModes(TransactionStatement& statement);
  DropBehavior ParseDropBehavior();

  std::string_view text() const { return text_; }
  size_t position() const { return position_; }

 private:
  void ComputeMatchingParentheses();

  std::string_view text_;
  std::vector<Token> tokens_;  // Ends with a kEnd token.
  // For each '(' token, the index of its matching ')' (or of the end token).
  std::vector<size_t> matching_;
  // For each '(' token: 1 when it opens a query, 0 when not, -1 until decided.
  mutable std::vector<int8_t> query_parenthesis_;
  size_t position_ = 0;
  int depth_ = 0;
  // Where the stack was when parsing started, to measure how much the recursion has used.
  uintptr_t stack_base_ = 0;
};

/// Calls Parser::Leave() when a scope entered with Parser::Enter() ends.
class DepthGuard {
 public:
  explicit DepthGuard(Parser& parser) : parser_(parser) {}
  DepthGuard(const DepthGuard&) = delete;
  DepthGuard& operator=(const DepthGuard&) = delete;
  ~DepthGuard() { parser_.Leave(); }

 private:
  Parser& parser_;
};

/// Enters one nesting level for the rest of the enclosing scope, or returns the error.
#define FLOE_PARSER_ENTER(self)       \
  FLOE_RETURN_NOT_OK((self).Enter()); \
  ::floe::sql::parser::DepthGuard FLOE_CONCAT(floe_depth_guard_, __LINE__)(self)

/// Maps a type's name as written to PostgreSQL's canonical name (see TypeName), or returns it
/// unchanged.
std::string CanonicalTypeName(std::string_view name);

}  // namespace floe::sql::parser
