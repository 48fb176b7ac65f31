// String functions with PostgreSQL's names and semantics. Positions and lengths count UTF-8
// characters, not bytes; comparisons are bytewise (the C collation).

#include <algorithm>
#include <array>
#include <string>
#include <string_view>

#include "sql/functions/cast_vector.h"
#include "sql/functions/md5_internal.h"
#include "sql/functions/registration_internal.h"
#include "sql/functions/text_internal.h"

namespace floe::sql::internal {
namespace {

using types::LogicalType;
using types::TypeId;
using vector::Vector;
using vector::VectorBuilder;

constexpr TypeId kText = TypeId::kVarchar;

// A kernel computing a text result from the row's arguments into a reused buffer.
template <typename Fn>
ScalarKernel TextKernel(Fn fn) {
  return
      [fn](FunctionContext& context, std::span<const Vector> args, int64_t rows) -> Result<Vector> {
        std::string buffer;
        return BuildRows(context, args, rows, LogicalType::Varchar(),
                         [&](int64_t row, VectorBuilder& out) -> Status {
                           buffer.clear();
                           FLOE_RETURN_NOT_OK(fn(args, row, buffer));
                           return out.AppendString(buffer);
                         });
      };
}

// A kernel computing a fixed-width result per row.
template <typename T, typename Fn>
ScalarKernel ValueKernel(LogicalType result, Fn fn) {
  return [result, fn](FunctionContext& context, std::span<const Vector> args,
                      int64_t rows) -> Result<Vector> {
    return BuildRows(context, args, rows, result, [&](int64_t row, VectorBuilder& out) -> Status {
      FLOE_ASSIGN_OR_RETURN(T value, fn(args, row));
      if constexpr (std::is_same_v<T, bool>) {
        return out.AppendBool(value);
      } else {
        return out.template Append<T>(value);
      }
    });
  };
}

std::string_view Arg(std::span<const Vector> args, size_t index, int64_t row) {
  return args[index].GetString(row);
}

int64_t IntArg(std::span<const Vector> args, size_t index, int64_t row) {
  return ReadInteger(args[index], row);
}

// Appends characters [start, start + count) (0-based, clamped) of `text`.
void AppendChars(std::string_view text, int64_t start, int64_t count, std::string& out) {
  if (count <= 0) {
    return;
  }
  size_t begin = Utf8Offset(text, std::max<int64_t>(start, 0));
  size_t end = begin + Utf8Offset(text.substr(begin), count);
  out.append(text.substr(begin, end - begin));
}

// PostgreSQL's substring(s from start for count): characters start .. start + count - 1 (1-based),
// where positions before the first character count but select nothing.
Status Substring(std::string_view text, int64_t start, std::optional<int64_t> count,
                 std::string& out) {
  if (!count.has_value()) {
    AppendChars(text, start - 1, INT64_MAX, out);
    return Status::OK();
  }
  if (*count < 0) {
    return Status::InvalidArgument("negative substring length not allowed").WithSqlState("22011");
  }
  int64_t end = start > INT64_MAX - *count ? INT64_MAX : start + *count;  // Exclusive, 1-based.
  int64_t first = std::max<int64_t>(start, 1);
  AppendChars(text, first - 1, end - first, out);
  return Status::OK();
}

bool InSet(std::string_view set, std::string_view character) {
  size_t position = 0;
  while (position < set.size()) {
    auto length = static_cast<size_t>(Utf8CharLength(static_cast<unsigned char>(set[position])));
    if (set.substr(position, length) == character) {
      return true;
    }
    position += length;
  }
  return false;
}

std::string_view Trim(std::string_view text, std::string_view set, bool left, bool right) {
  if (left) {
    while (!text.empty()) {
      auto length = static_cast<size_t>(Utf8CharLength(static_cast<unsigned char>(text[0])));
      if (!InSet(set, text.substr(0, length))) {
        break;
      }
      text.remove_prefix(std::min(length, text.size()));
    }
  }
  if (right) {
    while (!text.empty()) {
      size_t start = text.size() - 1;
      while (start > 0 && (static_cast<unsigned char>(text[start]) & 0xC0) == 0x80) {
        --start;
      }
      if (!InSet(set, text.substr(start))) {
        break;
      }
      text.remove_suffix(text.size() - start);
    }
  }
  return text;
}

void RegisterLengths(FunctionRegistry& registry) {
  auto characters = ValueKernel<int32_t>(
      LogicalType::Integer(), [](std::span<const Vector> args, int64_t row) -> Result<int32_t> {
        return static_cast<int32_t>(Utf8Length(Arg(args, 0, row)));
      });
  for (const char* name : {"length", "char_length", "character_length"}) {
    registry.AddScalar(FixedOverload(name, {kText}, LogicalType::Integer(), characters));
  }
  auto bytes = ValueKernel<int32_t>(
      LogicalType::Integer(), [](std::span<const Vector> args, int64_t row) -> Result<int32_t> {
        return static_cast<int32_t>(Arg(args, 0, row).size());
      });
  registry.AddScalar(FixedOverload("octet_length", {kText}, LogicalType::Integer(), bytes));
  registry.AddScalar(
      FixedOverload("octet_length", {TypeId::kBytea}, LogicalType::Integer(), bytes));
  registry.AddScalar(FixedOverload("length", {TypeId::kBytea}, LogicalType::Integer(), bytes));
  registry.AddScalar(FixedOverload(
      "bit_length", {kText}, LogicalType::Integer(),
      ValueKernel<int32_t>(LogicalType::Integer(),
                           [](std::span<const Vector> args, int64_t row) -> Result<int32_t> {
                             return static_cast<int32_t>(Arg(args, 0, row).size() * 8);
                           })));
}

void RegisterCase(FunctionRegistry& registry) {
  registry.AddScalar(
      FixedOverload("lower", {kText}, LogicalType::Varchar(),
                    TextKernel([](std::span<const Vector> args, int64_t row, std::string& out) {
                      AppendLower(Arg(args, 0, row), out);
                      return Status::OK();
                    })));
  registry.AddScalar(
      FixedOverload("upper", {kText}, LogicalType::Varchar(),
                    TextKernel([](std::span<const Vector> args, int64_t row, std::string& out) {
                      AppendUpper(Arg(args, 0, row), out);
                      return Status::OK();
                    })));
  registry.AddScalar(FixedOverload(
      "initcap", {kText}, LogicalType::Varchar(),
      TextKernel([](std::span<const Vector> args, int64_t row, std::string& out) {
        std::string_view text = Arg(args, 0, row);
        bool in_word = false;
        size_t position = 0;
        while (position < text.size()) {
          int length = 0;
          char32_t c = DecodeUtf8(text, position, &length);
          bool is_alnum = (c < 0x80 && std::isalnum(static_cast<int>(c)) != 0) ||
                          (c >= 0x80 && (ToLowerCodePoint(c) != c || ToUpperCodePoint(c) != c));
          AppendUtf8(in_word ? ToLowerCodePoint(c) : ToUpperCodePoint(c), out);
          in_word = is_alnum;
          position += static_cast<size_t>(length);
        }
        return Status::OK();
      })));
}

void RegisterSubstrings(FunctionRegistry& registry) {
  auto two = TextKernel([](std::span<const Vector> args, int64_t row, std::string& out) {
    return Substring(Arg(args, 0, row), IntArg(args, 1, row), std::nullopt, out);
  });
  auto three = TextKernel([](std::span<const Vector> args, int64_t row, std::string& out) {
    return Substring(Arg(args, 0, row), IntArg(args, 1, row), IntArg(args, 2, row), out);
  });
  for (const char* name : {"substring", "substr"}) {
    registry.AddScalar(FixedOverload(name, {kText, TypeId::kInteger}, LogicalType::Varchar(), two));
    registry.AddScalar(FixedOverload(name, {kText, TypeId::kInteger, TypeId::kInteger},
                                     LogicalType::Varchar(), three));
  }
  registry.AddScalar(
      FixedOverload("left", {kText, TypeId::kInteger}, LogicalType::Varchar(),
                    TextKernel([](std::span<const Vector> args, int64_t row, std::string& out) {
                      std::string_view text = Arg(args, 0, row);
                      int64_t n = IntArg(args, 1, row);
                      AppendChars(text, 0, n >= 0 ? n : Utf8Length(text) + n, out);
                      return Status::OK();
                    })));
  registry.AddScalar(FixedOverload(
      "right", {kText, TypeId::kInteger}, LogicalType::Varchar(),
      TextKernel([](std::span<const Vector> args, int64_t row, std::string& out) {
        std::string_view text = Arg(args, 0, row);
        int64_t n = IntArg(args, 1, row);
        int64_t length = Utf8Length(text);
        int64_t start = n >= 0 ? std::max<int64_t>(length - n, 0) : std::min(-n, length);
        AppendChars(text, start, length - start, out);
        return Status::OK();
      })));
  auto position = ValueKernel<int32_t>(
      LogicalType::Integer(), [](std::span<const Vector> args, int64_t row) -> Result<int32_t> {
        std::string_view text = Arg(args, 0, row);
        size_t found = text.find(Arg(args, 1, row));
        if (found == std::string_view::npos) {
          return 0;
        }
        return static_cast<int32_t>(Utf8Length(text.substr(0, found)) + 1);
      });
  registry.AddScalar(FixedOverload("strpos", {kText, kText}, LogicalType::Integer(), position));
  // position(substring IN text) is position(text, substring), as in PostgreSQL's catalog.
  registry.AddScalar(FixedOverload("position", {kText, kText}, LogicalType::Integer(), position));
  registry.AddScalar(FixedOverload(
      "starts_with", {kText, kText}, LogicalType::Boolean(),
      ValueKernel<bool>(LogicalType::Boolean(),
                        [](std::span<const Vector> args, int64_t row) -> Result<bool> {
                          return Arg(args, 0, row).starts_with(Arg(args, 1, row));
                        })));
  registry.AddScalar(FixedOverload(
      "split_part", {kText, kText, TypeId::kInteger}, LogicalType::Varchar(),
      TextKernel([](std::span<const Vector> args, int64_t row, std::string& out) -> Status {
        std::string_view text = Arg(args, 0, row);
        std::string_view delimiter = Arg(args, 1, row);
        int64_t field = IntArg(args, 2, row);
        if (field == 0) {
          return Status::InvalidArgument("field position must not be zero").WithSqlState("22023");
        }
        if (text.empty()) {
          return Status::OK();
        }
        std::vector<std::string_view> parts;
        if (delimiter.empty()) {
          parts.push_back(text);
        } else {
          size_t start = 0;
          while (true) {
            size_t found = text.find(delimiter, start);
            parts.push_back(text.substr(start, found - start));
            if (found == std::string_view::npos) {
              break;
            }
            start = found + delimiter.size();
          }
        }
        auto count = static_cast<int64_t>(parts.size());
        int64_t index = field > 0 ? field - 1 : count + field;
        if (index >= 0 && index < count) {
          out.append(parts[static_cast<size_t>(index)]);
        }
        return Status::OK();
      })));
}

void RegisterTrims(FunctionRegistry& registry) {
  struct Trimmer {
    const char* name;
    bool left;
    bool right;
  };
  for (Trimmer trim : {Trimmer{"btrim", true, true}, Trimmer{"trim", true, true},
                       Trimmer{"ltrim", true, false}, Trimmer{"rtrim", false, true}}) {
    registry.AddScalar(FixedOverload(
        trim.name, {kText}, LogicalType::Varchar(),
        TextKernel([trim](std::span<const Vector> args, int64_t row, std::string& out) {
          out.append(Trim(Arg(args, 0, row), " ", trim.left, trim.right));
          return Status::OK();
        })));
    registry.AddScalar(FixedOverload(
        trim.name, {kText, kText}, LogicalType::Varchar(),
        TextKernel([trim](std::span<const Vector> args, int64_t row, std::string& out) {
          out.append(Trim(Arg(args, 0, row), Arg(args, 1, row), trim.left, trim.right));
          return Status::OK();
        })));
  }
}

Status Pad(std::string_view text, int64_t length, std::string_view fill, bool left,
           std::string& out) {
  int64_t current = Utf8Length(text);
  if (length <= current || fill.empty()) {
    AppendChars(text, 0, std::max<int64_t>(length, 0), out);
    if (fill.empty() && length > current) {
      out.assign(text);
    }
    return Status::OK();
  }
  if (length > 10'000'000) {
    return Status::InvalidArgument("requested length too large").WithSqlState("54000");
  }
  std::string padding;
  int64_t fill_length = Utf8Length(fill);
  for (int64_t needed = length - current; needed > 0; needed -= fill_length) {
    AppendChars(fill, 0, std::min(needed, fill_length), padding);
  }
  if (left) {
    out.append(padding).append(text);
  } else {
    out.append(text).append(padding);
  }
  return Status::OK();
}

void RegisterBuilders(FunctionRegistry& registry) {
  for (bool left : {true, false}) {
    const char* name = left ? "lpad" : "rpad";
    registry.AddScalar(FixedOverload(
        name, {kText, TypeId::kInteger}, LogicalType::Varchar(),
        TextKernel([left](std::span<const Vector> args, int64_t row, std::string& out) {
          return Pad(Arg(args, 0, row), IntArg(args, 1, row), " ", left, out);
        })));
    registry.AddScalar(FixedOverload(
        name, {kText, TypeId::kInteger, kText}, LogicalType::Varchar(),
        TextKernel([left](std::span<const Vector> args, int64_t row, std::string& out) {
          return Pad(Arg(args, 0, row), IntArg(args, 1, row), Arg(args, 2, row), left, out);
        })));
  }
  registry.AddScalar(FixedOverload(
      "repeat", {kText, TypeId::kInteger}, LogicalType::Varchar(),
      TextKernel([](std::span<const Vector> args, int64_t row, std::string& out) -> Status {
        std::string_view text = Arg(args, 0, row);
        int64_t count = IntArg(args, 1, row);
        if (count > 0 && static_cast<int64_t>(text.size()) * count > (int64_t{1} << 30)) {
          return Status::InvalidArgument("requested length too large").WithSqlState("54000");
        }
        for (int64_t index = 0; index < count; ++index) {
          out.append(text);
        }
        return Status::OK();
      })));
  registry.AddScalar(FixedOverload(
      "reverse", {kText}, LogicalType::Varchar(),
      TextKernel([](std::span<const Vector> args, int64_t row, std::string& out) {
        std::string_view text = Arg(args, 0, row);
        size_t end = text.size();
        while (end > 0) {
          size_t start = end - 1;
          while (start > 0 && (static_cast<unsigned char>(text[start]) & 0xC0) == 0x80) {
            --start;
          }
          out.append(text.substr(start, end - start));
          end = start;
        }
        return Status::OK();
      })));
  registry.AddScalar(
      FixedOverload("replace", {kText, kText, kText}, LogicalType::Varchar(),
                    TextKernel([](std::span<const Vector> args, int64_t row, std::string& out) {
                      std::string_view text = Arg(args, 0, row);
                      std::string_view from = Arg(args, 1, row);
                      std::string_view to = Arg(args, 2, row);
                      if (from.empty()) {
                        out.append(text);
                        return Status::OK();
                      }
                      size_t start = 0;
                      while (true) {
                        size_t found = text.find(from, start);
                        out.append(text.substr(start, found - start));
                        if (found == std::string_view::npos) {
                          break;
                        }
                        out.append(to);
                        start = found + from.size();
                      }
                      return Status::OK();
                    })));
  registry.AddScalar(FixedOverload(
      "translate", {kText, kText, kText}, LogicalType::Varchar(),
      TextKernel([](std::span<const Vector> args, int64_t row, std::string& out) {
        std::string_view text = Arg(args, 0, row);
        std::string_view from = Arg(args, 1, row);
        std::string_view to = Arg(args, 2, row);
        size_t position = 0;
        while (position < text.size()) {
          auto length =
              static_cast<size_t>(Utf8CharLength(static_cast<unsigned char>(text[position])));
          std::string_view character = text.substr(position, length);
          // Find the character's index in `from`, then the character at that index in `to`.
          int64_t index = 0;
          size_t from_position = 0;
          bool found = false;
          while (from_position < from.size()) {
            auto from_length = static_cast<size_t>(
                Utf8CharLength(static_cast<unsigned char>(from[from_position])));
            if (from.substr(from_position, from_length) == character) {
              found = true;
              break;
            }
            from_position += from_length;
            ++index;
          }
          if (!found) {
            out.append(character);
          } else {
            AppendChars(to, index, 1, out);
          }
          position += length;
        }
        return Status::OK();
      })));
}

void RegisterCharacterCodes(FunctionRegistry& registry) {
  registry.AddScalar(FixedOverload(
      "ascii", {kText}, LogicalType::Integer(),
      ValueKernel<int32_t>(LogicalType::Integer(),
                           [](std::span<const Vector> args, int64_t row) -> Result<int32_t> {
                             std::string_view text = Arg(args, 0, row);
                             if (text.empty()) {
                               return 0;
                             }
                             int length = 0;
                             return static_cast<int32_t>(DecodeUtf8(text, 0, &length));
                           })));
  registry.AddScalar(FixedOverload(
      "chr", {TypeId::kInteger}, LogicalType::Varchar(),
      TextKernel([](std::span<const Vector> args, int64_t row, std::string& out) -> Status {
        int64_t code = IntArg(args, 0, row);
        if (code == 0) {
          return Status::InvalidArgument("null character not permitted").WithSqlState("54000");
        }
        if (code < 0) {
          return Status::InvalidArgument("character number must be positive").WithSqlState("54000");
        }
        if (code > 0x10FFFF) {
          return Status::InvalidArgument("requested character too large for encoding: {}", code)
              .WithSqlState("54000");
        }
        if (code >= 0xD800 && code <= 0xDFFF) {
          return Status::InvalidArgument("requested character not valid for encoding: {}", code)
              .WithSqlState("54000");
        }
        AppendUtf8(static_cast<char32_t>(code), out);
        return Status::OK();
      })));
  registry.AddScalar(
      FixedOverload("md5", {kText}, LogicalType::Varchar(),
                    TextKernel([](std::span<const Vector> args, int64_t row, std::string& out) {
                      out.append(Md5Hex(Arg(args, 0, row)));
                      return Status::OK();
                    })));
  for (TypeId id : {TypeId::kInteger, TypeId::kBigInt}) {
    registry.AddScalar(
        FixedOverload("to_hex", {id}, LogicalType::Varchar(),
                      TextKernel([id](std::span<const Vector> args, int64_t row, std::string& out) {
                        uint64_t value = id == TypeId::kInteger
                                             ? static_cast<uint32_t>(args[0].Get<int32_t>(row))
                                             : static_cast<uint64_t>(args[0].Get<int64_t>(row));
                        out.append(fmt::format("{:x}", value));
                        return Status::OK();
                      })));
  }
}

// Reserved words that quote_ident() must quote (PostgreSQL's reserved key words).
bool IsReservedWord(std::string_view word) {
  static constexpr std::array<std::string_view, 78> kReserved = {
      "all",          "analyse",
      "analyze",      "and",
      "any",          "array",
      "as",           "asc",
      "asymmetric",   "both",
      "case",         "cast",
      "check",        "collate",
      "column",       "constraint",
      "create",       "current_catalog",
      "current_date", "current_role",
      "current_time", "current_timestamp",
      "current_user", "default",
      "deferrable",   "desc",
      "distinct",     "do",
      "else",         "end",
      "except",       "false",
      "fetch",        "for",
      "foreign",      "from",
      "grant",        "group",
      "having",       "in",
      "initially",    "intersect",
      "into",         "lateral",
      "leading",      "limit",
      "localtime",    "localtimestamp",
      "not",          "null",
      "offset",       "on",
      "only",         "or",
      "order",        "placing",
      "primary",      "references",
      "returning",    "select",
      "session_user", "some",
      "symmetric",    "table",
      "then",         "to",
      "trailing",     "true",
      "union",        "unique",
      "user",         "using",
      "variadic",     "when",
      "where",        "window",
      "with",         "authorization"};
  return std::find(kReserved.begin(), kReserved.end(), word) != kReserved.end();
}

}  // namespace

void QuoteIdentifier(std::string_view text, std::string& out) {
  bool plain = !text.empty() && !IsReservedWord(text) &&
               ((text[0] >= 'a' && text[0] <= 'z') || text[0] == '_');
  for (char c : text) {
    plain = plain && ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_');
  }
  if (plain) {
    out.append(text);
    return;
  }
  out.push_back('"');
  for (char c : text) {
    if (c == '"') {
      out.push_back('"');
    }
    out.push_back(c);
  }
  out.push_back('"');
}

void QuoteLiteral(std::string_view text, std::string& out) {
  if (text.find('\\') != std::string_view::npos) {
    out.push_back('E');
  }
  out.push_back('\'');
  for (char c : text) {
    if (c == '\'' || c == '\\') {
      out.push_back(c);
    }
    out.push_back(c);
  }
  out.push_back('\'');
}

namespace {

void RegisterQuoting(FunctionRegistry& registry) {
  registry.AddScalar(
      FixedOverload("quote_ident", {kText}, LogicalType::Varchar(),
                    TextKernel([](std::span<const Vector> args, int64_t row, std::string& out) {
                      QuoteIdentifier(Arg(args, 0, row), out);
                      return Status::OK();
                    })));
  registry.AddScalar(
      FixedOverload("quote_literal", {kText}, LogicalType::Varchar(),
                    TextKernel([](std::span<const Vector> args, int64_t row, std::string& out) {
                      QuoteLiteral(Arg(args, 0, row), out);
                      return Status::OK();
                    })));
}

}  // namespace

void RegisterStringFunctions(FunctionRegistry& registry) {
  RegisterLengths(registry);
  RegisterCase(registry);
  RegisterSubstrings(registry);
  RegisterTrims(registry);
  RegisterBuilders(registry);
  RegisterCharacterCodes(registry);
  RegisterQuoting(registry);
}

}  // namespace floe::sql::internal
