// POSIX regular expressions (~, ~*, !~, !~*) and regexp_match, regexp_replace, regexp_like,
// run with RE2. PostgreSQL's advanced regular expressions are mostly Perl's syntax, which RE2
// reads; the escapes that differ are translated, and what RE2 cannot do (backreferences,
// lookaround, \m and \M) is NotSupported rather than silently different.

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <re2/re2.h>

#include "sql/functions/registration_internal.h"
#include "sql/functions/text_internal.h"

namespace floe::sql::internal {
namespace {

using types::LogicalType;
using types::TypeId;
using vector::Vector;

Status Unsupported(std::string_view what) {
  return Status::NotSupported("regular expressions with {} are not supported", what);
}

// Rewrites an ARE pattern into RE2 syntax.
Result<std::string> TranslatePattern(std::string_view pattern) {
  std::string result;
  result.reserve(pattern.size());
  for (size_t position = 0; position < pattern.size(); ++position) {
    char c = pattern[position];
    if (c == '(' && pattern.substr(position).starts_with("(?") && position + 2 < pattern.size()) {
      char kind = pattern[position + 2];
      if (kind == '=' || kind == '!' ||
          (kind == '<' && position + 3 < pattern.size() &&
           (pattern[position + 3] == '=' || pattern[position + 3] == '!'))) {
        return Unsupported("lookahead or lookbehind constraints");
      }
    }
    if (c != '\\' || position + 1 >= pattern.size()) {
      result.push_back(c);
      continue;
    }
    char next = pattern[++position];
    switch (next) {
      case 'y':
        result.append("\\b");
        break;
      case 'Y':
        result.append("\\B");
        break;
      case 'Z':
        result.append("\\z");
        break;
      case 'm':
      case 'M':
        return Unsupported("word start or end constraints (\\m, \\M)");
      default:
        if (next >= '1' && next <= '9') {
          return Unsupported("backreferences");
        }
        result.push_back('\\');
        result.push_back(next);
        break;
    }
  }
  return result;
}

struct RegexFlags {
  bool case_insensitive = false;
  bool global = false;
};

Result<RegexFlags> ParseFlags(std::string_view flags, bool allow_global) {
  RegexFlags result;
  for (char flag : flags) {
    switch (flag) {
      case 'i':
        result.case_insensitive = true;
        break;
      case 'c':
        result.case_insensitive = false;
        break;
      case 'g':
        if (!allow_global) {
          return Status::InvalidArgument("regexp_match() does not support the \"global\" option")
              .WithSqlState("22023")
              .WithHint("Use the regexp_matches function instead.");
        }
        result.global = true;
        break;
      default:
        return Status::InvalidArgument("invalid regular expression option: \"{}\"",
                                       std::string(1, flag))
            .WithSqlState("22023");
    }
  }
  return result;
}

Result<std::unique_ptr<RE2>> CompileRegex(std::string_view pattern, bool case_insensitive) {
  FLOE_ASSIGN_OR_RETURN(std::string translated, TranslatePattern(pattern));
  RE2::Options options;
  options.set_log_errors(false);
  options.set_case_sensitive(!case_insensitive);
  // In PostgreSQL's default mode a newline is an ordinary character that `.` matches.
  options.set_dot_nl(true);
  auto regex = std::make_unique<RE2>(translated, options);
  if (!regex->ok()) {
    return Status::InvalidArgument("invalid regular expression: {}", regex->error())
        .WithSqlState("2201B");
  }
  return regex;
}

// Compiles the pattern of each row, reusing the last one while it does not change (a constant
// pattern compiles once per call).
class RegexCache {
 public:
  explicit RegexCache(bool case_insensitive) : case_insensitive_(case_insensitive) {}

  Result<const RE2*> Get(std::string_view pattern, bool case_insensitive) {
    if (regex_ == nullptr || pattern != pattern_ || case_insensitive != last_case_) {
      FLOE_ASSIGN_OR_RETURN(regex_, CompileRegex(pattern, case_insensitive));
      pattern_ = std::string(pattern);
      last_case_ = case_insensitive;
    }
    return regex_.get();
  }
  Result<const RE2*> Get(std::string_view pattern) { return Get(pattern, case_insensitive_); }

 private:
  bool case_insensitive_;
  bool last_case_ = false;
  std::string pattern_;
  std::unique_ptr<RE2> regex_;
};

ScalarKernel MatchOperator(bool negate, bool case_insensitive) {
  return [negate, case_insensitive](FunctionContext& context, std::span<const Vector> args,
                                    int64_t rows) -> Result<Vector> {
    RegexCache cache(case_insensitive);
    if (args[1].encoding() == vector::Encoding::kConstant) {
      FLOE_ASSIGN_OR_RETURN(const RE2* regex, cache.Get(args[1].GetString(0)));
      FLOE_ASSIGN_OR_RETURN(OutputValidity validity, ValidityOf(context, args[0], rows));
      const Vector& input = args[0];
      return PredicateRows(context, rows, std::move(validity), [&](int64_t row) {
        if (input.IsNull(row)) {
          return false;
        }
        return RE2::PartialMatch(input.GetString(row), *regex) != negate;
      });
    }
    return BuildRows(
        context, args, rows, LogicalType::Boolean(),
        [&](int64_t row, vector::VectorBuilder& out) -> Status {
          FLOE_ASSIGN_OR_RETURN(const RE2* regex, cache.Get(args[1].GetString(row)));
          return out.AppendBool(RE2::PartialMatch(args[0].GetString(row), *regex) != negate);
        });
  };
}

// PostgreSQL's replacement text marks groups with \1..\9 and the whole match with \&; RE2
// uses \0 for the latter.
std::string TranslateReplacement(std::string_view replacement) {
  std::string result;
  for (size_t position = 0; position < replacement.size(); ++position) {
    char c = replacement[position];
    if (c == '\\' && position + 1 < replacement.size()) {
      char next = replacement[++position];
      if (next == '&') {
        result.append("\\0");
      } else if (next >= '0' && next <= '9') {
        result.push_back('\\');
        result.push_back(next);
      } else {
        // Any other escaped character is itself, a backslash included.
        if (next == '\\') {
          result.append("\\\\");
        } else {
          result.push_back(next);
        }
      }
      continue;
    }
    result.push_back(c);
  }
  return result;
}

ScalarKernel ReplaceKernel() {
  return [](FunctionContext& context, std::span<const Vector> args,
            int64_t rows) -> Result<Vector> {
    RegexCache cache(false);
    std::string buffer;
    return BuildRows(context, args, rows, LogicalType::Varchar(),
                     [&](int64_t row, vector::VectorBuilder& out) -> Status {
                       RegexFlags flags;
                       if (args.size() > 3) {
                         FLOE_ASSIGN_OR_RETURN(flags, ParseFlags(args[3].GetString(row), true));
                       }
                       FLOE_ASSIGN_OR_RETURN(const RE2* regex, cache.Get(args[1].GetString(row),
                                                                         flags.case_insensitive));
                       buffer = std::string(args[0].GetString(row));
                       std::string rewrite = TranslateReplacement(args[2].GetString(row));
                       if (flags.global) {
                         RE2::GlobalReplace(&buffer, *regex, rewrite);
                       } else {
                         RE2::Replace(&buffer, *regex, rewrite);
                       }
                       return out.AppendString(buffer);
                     });
  };
}

ScalarKernel MatchFunction() {
  return [](FunctionContext& context, std::span<const Vector> args,
            int64_t rows) -> Result<Vector> {
    RegexCache cache(false);
    LogicalType result = LogicalType::List(LogicalType::Varchar());
    return BuildRows(
        context, args, rows, result, [&](int64_t row, vector::VectorBuilder& out) -> Status {
          RegexFlags flags;
          if (args.size() > 2) {
            FLOE_ASSIGN_OR_RETURN(flags, ParseFlags(args[2].GetString(row), false));
          }
          FLOE_ASSIGN_OR_RETURN(const RE2* regex,
                                cache.Get(args[1].GetString(row), flags.case_insensitive));
          std::string_view text = args[0].GetString(row);
          int groups = regex->NumberOfCapturingGroups();
          std::vector<re2::StringPiece> matches(static_cast<size_t>(groups + 1));
          if (!regex->Match(text, 0, text.size(), RE2::UNANCHORED, matches.data(), groups + 1)) {
            return out.AppendNull();
          }
          vector::VectorBuilder& elements = out.child(0);
          for (int group = groups == 0 ? 0 : 1; group <= groups; ++group) {
            const re2::StringPiece& match = matches[static_cast<size_t>(group)];
            if (match.data() == nullptr) {
              FLOE_RETURN_NOT_OK(elements.AppendNull());
            } else {
              FLOE_RETURN_NOT_OK(
                  elements.AppendString(std::string_view(match.data(), match.size())));
            }
          }
          return out.AppendList();
        });
  };
}

ScalarKernel LikeFunction() {
  return [](FunctionContext& context, std::span<const Vector> args,
            int64_t rows) -> Result<Vector> {
    RegexCache cache(false);
    return BuildRows(context, args, rows, LogicalType::Boolean(),
                     [&](int64_t row, vector::VectorBuilder& out) -> Status {
                       RegexFlags flags;
                       if (args.size() > 2) {
                         FLOE_ASSIGN_OR_RETURN(flags, ParseFlags(args[2].GetString(row), false));
                       }
                       FLOE_ASSIGN_OR_RETURN(const RE2* regex, cache.Get(args[1].GetString(row),
                                                                         flags.case_insensitive));
                       return out.AppendBool(RE2::PartialMatch(args[0].GetString(row), *regex));
                     });
  };
}

// SIMILAR TO as an operator: the pattern is translated as similar_to_escape() does, then
// matched as a regular expression.
ScalarKernel SimilarKernel(bool negate) {
  return [negate](FunctionContext& context, std::span<const Vector> args,
                  int64_t rows) -> Result<Vector> {
    RegexCache cache(false);
    std::string last_pattern;
    std::string last_escape = "\\";
    std::string translated;
    bool has_translation = false;
    return BuildRows(
        context, args, rows, LogicalType::Boolean(),
        [&](int64_t row, vector::VectorBuilder& out) -> Status {
          std::string_view pattern = args[1].GetString(row);
          std::string_view escape = args.size() > 2 ? args[2].GetString(row) : "\\";
          if (!has_translation || pattern != last_pattern || escape != last_escape) {
            FLOE_ASSIGN_OR_RETURN(translated, SimilarToRegex(pattern, escape));
            last_pattern = std::string(pattern);
            last_escape = std::string(escape);
            has_translation = true;
          }
          FLOE_ASSIGN_OR_RETURN(const RE2* regex, cache.Get(translated));
          return out.AppendBool(RE2::PartialMatch(args[0].GetString(row), *regex) != negate);
        });
  };
}

}  // namespace

void RegisterRegex(FunctionRegistry& registry) {
  for (bool negate : {false, true}) {
    const char* name = negate ? "!similar" : "similar";
    registry.AddScalar(FixedOverload(name, {TypeId::kVarchar, TypeId::kVarchar},
                                     LogicalType::Boolean(), SimilarKernel(negate)));
    registry.AddScalar(FixedOverload(name, {TypeId::kVarchar, TypeId::kVarchar, TypeId::kVarchar},
                                     LogicalType::Boolean(), SimilarKernel(negate)));
  }
  struct Operator {
    const char* name;
    bool negate;
    bool case_insensitive;
  };
  for (Operator op : {Operator{"~", false, false}, Operator{"!~", true, false},
                      Operator{"~*", false, true}, Operator{"!~*", true, true}}) {
    registry.AddScalar(FixedOverload(op.name, {TypeId::kVarchar, TypeId::kVarchar},
                                     LogicalType::Boolean(),
                                     MatchOperator(op.negate, op.case_insensitive)));
  }
  TypeId text = TypeId::kVarchar;
  registry.AddScalar(
      FixedOverload("regexp_replace", {text, text, text}, LogicalType::Varchar(), ReplaceKernel()));
  registry.AddScalar(FixedOverload("regexp_replace", {text, text, text, text},
                                   LogicalType::Varchar(), ReplaceKernel()));
  LogicalType text_array = LogicalType::List(LogicalType::Varchar());
  registry.AddScalar(FixedOverload("regexp_match", {text, text}, text_array, MatchFunction()));
  registry.AddScalar(
      FixedOverload("regexp_match", {text, text, text}, text_array, MatchFunction()));
  registry.AddScalar(
      FixedOverload("regexp_like", {text, text}, LogicalType::Boolean(), LikeFunction()));
  registry.AddScalar(
      FixedOverload("regexp_like", {text, text, text}, LogicalType::Boolean(), LikeFunction()));
}

}  // namespace floe::sql::internal
