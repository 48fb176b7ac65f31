// Functions that see NULL arguments or take arguments of any type: coalesce, nullif, greatest,
// least, concat, concat_ws, format, the || operator, pg_typeof, gen_random_uuid, and the row
// count check of decorrelated scalar subqueries.

#include <cstring>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "sql/functions/cast_vector.h"
#include "sql/functions/registration_internal.h"
#include "sql/functions/text_internal.h"
#include "types/uuid.h"
#include "types/value.h"

namespace floe::sql::internal {
namespace {

using types::LogicalType;
using types::TypeId;
using types::Value;
using vector::Vector;
using vector::VectorBuilder;

// An overload that sees NULL arguments; all-constant arguments are still computed once.
template <typename Make>
ScalarOverload NonStrictOverload(std::string name, std::vector<ArgumentSpec> specs,
                                 bool is_variadic, Make make) {
  ScalarOverload overload;
  overload.name = std::move(name);
  overload.arguments = std::move(specs);
  overload.is_variadic = is_variadic;
  overload.strict = false;
  overload.bind = [make](std::span<const LogicalType> types) -> Result<BoundScalar> {
    FLOE_ASSIGN_OR_RETURN(BoundScalar bound, make(types));
    bound.kernel = ConstantFoldingKernel(std::move(bound.kernel));
    return bound;
  };
  return overload;
}

// The text a value prints as (its output function): booleans as 't' and 'f', unlike the cast
// to text. concat() and format() use it.
Result<Vector> OutputText(FunctionContext& context, const Vector& arg, int64_t rows) {
  if (arg.type().id() == TypeId::kVarchar) {
    return arg;
  }
  if (arg.type().id() == TypeId::kNull) {
    return Vector::MakeConstantNull(LogicalType::Varchar(), rows, context.tracker);
  }
  if (arg.type().id() != TypeId::kBoolean) {
    return CastVector(context, arg, rows, LogicalType::Varchar());
  }
  std::span<const Vector> args(&arg, 1);
  return BuildRows(context, args, rows, LogicalType::Varchar(),
                   [&](int64_t row, VectorBuilder& out) {
                     return out.AppendString(arg.GetBool(row) ? "t" : "f");
                   });
}

Result<std::vector<Vector>> OutputTexts(FunctionContext& context, std::span<const Vector> args,
                                        int64_t rows, size_t first) {
  std::vector<Vector> texts;
  for (size_t index = first; index < args.size(); ++index) {
    FLOE_ASSIGN_OR_RETURN(Vector text, OutputText(context, args[index], rows));
    texts.push_back(std::move(text));
  }
  return texts;
}

// Returns the index of the first argument that is not NULL at `row`, or -1.
int FirstValid(std::span<const Vector> args, int64_t row) {
  for (size_t index = 0; index < args.size(); ++index) {
    if (!args[index].IsNull(row)) {
      return static_cast<int>(index);
    }
  }
  return -1;
}

// coalesce copies each row's bytes from the first non-NULL argument: fixed-width values and
// strings directly, other types through Values.
Result<Vector> Coalesce(FunctionContext& context, std::span<const Vector> args, int64_t rows,
                        const LogicalType& type) {
  int width = type.PhysicalWidth();
  if (width > 0) {
    FLOE_ASSIGN_OR_RETURN(std::shared_ptr<vector::Buffer> values,
                          vector::Buffer::Allocate(rows * width, context.tracker));
    FLOE_ASSIGN_OR_RETURN(
        std::shared_ptr<vector::Buffer> validity,
        vector::Buffer::AllocateZeroed(vector::BitmapBytes(rows), context.tracker));
    uint8_t* out = values->mutable_data();
    int64_t nulls = 0;
    for (int64_t row = 0; row < rows; ++row) {
      int index = FirstValid(args, row);
      if (index < 0) {
        ++nulls;
        continue;
      }
      const Vector& arg = args[static_cast<size_t>(index)];
      const Vector& source = arg.ValueSource();
      const uint8_t* bytes =
          source.values_buffer()->data() + (source.offset() + arg.ValueIndex(row)) * width;
      std::memcpy(out + row * width, bytes, static_cast<size_t>(width));
      vector::SetBit(validity->mutable_data(), row);
    }
    return Vector::MakeFlat(type, rows, 0, nulls > 0 ? validity : nullptr, std::move(values),
                            nullptr, {}, nulls);
  }
  return BuildAllRows(context, rows, type, [&](int64_t row, VectorBuilder& out) -> Status {
    int index = FirstValid(args, row);
    if (index < 0) {
      return out.AppendNull();
    }
    const Vector& arg = args[static_cast<size_t>(index)];
    if (type.id() == TypeId::kVarchar || type.id() == TypeId::kBytea) {
      return out.AppendString(arg.GetString(row));
    }
    if (type.id() == TypeId::kBoolean) {
      return out.AppendBool(arg.GetBool(row));
    }
    FLOE_ASSIGN_OR_RETURN(Value value, arg.GetValue(row));
    return out.AppendValue(value);
  });
}

void RegisterCoalesceFamily(FunctionRegistry& registry) {
  registry.AddScalar(NonStrictOverload(
      "coalesce", {ArgumentSpec::AnyElement()}, true,
      [](std::span<const LogicalType> types) -> Result<BoundScalar> {
        LogicalType type = types[0];
        ScalarKernel kernel = [type](FunctionContext& context, std::span<const Vector> args,
                                     int64_t rows) -> Result<Vector> {
          return Coalesce(context, args, rows, type);
        };
        return BoundScalar{type, kernel};
      }));
  for (bool is_greatest : {true, false}) {
    registry.AddScalar(NonStrictOverload(
        is_greatest ? "greatest" : "least", {ArgumentSpec::AnyElement()}, true,
        [is_greatest](std::span<const LogicalType> types) -> Result<BoundScalar> {
          LogicalType type = types[0];
          ScalarKernel kernel = [type, is_greatest](FunctionContext& context,
                                                    std::span<const Vector> args,
                                                    int64_t rows) -> Result<Vector> {
            return BuildAllRows(
                context, rows, type, [&](int64_t row, VectorBuilder& out) -> Status {
                  std::optional<Value> best;
                  for (const Vector& arg : args) {
                    if (arg.IsNull(row)) {
                      continue;
                    }
                    FLOE_ASSIGN_OR_RETURN(Value value, arg.GetValue(row));
                    int order = best.has_value() ? value.Compare(*best) : 0;
                    if (!best.has_value() || (is_greatest ? order > 0 : order < 0)) {
                      best = std::move(value);
                    }
                  }
                  return best.has_value() ? out.AppendValue(*best) : out.AppendNull();
                });
          };
          return BoundScalar{type, kernel};
        }));
  }
  registry.AddScalar(NonStrictOverload(
      "nullif", {ArgumentSpec::AnyElement(), ArgumentSpec::AnyElement()}, false,
      [](std::span<const LogicalType> types) -> Result<BoundScalar> {
        LogicalType type = types[0];
        ScalarKernel kernel = [type](FunctionContext& context, std::span<const Vector> args,
                                     int64_t rows) -> Result<Vector> {
          return BuildAllRows(context, rows, type, [&](int64_t row, VectorBuilder& out) -> Status {
            if (args[0].IsNull(row)) {
              return out.AppendNull();
            }
            FLOE_ASSIGN_OR_RETURN(Value value, args[0].GetValue(row));
            if (!args[1].IsNull(row)) {
              FLOE_ASSIGN_OR_RETURN(Value other, args[1].GetValue(row));
              if (value.Compare(other) == 0) {
                return out.AppendNull();
              }
            }
            return out.AppendValue(value);
          });
        };
        return BoundScalar{type, kernel};
      }));
}

void RegisterConcatenation(FunctionRegistry& registry) {
  registry.AddScalar(NonStrictOverload(
      "concat", {ArgumentSpec::Any()}, true,
      [](std::span<const LogicalType>) -> Result<BoundScalar> {
        ScalarKernel kernel = [](FunctionContext& context, std::span<const Vector> args,
                                 int64_t rows) -> Result<Vector> {
          FLOE_ASSIGN_OR_RETURN(std::vector<Vector> texts, OutputTexts(context, args, rows, 0));
          std::string buffer;
          return BuildAllRows(context, rows, LogicalType::Varchar(),
                              [&](int64_t row, VectorBuilder& out) {
                                buffer.clear();
                                for (const Vector& text : texts) {
                                  if (!text.IsNull(row)) {
                                    buffer.append(text.GetString(row));
                                  }
                                }
                                return out.AppendString(buffer);
                              });
        };
        return BoundScalar{LogicalType::Varchar(), kernel};
      }));
  registry.AddScalar(NonStrictOverload(
      "concat_ws", {ArgumentSpec::Of(TypeId::kVarchar), ArgumentSpec::Any()}, true,
      [](std::span<const LogicalType>) -> Result<BoundScalar> {
        ScalarKernel kernel = [](FunctionContext& context, std::span<const Vector> args,
                                 int64_t rows) -> Result<Vector> {
          FLOE_ASSIGN_OR_RETURN(std::vector<Vector> texts, OutputTexts(context, args, rows, 1));
          std::string buffer;
          return BuildAllRows(context, rows, LogicalType::Varchar(),
                              [&](int64_t row, VectorBuilder& out) {
                                if (args[0].IsNull(row)) {
                                  return out.AppendNull();
                                }
                                std::string_view separator = args[0].GetString(row);
                                buffer.clear();
                                bool first = true;
                                for (const Vector& text : texts) {
                                  if (text.IsNull(row)) {
                                    continue;
                                  }
                                  if (!first) {
                                    buffer.append(separator);
                                  }
                                  buffer.append(text.GetString(row));
                                  first = false;
                                }
                                return out.AppendString(buffer);
                              });
        };
        return BoundScalar{LogicalType::Varchar(), kernel};
      }));
  // text || anything: the other operand is cast to text (so true gives 'true').
  auto concat_operator = [](std::span<const LogicalType>) -> Result<BoundScalar> {
    ScalarKernel kernel = [](FunctionContext& context, std::span<const Vector> args,
                             int64_t rows) -> Result<Vector> {
      FLOE_ASSIGN_OR_RETURN(Vector left,
                            CastVector(context, args[0], rows, LogicalType::Varchar()));
      FLOE_ASSIGN_OR_RETURN(Vector right,
                            CastVector(context, args[1], rows, LogicalType::Varchar()));
      std::vector<Vector> texts = {left, right};
      std::string buffer;
      return BuildRows(context, texts, rows, LogicalType::Varchar(),
                       [&](int64_t row, VectorBuilder& out) {
                         buffer.assign(left.GetString(row));
                         buffer.append(right.GetString(row));
                         return out.AppendString(buffer);
                       });
    };
    return BoundScalar{LogicalType::Varchar(), kernel};
  };
  registry.AddScalar(
      BoundOverload("||", Specs({TypeId::kVarchar, TypeId::kVarchar}), concat_operator));
  registry.AddScalar(BoundOverload("||", {ArgumentSpec::Of(TypeId::kVarchar), ArgumentSpec::Any()},
                                   concat_operator));
  registry.AddScalar(BoundOverload("||", {ArgumentSpec::Any(), ArgumentSpec::Of(TypeId::kVarchar)},
                                   concat_operator));
}

// format(): %s (the value's text, NULL as nothing), %I (quote_ident), %L (quote_literal, NULL
// as NULL) and %%. Widths, flags and positions are NotSupported.
Status FormatRow(std::string_view format, std::span<const Vector> texts, int64_t row,
                 std::string& out) {
  size_t next = 0;
  for (size_t position = 0; position < format.size(); ++position) {
    char c = format[position];
    if (c != '%') {
      out.push_back(c);
      continue;
    }
    if (++position >= format.size()) {
      return Status::InvalidArgument("unterminated format() type specifier")
          .WithSqlState("22023")
          .WithHint("For a single \"%\" use \"%%\".");
    }
    char kind = format[position];
    if (kind == '%') {
      out.push_back('%');
      continue;
    }
    if (kind != 's' && kind != 'I' && kind != 'L') {
      if ((kind >= '0' && kind <= '9') || kind == '-' || kind == '*') {
        return Status::NotSupported("format() widths, flags and argument positions");
      }
      return Status::InvalidArgument("unrecognized format() type specifier \"{}\"",
                                     std::string(1, kind))
          .WithSqlState("22023")
          .WithHint("For a single \"%\" use \"%%\".");
    }
    if (next >= texts.size()) {
      return Status::InvalidArgument("too few arguments for format()").WithSqlState("22023");
    }
    const Vector& text = texts[next++];
    bool is_null = text.IsNull(row);
    if (kind == 's') {
      if (!is_null) {
        out.append(text.GetString(row));
      }
    } else if (kind == 'I') {
      if (is_null) {
        return Status::InvalidArgument("null values cannot be formatted as an SQL identifier")
            .WithSqlState("22004");
      }
      QuoteIdentifier(text.GetString(row), out);
    } else if (is_null) {
      out.append("NULL");
    } else {
      QuoteLiteral(text.GetString(row), out);
    }
  }
  return Status::OK();
}

void RegisterFormat(FunctionRegistry& registry) {
  auto make = [](std::span<const LogicalType>) -> Result<BoundScalar> {
    ScalarKernel kernel = [](FunctionContext& context, std::span<const Vector> args,
                             int64_t rows) -> Result<Vector> {
      FLOE_ASSIGN_OR_RETURN(std::vector<Vector> texts, OutputTexts(context, args, rows, 1));
      std::string buffer;
      return BuildAllRows(
          context, rows, LogicalType::Varchar(), [&](int64_t row, VectorBuilder& out) -> Status {
            if (args[0].IsNull(row)) {
              return out.AppendNull();
            }
            buffer.clear();
            FLOE_RETURN_NOT_OK(FormatRow(args[0].GetString(row), texts, row, buffer));
            return out.AppendString(buffer);
          });
    };
    return BoundScalar{LogicalType::Varchar(), kernel};
  };
  registry.AddScalar(NonStrictOverload("format", Specs({TypeId::kVarchar}), false, make));
  registry.AddScalar(NonStrictOverload(
      "format", {ArgumentSpec::Of(TypeId::kVarchar), ArgumentSpec::Any()}, true, make));
}

void RegisterIntrospection(FunctionRegistry& registry) {
  registry.AddScalar(NonStrictOverload(
      "pg_typeof", {ArgumentSpec::Any()}, false,
      [](std::span<const LogicalType> types) -> Result<BoundScalar> {
        std::string name = TypeNameForError(types[0]);
        ScalarKernel kernel = [name](FunctionContext& context, std::span<const Vector>,
                                     int64_t rows) -> Result<Vector> {
          VectorBuilder builder(LogicalType::Varchar(), context.tracker);
          FLOE_RETURN_NOT_OK(builder.AppendString(name));
          FLOE_ASSIGN_OR_RETURN(Vector one, builder.Finish());
          return Vector::MakeConstant(one, 0, rows, context.tracker);
        };
        return BoundScalar{LogicalType::Varchar(), kernel};
      }));
  ScalarOverload uuid;
  uuid.name = "gen_random_uuid";
  uuid.deterministic = false;
  uuid.bind = [](std::span<const LogicalType>) -> Result<BoundScalar> {
    ScalarKernel kernel = [](FunctionContext& context, std::span<const Vector>,
                             int64_t rows) -> Result<Vector> {
      thread_local std::mt19937_64 engine{std::random_device{}()};
      VectorBuilder builder(LogicalType::Uuid(), context.tracker);
      FLOE_ASSIGN_OR_RETURN(types::Uuid * out, builder.AppendUninitialized<types::Uuid>(rows));
      for (int64_t row = 0; row < rows; ++row) {
        uint64_t high = engine();
        uint64_t low = engine();
        for (int index = 0; index < 8; ++index) {
          out[row].bytes[static_cast<size_t>(index)] = static_cast<uint8_t>(high >> (8 * index));
          out[row].bytes[static_cast<size_t>(index + 8)] = static_cast<uint8_t>(low >> (8 * index));
        }
        // RFC 4122 version 4 (random) and variant 10.
        out[row].bytes[6] = static_cast<uint8_t>((out[row].bytes[6] & 0x0F) | 0x40);
        out[row].bytes[8] = static_cast<uint8_t>((out[row].bytes[8] & 0x3F) | 0x80);
      }
      return builder.Finish();
    };
    return BoundScalar{LogicalType::Uuid(), kernel};
  };
  registry.AddScalar(uuid);
}

}  // namespace

// A correlated scalar subquery without an aggregate is decorrelated into a join with its rows
// counted per outer key (subquery_binder.cc); this check runs on the joined rows, so that only
// an outer row actually meeting several subquery rows fails, as in PostgreSQL.
void RegisterSubqueryRowCheck(FunctionRegistry& registry) {
  registry.AddScalar(FixedOverload(
      "floe_subquery_row_check", {TypeId::kBigInt}, LogicalType::Boolean(),
      [](FunctionContext& context, std::span<const Vector> args, int64_t rows) -> Result<Vector> {
        return BuildRows(context, args, rows, LogicalType::Boolean(),
                         [&](int64_t row, VectorBuilder& out) -> Status {
                           if (args[0].Get<int64_t>(row) > 1) {
                             return Status::InvalidArgument(
                                        "more than one row returned by a subquery used as an "
                                        "expression")
                                 .WithSqlState("21000");
                           }
                           return out.AppendBool(true);
                         });
      }));
}

void RegisterConditionalFunctions(FunctionRegistry& registry) {
  RegisterCoalesceFamily(registry);
  RegisterConcatenation(registry);
  RegisterFormat(registry);
  RegisterIntrospection(registry);
  RegisterSubqueryRowCheck(registry);
}

}  // namespace floe::sql::internal
