#include "sql/parser/lexer.h"

#include <algorithm>
#include <cstdint>

#include "sql/parser/parser.h"

namespace floe::sql::parser {
namespace {

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}
bool IsDigit(char c) {
  return c >= '0' && c <= '9';
}
bool IsIdentStart(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
         static_cast<unsigned char>(c) >= 0x80;
}
bool IsIdentChar(char c) {
  return IsIdentStart(c) || IsDigit(c) || c == '$';
}
bool IsOperatorChar(char c) {
  switch (c) {
    case '~':
    case '!':
    case '@':
    case '#':
    case '^':
    case '&':
    case '|':
    case '`':
    case '?':
    case '+':
    case '-':
    case '*':
    case '/':
    case '%':
    case '<':
    case '>':
    case '=':
      return true;
    default:
      return false;
  }
}
// Characters whose presence lets a multi-character operator end in + or - (PostgreSQL's
// lexer rule that keeps `a*-1` from lexing as the operator `*-`).
bool IsNonMathOperatorChar(char c) {
  switch (c) {
    case '~':
    case '!':
    case '@':
    case '#':
    case '%':
    case '^':
    case '&':
    case '|':
    case '`':
    case '?':
      return true;
    default:
      return false;
  }
}
int HexValue(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}
char ToLower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

void AppendUtf8(std::string& out, uint32_t code_point) {
  if (code_point < 0x80) {
    out.push_back(static_cast<char>(code_point));
  } else if (code_point < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (code_point >> 6)));
    out.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  } else if (code_point < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (code_point >> 12)));
    out.push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (code_point >> 18)));
    out.push_back(static_cast<char>(0x80 | ((code_point >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  }
}

// Longest non-decimal integer literal converted; the conversion is quadratic in the length.
constexpr size_t kMaxRadixDigits = 1000;

class Lexer {
 public:
  explicit Lexer(std::string_view text) : text_(text) {}

  Result<std::vector<Token>> Run() {
    std::vector<Token> tokens;
    while (true) {
      FLOE_RETURN_NOT_OK(SkipSpaceAndComments());
      Token token;
      token.location = static_cast<int>(pos_);
      if (pos_ >= text_.size()) {
        token.kind = TokenKind::kEnd;
        token.end = token.location;
        tokens.push_back(std::move(token));
        return tokens;
      }
      FLOE_RETURN_NOT_OK(Next(token));
      token.end = static_cast<int>(pos_);
      tokens.push_back(std::move(token));
    }
  }

 private:
  char Peek(size_t ahead = 0) const {
    return pos_ + ahead < text_.size() ? text_[pos_ + ahead] : '\0';
  }

  Status ErrorAt(size_t location, std::string_view what) const {
    // PostgreSQL quotes the rest of the input from the start of the bad token.
    return Status::SyntaxError("{} at or near \"{}\"", what, text_.substr(location))
        .WithPosition(CharacterPosition(text_, static_cast<int>(location)));
  }
  Status ErrorAt(size_t location, size_t end, std::string_view what) const {
    return Status::SyntaxError("{} at or near \"{}\"", what, text_.substr(location, end - location))
        .WithPosition(CharacterPosition(text_, static_cast<int>(location)));
  }

  Status SkipSpaceAndComments() {
    while (pos_ < text_.size()) {
      char c = text_[pos_];
      if (IsSpace(c)) {
        ++pos_;
      } else if (c == '-' && Peek(1) == '-') {
        while (pos_ < text_.size() && text_[pos_] != '\n' && text_[pos_] != '\r') {
          ++pos_;
        }
      } else if (c == '/' && Peek(1) == '*') {
        FLOE_RETURN_NOT_OK(SkipBlockComment());
      } else {
        break;
      }
    }
    return Status::OK();
  }

  // Block comments nest, as in PostgreSQL (and the SQL standard).
  Status SkipBlockComment() {
    size_t start = pos_;
    int depth = 0;
    while (pos_ < text_.size()) {
      if (text_[pos_] == '/' && Peek(1) == '*') {
        ++depth;
        pos_ += 2;
      } else if (text_[pos_] == '*' && Peek(1) == '/') {
        --depth;
        pos_ += 2;
        if (depth == 0) {
          return Status::OK();
        }
      } else {
        ++pos_;
      }
    }
    return ErrorAt(start, "unterminated /* comment");
  }

  Status Next(Token& token) {
    char c = text_[pos_];
    char next = Peek(1);
    if ((c == 'e' || c == 'E') && next == '\'') {
      ++pos_;
      token.kind = TokenKind::kString;
      return ReadQuotedString(token, /*backslash_escapes=*/true);
    }
    if ((c == 'b' || c == 'B' || c == 'x' || c == 'X') && next == '\'') {
      return Status::NotSupported("bit string constants are not supported")
          .WithPosition(CharacterPosition(text_, static_cast<int>(pos_)));
    }
    if ((c == 'u' || c == 'U') && next == '&' && (Peek(2) == '\'' || Peek(2) == '"')) {
      return Status::NotSupported("Unicode escape strings (U&) are not supported")
          .WithPosition(CharacterPosition(text_, static_cast<int>(pos_)));
    }
    if ((c == 'n' || c == 'N') && next == '\'') {
      // A national character string is an ordinary string constant here.
      ++pos_;
      token.kind = TokenKind::kString;
      return ReadQuotedString(token, /*backslash_escapes=*/false);
    }
    if (IsIdentStart(c)) {
      ReadWord(token);
      return Status::OK();
    }
    if (IsDigit(c) || (c == '.' && IsDigit(next))) {
      return ReadNumber(token);
    }
    switch (c) {
      case '\'':
        token.kind = TokenKind::kString;
        return ReadQuotedString(token, /*backslash_escapes=*/false);
      case '"':
        return ReadQuotedIdentifier(token);
      case '$':
        if (IsDigit(next)) {
          return ReadParameter(token);
        }
        return ReadDollarQuoted(token);
      case '(':
      case ')':
      case '[':
      case ']':
      case ',':
      case ';':
        token.kind = TokenKind::kSymbol;
        token.text = std::string(1, c);
        ++pos_;
        return Status::OK();
      case '.':
        token.kind = TokenKind::kSymbol;
        if (next == '.') {
          token.text = "..";
          pos_ += 2;
        } else {
          token.text = ".";
          ++pos_;
        }
        return Status::OK();
      case ':':
        token.kind = TokenKind::kSymbol;
        if (next == ':' || next == '=') {
          token.text = std::string(text_.substr(pos_, 2));
          pos_ += 2;
        } else {
          token.text = ":";
          ++pos_;
        }
        return Status::OK();
      default:
        break;
    }
    if (IsOperatorChar(c)) {
      ReadOperator(token);
      return Status::OK();
    }
    return ErrorAt(pos_, pos_ + 1, "syntax error");
  }

  void ReadWord(Token& token) {
    size_t start = pos_;
    while (pos_ < text_.size() && IsIdentChar(text_[pos_])) {
      ++pos_;
    }
    token.kind = TokenKind::kIdentifier;
    token.text.reserve(pos_ - start);
    for (size_t i = start; i < pos_; ++i) {
      token.text.push_back(ToLower(text_[i]));
    }
    token.category = CategoryOf(token.text);
  }

  Status ReadQuotedIdentifier(Token& token) {
    size_t start = pos_;
    ++pos_;
    token.kind = TokenKind::kIdentifier;
    token.is_quoted = true;
    while (true) {
      if (pos_ >= text_.size()) {
        return ErrorAt(start, "unterminated quoted identifier");
      }
      char c = text_[pos_++];
      if (c == '"') {
        if (Peek() == '"') {
          token.text.push_back('"');
          ++pos_;
          continue;
        }
        break;
      }
      token.text.push_back(c);
    }
    if (token.text.empty()) {
      return ErrorAt(start, pos_, "zero-length delimited identifier");
    }
    return Status::OK();
  }

  // Reads '...' starting at the quote, then any continuation: a string separated from the
  // previous one by white space that includes a newline is part of the same constant.
  Status ReadQuotedString(Token& token, bool backslash_escapes) {
    size_t start = token.location;
    while (true) {
      FLOE_RETURN_NOT_OK(ReadStringBody(token, start, backslash_escapes));
      size_t after = pos_;
      bool saw_newline = false;
      while (pos_ < text_.size()) {
        char c = text_[pos_];
        if (c == '\n' || c == '\r') {
          saw_newline = true;
          ++pos_;
        } else if (IsSpace(c)) {
          ++pos_;
        } else if (c == '-' && Peek(1) == '-' && saw_newline) {
          while (pos_ < text_.size() && text_[pos_] != '\n' && text_[pos_] != '\r') {
            ++pos_;
          }
        } else {
          break;
        }
      }
      if (saw_newline && Peek() == '\'') {
        continue;
      }
      pos_ = after;
      return Status::OK();
    }
  }

  Status ReadStringBody(Token& token, size_t start, bool backslash_escapes) {
    ++pos_;  // The opening quote.
    while (true) {
      if (pos_ >= text_.size()) {
        return ErrorAt(start, "unterminated quoted string");
      }
      char c = text_[pos_++];
      if (c == '\'') {
        if (Peek() == '\'') {
          token.text.push_back('\'');
          ++pos_;
          continue;
        }
        return Status::OK();
      }
      if (c == '\\' && backslash_escapes) {
        if (pos_ >= text_.size()) {
          return ErrorAt(start, "unterminated quoted string");
        }
        FLOE_RETURN_NOT_OK(ReadEscape(token.text, start));
        continue;
      }
      token.text.push_back(c);
    }
  }

  // The escapes of E'...' strings (PostgreSQL manual, 4.1.2.2).
  Status ReadEscape(std::string& out, size_t start) {
    char c = text_[pos_++];
    switch (c) {
      case 'b':
        out.push_back('\b');
        return Status::OK();
      case 'f':
        out.push_back('\f');
        return Status::OK();
      case 'n':
        out.push_back('\n');
        return Status::OK();
      case 'r':
        out.push_back('\r');
        return Status::OK();
      case 't':
        out.push_back('\t');
        return Status::OK();
      case 'x': {
        int value = 0;
        int digits = 0;
        while (digits < 2 && HexValue(Peek()) >= 0) {
          value = value * 16 + HexValue(text_[pos_++]);
          ++digits;
        }
        if (digits == 0) {
          out.push_back('x');
        } else {
          FLOE_RETURN_NOT_OK(PushByte(out, value, start));
        }
        return Status::OK();
      }
      case 'u':
      case 'U': {
        int wanted = c == 'u' ? 4 : 8;
        uint32_t value = 0;
        for (int i = 0; i < wanted; ++i) {
          if (HexValue(Peek()) < 0) {
            return ErrorAt(start, "invalid Unicode escape");
          }
          value = value * 16 + static_cast<uint32_t>(HexValue(text_[pos_++]));
        }
        if (value == 0 || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) {
          return ErrorAt(start, "invalid Unicode escape value");
        }
        AppendUtf8(out, value);
        return Status::OK();
      }
      default:
        break;
    }
    if (c >= '0' && c <= '7') {
      int value = c - '0';
      for (int i = 0; i < 2 && Peek() >= '0' && Peek() <= '7'; ++i) {
        value = value * 8 + (text_[pos_++] - '0');
      }
      return PushByte(out, value & 0xFF, start);
    }
    out.push_back(c);
    return Status::OK();
  }

  Status PushByte(std::string& out, int value, size_t start) {
    if (value == 0) {
      return Status::SyntaxError(
                 "invalid byte sequence: a string constant cannot contain a zero "
                 "byte")
          .WithPosition(CharacterPosition(text_, static_cast<int>(start)));
    }
    out.push_back(static_cast<char>(value));
    return Status::OK();
  }

  Status ReadDollarQuoted(Token& token) {
    size_t start = pos_;
    size_t tag_end = pos_ + 1;
    if (tag_end < text_.size() && IsIdentStart(text_[tag_end])) {
      while (tag_end < text_.size() && IsIdentChar(text_[tag_end]) && text_[tag_end] != '$') {
        ++tag_end;
      }
    }
    if (tag_end >= text_.size() || text_[tag_end] != '$') {
      // A lone '$' (not a parameter, not a tag) is not a valid token.
      return ErrorAt(start, start + 1, "syntax error");
    }
    std::string_view delimiter = text_.substr(start, tag_end + 1 - start);
    size_t body = tag_end + 1;
    size_t close = text_.find(delimiter, body);
    if (close == std::string_view::npos) {
      return ErrorAt(start, "unterminated dollar-quoted string");
    }
    token.kind = TokenKind::kString;
    token.text = std::string(text_.substr(body, close - body));
    pos_ = close + delimiter.size();
    return Status::OK();
  }

  Status ReadParameter(Token& token) {
    size_t start = pos_;
    ++pos_;
    while (pos_ < text_.size() && IsDigit(text_[pos_])) {
      ++pos_;
    }
    if (pos_ < text_.size() && IsIdentChar(text_[pos_])) {
      while (pos_ < text_.size() && IsIdentChar(text_[pos_])) {
        ++pos_;
      }
      return ErrorAt(start, pos_, "trailing junk after parameter");
    }
    token.kind = TokenKind::kParameter;
    token.text = std::string(text_.substr(start + 1, pos_ - start - 1));
    return Status::OK();
  }

  // Reads digits with single underscores between them (PostgreSQL 16); returns false when an
  // underscore is misplaced.
  bool ReadDigits(std::string& out, int (*digit_value)(char)) {
    bool any = false;
    while (pos_ < text_.size()) {
      char c = text_[pos_];
      if (digit_value(c) >= 0) {
        out.push_back(c);
        any = true;
        ++pos_;
      } else if (c == '_' && any && pos_ + 1 < text_.size() && digit_value(text_[pos_ + 1]) >= 0) {
        ++pos_;
      } else {
        break;
      }
    }
    return any;
  }

  static int DecimalDigit(char c) { return IsDigit(c) ? c - '0' : -1; }
  static int OctalDigit(char c) { return (c >= '0' && c <= '7') ? c - '0' : -1; }
  static int BinaryDigit(char c) { return (c == '0' || c == '1') ? c - '0' : -1; }

  Status JunkError(size_t start) {
    while (pos_ < text_.size() && IsIdentChar(text_[pos_])) {
      ++pos_;
    }
    return ErrorAt(start, pos_, "trailing junk after numeric literal");
  }

  Status ReadNumber(Token& token) {
    size_t start = pos_;
    char radix_char = ToLower(Peek(1));
    if (Peek() == '0' && (radix_char == 'x' || radix_char == 'o' || radix_char == 'b')) {
      pos_ += 2;
      int (*digit_value)(char) = radix_char == 'x'   ? HexValue
                                 : radix_char == 'o' ? OctalDigit
                                                     : BinaryDigit;
      int radix = radix_char == 'x' ? 16 : radix_char == 'o' ? 8 : 2;
      if (Peek() == '_') {
        ++pos_;
      }
      std::string digits;
      if (!ReadDigits(digits, digit_value) || (pos_ < text_.size() && IsIdentChar(Peek()))) {
        return JunkError(start);
      }
      if (digits.size() > kMaxRadixDigits) {
        return Status::NotSupported("integer literal is too long")
            .WithPosition(CharacterPosition(text_, static_cast<int>(start)));
      }
      token.kind = TokenKind::kInteger;
      token.text = ToDecimal(digits, radix);
      return Status::OK();
    }
    bool is_numeric = false;
    std::string digits;
    ReadDigits(digits, DecimalDigit);
    if (Peek() == '.' && Peek(1) != '.') {
      is_numeric = true;
      digits.push_back('.');
      ++pos_;
      if (IsDigit(Peek())) {
        ReadDigits(digits, DecimalDigit);
      }
    }
    if (Peek() == 'e' || Peek() == 'E') {
      size_t exponent_start = pos_;
      std::string exponent(1, text_[pos_]);
      ++pos_;
      if (Peek() == '+' || Peek() == '-') {
        exponent.push_back(text_[pos_++]);
      }
      if (!IsDigit(Peek())) {
        pos_ = exponent_start;
        return JunkError(start);
      }
      ReadDigits(exponent, DecimalDigit);
      digits += exponent;
      is_numeric = true;
    }
    if (pos_ < text_.size() && IsIdentChar(Peek())) {
      return JunkError(start);
    }
    token.kind = is_numeric ? TokenKind::kNumeric : TokenKind::kInteger;
    token.text = std::move(digits);
    return Status::OK();
  }

  static std::string ToDecimal(const std::string& digits, int radix) {
    // Little-endian base-10 digits of the value.
    std::vector<uint8_t> value = {0};
    for (char c : digits) {
      int carry = HexValue(c);
      for (uint8_t& digit : value) {
        int product = digit * radix + carry;
        digit = static_cast<uint8_t>(product % 10);
        carry = product / 10;
      }
      while (carry > 0) {
        value.push_back(static_cast<uint8_t>(carry % 10));
        carry /= 10;
      }
    }
    while (value.size() > 1 && value.back() == 0) {
      value.pop_back();
    }
    std::string out;
    for (auto it = value.rbegin(); it != value.rend(); ++it) {
      out.push_back(static_cast<char>('0' + *it));
    }
    return out;
  }

  void ReadOperator(Token& token) {
    size_t start = pos_;
    size_t end = pos_;
    while (end < text_.size() && IsOperatorChar(text_[end])) {
      // A comment starts inside an operator run: the operator ends before it.
      if (end > start && ((text_[end] == '-' && end + 1 < text_.size() && text_[end + 1] == '-') ||
                          (text_[end] == '/' && end + 1 < text_.size() && text_[end + 1] == '*'))) {
        break;
      }
      ++end;
    }
    size_t length = end - start;
    if (length > 1 && (text_[end - 1] == '+' || text_[end - 1] == '-')) {
      bool has_non_math = false;
      for (size_t i = start; i < end; ++i) {
        has_non_math = has_non_math || IsNonMathOperatorChar(text_[i]);
      }
      if (!has_non_math) {
        while (length > 1 &&
               (text_[start + length - 1] == '+' || text_[start + length - 1] == '-')) {
          --length;
        }
      }
    }
    pos_ = start + length;
    token.kind = TokenKind::kOperator;
    token.text = std::string(text_.substr(start, length));
    if (token.text == "!=") {
      token.text = "<>";
    }
  }

  std::string_view text_;
  size_t pos_ = 0;
};

}  // namespace

Result<std::vector<Token>> Tokenize(std::string_view text) {
  return Lexer(text).Run();
}

int CharacterPosition(std::string_view text, int location) {
  int position = 1;
  size_t end = std::min(static_cast<size_t>(location < 0 ? 0 : location), text.size());
  for (size_t i = 0; i < end; ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      ++position;
    }
  }
  return position;
}

}  // namespace floe::sql::parser
