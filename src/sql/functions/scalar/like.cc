// LIKE (~~), NOT LIKE (!~~), ILIKE (~~*), NOT ILIKE (!~~*), like_escape() and
// similar_to_escape(). A constant pattern is compiled once per call; the common shapes
// ('abc', 'abc%', '%abc', '%abc%') run as plain byte comparisons.

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "sql/functions/registration_internal.h"
#include "sql/functions/text_internal.h"

namespace floe::sql::internal {
namespace {

using types::LogicalType;
using types::TypeId;
using vector::Vector;

Status LikeEscapeError() {
  return Status::InvalidArgument("LIKE pattern must not end with escape character")
      .WithSqlState("22025");
}

// A compiled LIKE pattern. `_` matches one character (not byte) of UTF-8 text.
class LikeMatcher {
 public:
  static Result<LikeMatcher> Compile(std::string_view pattern, bool case_insensitive) {
    LikeMatcher matcher;
    matcher.case_insensitive_ = case_insensitive;
    std::string folded;
    if (case_insensitive) {
      AppendLower(pattern, folded);
      pattern = folded;
    }
    std::string literal;
    auto flush = [&] {
      if (!literal.empty()) {
        matcher.tokens_.push_back({Kind::kLiteral, literal});
        literal.clear();
      }
    };
    for (size_t position = 0; position < pattern.size(); ++position) {
      char c = pattern[position];
      if (c == '\\') {
        if (position + 1 == pattern.size()) {
          return LikeEscapeError();
        }
        literal.push_back(pattern[++position]);
      } else if (c == '%') {
        flush();
        if (matcher.tokens_.empty() || matcher.tokens_.back().kind != Kind::kAnySequence) {
          matcher.tokens_.push_back({Kind::kAnySequence, {}});
        }
      } else if (c == '_') {
        flush();
        matcher.tokens_.push_back({Kind::kAnyChar, {}});
      } else {
        literal.push_back(c);
      }
    }
    flush();
    matcher.Classify();
    return matcher;
  }

  /// Matches `text`; `scratch` holds the lower-cased text of ILIKE between calls.
  bool Matches(std::string_view text, std::string& scratch) const {
    if (case_insensitive_) {
      scratch.clear();
      AppendLower(text, scratch);
      text = scratch;
    }
    switch (shape_) {
      case Shape::kEquals:
        return text == first_;
      case Shape::kPrefix:
        return text.starts_with(first_);
      case Shape::kSuffix:
        return text.ends_with(first_);
      case Shape::kContains:
        return text.find(first_) != std::string_view::npos;
      case Shape::kAnything:
        return true;
      case Shape::kSegments:
        return MatchSegments(text);
      case Shape::kGeneral:
        return MatchGeneral(text);
    }
    return false;
  }

 private:
  enum class Kind : uint8_t { kLiteral, kAnyChar, kAnySequence };
  enum class Shape : uint8_t {
    kEquals,
    kPrefix,
    kSuffix,
    kContains,
    kAnything,
    kSegments,  // Literals separated by `%`, no `_`: '%special%requests%'.
    kGeneral
  };
  struct Token {
    Kind kind;
    std::string text;
  };

  void Classify() {
    auto is = [&](size_t index, Kind kind) { return tokens_[index].kind == kind; };
    size_t n = tokens_.size();
    shape_ = Shape::kGeneral;
    if (n == 0) {
      shape_ = Shape::kEquals;
    } else if (n == 1 && is(0, Kind::kLiteral)) {
      shape_ = Shape::kEquals;
    } else if (n == 1 && is(0, Kind::kAnySequence)) {
      shape_ = Shape::kAnything;
    } else if (n == 2 && is(0, Kind::kLiteral) && is(1, Kind::kAnySequence)) {
      shape_ = Shape::kPrefix;
    } else if (n == 2 && is(0, Kind::kAnySequence) && is(1, Kind::kLiteral)) {
      shape_ = Shape::kSuffix;
    } else if (n == 3 && is(0, Kind::kAnySequence) && is(1, Kind::kLiteral) &&
               is(2, Kind::kAnySequence)) {
      shape_ = Shape::kContains;
    } else if (std::none_of(tokens_.begin(), tokens_.end(),
                            [](const Token& token) { return token.kind == Kind::kAnyChar; })) {
      shape_ = Shape::kSegments;
      skips_.resize(tokens_.size());
      for (size_t token = 0; token < tokens_.size(); ++token) {
        const std::string& literal = tokens_[token].text;
        std::array<uint32_t, 256>& skip = skips_[token];
        skip.fill(static_cast<uint32_t>(literal.size()));
        for (size_t i = 0; i + 1 < literal.size(); ++i) {
          skip[static_cast<unsigned char>(literal[i])] =
              static_cast<uint32_t>(literal.size() - 1 - i);
        }
      }
    }
    for (const Token& token : tokens_) {
      if (token.kind == Kind::kLiteral) {
        first_ = token.text;
        break;
      }
    }
  }

  // Returns where the literal of `token` first occurs in `text` at or after `from`, or npos:
  // Horspool's search, with the skip table Classify made (string_view::find tries every
  // occurrence of the literal's first byte; memmem builds its tables on every call).
  size_t Find(size_t token, std::string_view text, size_t from) const {
    const std::string& literal = tokens_[token].text;
    const std::array<uint32_t, 256>& skip = skips_[token];
    const size_t last = literal.size() - 1;
    const char last_byte = literal[last];
    for (size_t at = from; at + last < text.size();
         at += skip[static_cast<unsigned char>(text[at + last])]) {
      if (text[at + last] == last_byte && std::memcmp(text.data() + at, literal.data(), last) == 0) {
        return at;
      }
    }
    return std::string_view::npos;
  }

  // Literals and `%` only: a leading literal must start the text and a trailing one end it;
  // each literal between is found at its leftmost place after the previous one, which can
  // only leave more room for those after it.
  bool MatchSegments(std::string_view text) const {
    size_t first = 0;
    size_t last = tokens_.size();
    size_t position = 0;
    size_t end = text.size();
    if (tokens_.front().kind == Kind::kLiteral) {
      if (!text.starts_with(tokens_.front().text)) {
        return false;
      }
      position = tokens_.front().text.size();
      first = 1;
    }
    if (last > first && tokens_.back().kind == Kind::kLiteral) {
      const std::string& suffix = tokens_.back().text;
      if (suffix.size() > end - position || !text.ends_with(suffix)) {
        return false;
      }
      end -= suffix.size();
      --last;
    }
    for (size_t token = first; token < last; ++token) {
      const std::string& literal = tokens_[token].text;
      if (tokens_[token].kind != Kind::kLiteral) {
        continue;
      }
      size_t found = Find(token, text.substr(0, end), position);
      if (found == std::string_view::npos) {
        return false;
      }
      position = found + literal.size();
    }
    return true;
  }

  // Matches token by token; on a mismatch, the last `%` absorbs one more character and
  // matching resumes after it, which is enough for patterns whose only repetition is `%`.
  bool MatchGeneral(std::string_view text) const {
    size_t token = 0;
    size_t position = 0;
    size_t star_token = SIZE_MAX;
    size_t star_position = 0;
    while (true) {
      bool advanced = false;
      if (token < tokens_.size()) {
        const Token& current = tokens_[token];
        switch (current.kind) {
          case Kind::kAnySequence:
            star_token = ++token;
            star_position = position;
            continue;
          case Kind::kAnyChar:
            if (position < text.size()) {
              position +=
                  static_cast<size_t>(Utf8CharLength(static_cast<unsigned char>(text[position])));
              ++token;
              advanced = true;
            }
            break;
          case Kind::kLiteral:
            if (text.substr(position).starts_with(current.text)) {
              position += current.text.size();
              ++token;
              advanced = true;
            }
            break;
        }
        if (advanced) {
          continue;
        }
      } else if (position == text.size()) {
        return true;
      }
      if (star_token == SIZE_MAX || star_position >= text.size()) {
        return false;
      }
      star_position +=
          static_cast<size_t>(Utf8CharLength(static_cast<unsigned char>(text[star_position])));
      position = star_position;
      token = star_token;
    }
  }

  std::vector<Token> tokens_;
  // kSegments: Horspool's skip table of each literal token, by position in tokens_.
  std::vector<std::array<uint32_t, 256>> skips_;
  Shape shape_ = Shape::kGeneral;
  std::string first_;
  bool case_insensitive_ = false;
};

ScalarKernel LikeKernel(bool negate, bool case_insensitive) {
  return [negate, case_insensitive](FunctionContext& context, std::span<const Vector> args,
                                    int64_t rows) -> Result<Vector> {
    const Vector& input = args[0];
    const Vector& pattern = args[1];
    std::string scratch;
    if (pattern.encoding() == vector::Encoding::kConstant) {
      FLOE_ASSIGN_OR_RETURN(LikeMatcher matcher,
                            LikeMatcher::Compile(pattern.GetString(0), case_insensitive));
      FLOE_ASSIGN_OR_RETURN(OutputValidity validity, ValidityOf(context, input, rows));
      if (input.encoding() == vector::Encoding::kDictionary) {
        // Each distinct string is matched once.
        const Vector& dictionary = input.dictionary();
        std::vector<uint8_t> matches(static_cast<size_t>(dictionary.length()));
        for (int64_t entry = 0; entry < dictionary.length(); ++entry) {
          matches[static_cast<size_t>(entry)] =
              dictionary.IsNull(entry) ? 0 : matcher.Matches(dictionary.GetString(entry), scratch);
        }
        const int32_t* indices = input.indices();
        return PredicateRows(context, rows, std::move(validity), [&](int64_t row) {
          return (matches[static_cast<size_t>(indices[row])] != 0) != negate;
        });
      }
      FLOE_ASSIGN_OR_RETURN(Vector flat, FlatOrConstant(context, input));
      StringReader text(flat);
      return PredicateRows(context, rows, std::move(validity), [&](int64_t row) {
        return matcher.Matches(text[row], scratch) != negate;
      });
    }
    // A pattern per row: compile when it changes.
    std::string last_pattern;
    std::optional<LikeMatcher> matcher;
    return BuildRows(
        context, args, rows, LogicalType::Boolean(),
        [&](int64_t row, vector::VectorBuilder& out) -> Status {
          std::string_view current = pattern.GetString(row);
          if (!matcher.has_value() || current != last_pattern) {
            FLOE_ASSIGN_OR_RETURN(LikeMatcher compiled,
                                  LikeMatcher::Compile(current, case_insensitive));
            matcher = std::move(compiled);
            last_pattern = std::string(current);
          }
          return out.AppendBool(matcher->Matches(input.GetString(row), scratch) != negate);
        });
  };
}

// PostgreSQL's like_escape(): rewrites a pattern written with escape character `escape` into
// one using the default backslash.
Result<std::string> ConvertLikeEscape(std::string_view pattern, std::string_view escape) {
  if (Utf8Length(escape) > 1) {
    return Status::InvalidArgument("invalid escape string")
        .WithSqlState("22025")
        .WithHint("Escape string must be empty or one character.");
  }
  std::string result;
  for (size_t position = 0; position < pattern.size(); ++position) {
    std::string_view rest = pattern.substr(position);
    if (!escape.empty() && rest.starts_with(escape)) {
      position += escape.size();
      if (position >= pattern.size()) {
        return LikeEscapeError();
      }
      result.push_back('\\');
      int length = Utf8CharLength(static_cast<unsigned char>(pattern[position]));
      result.append(pattern.substr(position, static_cast<size_t>(length)));
      position += static_cast<size_t>(length) - 1;
    } else if (pattern[position] == '\\') {
      result.append("\\\\");
    } else {
      result.push_back(pattern[position]);
    }
  }
  return result;
}

}  // namespace

Result<std::string> SimilarToRegex(std::string_view pattern, std::string_view escape) {
  if (Utf8Length(escape) > 1) {
    return Status::InvalidArgument("invalid escape string")
        .WithSqlState("22025")
        .WithHint("Escape string must be empty or one character.");
  }
  std::string result = "^(?:";
  bool in_brackets = false;
  for (size_t position = 0; position < pattern.size(); ++position) {
    char c = pattern[position];
    if (!escape.empty() && pattern.substr(position).starts_with(escape)) {
      position += escape.size();
      if (position >= pattern.size()) {
        return Status::InvalidArgument("invalid escape string")
            .WithSqlState("22025")
            .WithHint("Escape string must be empty or one character.");
      }
      result.push_back('\\');
      result.push_back(pattern[position]);
      continue;
    }
    if (in_brackets) {
      result.push_back(c);
      in_brackets = c != ']';
      continue;
    }
    switch (c) {
      case '%':
        result.append(".*");
        break;
      case '_':
        result.push_back('.');
        break;
      case '[':
        in_brackets = true;
        result.push_back(c);
        break;
      case '.':
      case '^':
      case '$':
        result.push_back('\\');
        result.push_back(c);
        break;
      case '\\':
        result.append("\\\\");
        break;
      default:
        result.push_back(c);
        break;
    }
  }
  result.append(")$");
  return result;
}

namespace {

ScalarKernel TextBinaryKernel(Result<std::string> (*convert)(std::string_view, std::string_view)) {
  return [convert](FunctionContext& context, std::span<const Vector> args,
                   int64_t rows) -> Result<Vector> {
    return BuildRows(context, args, rows, LogicalType::Varchar(),
                     [&](int64_t row, vector::VectorBuilder& out) -> Status {
                       std::string_view escape = args.size() > 1 ? args[1].GetString(row) : "\\";
                       FLOE_ASSIGN_OR_RETURN(std::string text,
                                             convert(args[0].GetString(row), escape));
                       return out.AppendString(text);
                     });
  };
}

}  // namespace

void RegisterPatternMatching(FunctionRegistry& registry) {
  struct Operator {
    const char* name;
    bool negate;
    bool case_insensitive;
  };
  for (Operator op : {Operator{"~~", false, false}, Operator{"!~~", true, false},
                      Operator{"~~*", false, true}, Operator{"!~~*", true, true}}) {
    registry.AddScalar(FixedOverload(op.name, {TypeId::kVarchar, TypeId::kVarchar},
                                     LogicalType::Boolean(),
                                     LikeKernel(op.negate, op.case_insensitive)));
  }
  registry.AddScalar(FixedOverload("like_escape", {TypeId::kVarchar, TypeId::kVarchar},
                                   LogicalType::Varchar(), TextBinaryKernel(ConvertLikeEscape)));
  registry.AddScalar(FixedOverload("similar_to_escape", {TypeId::kVarchar, TypeId::kVarchar},
                                   LogicalType::Varchar(), TextBinaryKernel(SimilarToRegex)));
  registry.AddScalar(FixedOverload("similar_to_escape", {TypeId::kVarchar}, LogicalType::Varchar(),
                                   TextBinaryKernel(SimilarToRegex)));
}

}  // namespace floe::sql::internal
