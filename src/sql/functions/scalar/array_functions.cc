// array_to_string, string_to_array, array_length, array_upper, array_lower, array_ndims,
// cardinality and array_position. Arrays are LISTs starting at subscript 1; a LIST of LISTs is
// a multidimensional array.
#include <string>
#include <vector>

#include "sql/functions/registration_internal.h"
#include "types/cast.h"
#include "types/value.h"
#include "vector/vector_builder.h"

namespace floe::sql::internal {
namespace {

using types::LogicalType;
using types::TypeId;
using types::Value;
using vector::Vector;
using vector::VectorBuilder;

// Appends the elements of `array` in order, nested arrays flattened as PostgreSQL does for
// multidimensional arrays. NULL elements are skipped unless a `null_text` is given.
void AppendElements(const Value& array, std::string_view delimiter, const std::string* null_text,
                    bool& is_first, std::string& out) {
  for (const Value& element : array.children()) {
    if (!element.is_null() && element.type().id() == TypeId::kList) {
      AppendElements(element, delimiter, null_text, is_first, out);
      continue;
    }
    if (element.is_null() && null_text == nullptr) {
      continue;
    }
    if (!is_first) {
      out += delimiter;
    }
    is_first = false;
    out += element.is_null() ? *null_text : element.ToString();
  }
}

ScalarKernel ArrayToString() {
  return
      [](FunctionContext& context, std::span<const Vector> args, int64_t rows) -> Result<Vector> {
        std::string text;
        return BuildAllRows(context, rows, LogicalType::Varchar(),
                            [&](int64_t row, VectorBuilder& out) -> Status {
                              // NULL array or delimiter: NULL, as the function is strict in its
                              // first two arguments.
                              if (args[0].IsNull(row) || args[1].IsNull(row)) {
                                return out.AppendNull();
                              }
                              FLOE_ASSIGN_OR_RETURN(Value array, args[0].GetValue(row));
                              std::string null_text;
                              bool has_null_text = args.size() > 2 && !args[2].IsNull(row);
                              if (has_null_text) {
                                null_text = std::string(args[2].GetString(row));
                              }
                              text.clear();
                              bool is_first = true;
                              AppendElements(array, args[1].GetString(row),
                                             has_null_text ? &null_text : nullptr, is_first, text);
                              return out.AppendString(text);
                            });
      };
}

// The length of each dimension of `array`, outermost first; empty for an empty array, which
// has no dimensions in PostgreSQL.
std::vector<int32_t> DimensionLengths(const Value& array) {
  std::vector<int32_t> lengths;
  const Value* current = &array;
  while (!current->children().empty()) {
    lengths.push_back(static_cast<int32_t>(current->children().size()));
    const Value& first = current->children()[0];
    if (first.is_null() || first.type().id() != TypeId::kList) {
      break;
    }
    current = &first;
  }
  return lengths;
}

int32_t CountElements(const Value& array) {
  int32_t count = 0;
  for (const Value& element : array.children()) {
    count +=
        !element.is_null() && element.type().id() == TypeId::kList ? CountElements(element) : 1;
  }
  return count;
}

// array_length(a, dim), array_upper(a, dim) and array_lower(a, dim): NULL for a dimension the
// array does not have (every dimension of an empty array).
void RegisterDimensionFunctions(FunctionRegistry& registry) {
  for (std::string_view name : {"array_length", "array_upper", "array_lower"}) {
    bool is_lower = name == "array_lower";
    registry.AddScalar(FixedOverload(
        std::string(name), {TypeId::kList, TypeId::kInteger}, LogicalType::Integer(),
        [is_lower](FunctionContext& context, std::span<const Vector> args,
                   int64_t rows) -> Result<Vector> {
          return BuildRows(
              context, args, rows, LogicalType::Integer(),
              [&](int64_t row, VectorBuilder& out) -> Status {
                FLOE_ASSIGN_OR_RETURN(Value array, args[0].GetValue(row));
                std::vector<int32_t> lengths = DimensionLengths(array);
                int32_t dimension = args[1].Get<int32_t>(row);
                if (dimension < 1 || dimension > static_cast<int32_t>(lengths.size())) {
                  return out.AppendNull();
                }
                return out.AppendValue(
                    Value::Integer(is_lower ? 1 : lengths[static_cast<size_t>(dimension - 1)]));
              });
        }));
  }
  registry.AddScalar(FixedOverload(
      "array_ndims", {TypeId::kList}, LogicalType::Integer(),
      [](FunctionContext& context, std::span<const Vector> args, int64_t rows) -> Result<Vector> {
        return BuildRows(
            context, args, rows, LogicalType::Integer(),
            [&](int64_t row, VectorBuilder& out) -> Status {
              FLOE_ASSIGN_OR_RETURN(Value array, args[0].GetValue(row));
              std::vector<int32_t> lengths = DimensionLengths(array);
              if (lengths.empty()) {
                return out.AppendNull();
              }
              return out.AppendValue(Value::Integer(static_cast<int32_t>(lengths.size())));
            });
      }));
  registry.AddScalar(FixedOverload(
      "cardinality", {TypeId::kList}, LogicalType::Integer(),
      [](FunctionContext& context, std::span<const Vector> args, int64_t rows) -> Result<Vector> {
        return BuildRows(context, args, rows, LogicalType::Integer(),
                         [&](int64_t row, VectorBuilder& out) -> Status {
                           FLOE_ASSIGN_OR_RETURN(Value array, args[0].GetValue(row));
                           return out.AppendValue(Value::Integer(CountElements(array)));
                         });
      }));
}

// array_position(a, x [, start]): the first subscript from `start` whose element is not
// distinct from x (so a NULL x finds the first NULL), NULL when there is none.
void RegisterArrayPosition(FunctionRegistry& registry) {
  for (size_t count : {2, 3}) {
    ScalarOverload overload;
    overload.name = "array_position";
    overload.arguments = {ArgumentSpec::Of(TypeId::kList), ArgumentSpec::Any()};
    if (count == 3) {
      overload.arguments.push_back(ArgumentSpec::Of(TypeId::kInteger));
    }
    overload.strict = false;
    overload.bind = [](std::span<const LogicalType> types) -> Result<BoundScalar> {
      LogicalType element = types[0].element_type();
      if (element.id() == TypeId::kList) {
        return Status::NotSupported("searching for elements in multidimensional arrays");
      }
      if (types[1].id() != TypeId::kNull && !types::CanCast(types[1], element)) {
        return Status::NotFound("function array_position({}, {}) does not exist",
                                types[0].ToString(), types[1].ToString())
            .WithSqlState("42883");
      }
      ScalarKernel kernel = [element](FunctionContext& context, std::span<const Vector> args,
                                      int64_t rows) -> Result<Vector> {
        return BuildAllRows(
            context, rows, LogicalType::Integer(), [&](int64_t row, VectorBuilder& out) -> Status {
              if (args[0].IsNull(row) || (args.size() > 2 && args[2].IsNull(row))) {
                return out.AppendNull();
              }
              FLOE_ASSIGN_OR_RETURN(Value array, args[0].GetValue(row));
              FLOE_ASSIGN_OR_RETURN(Value raw, args[1].GetValue(row));
              FLOE_ASSIGN_OR_RETURN(Value value, types::CastValue(raw, element));
              int64_t start = args.size() > 2 ? args[2].Get<int32_t>(row) : 1;
              const std::vector<Value>& children = array.children();
              for (int64_t index = std::max<int64_t>(start, 1);
                   index <= static_cast<int64_t>(children.size()); ++index) {
                const Value& child = children[static_cast<size_t>(index - 1)];
                bool same = child.is_null() || value.is_null() ? child.is_null() && value.is_null()
                                                               : child.Compare(value) == 0;
                if (same) {
                  return out.AppendValue(Value::Integer(static_cast<int32_t>(index)));
                }
              }
              return out.AppendNull();
            });
      };
      return BoundScalar{LogicalType::Integer(), kernel};
    };
    registry.AddScalar(std::move(overload));
  }
}

// string_to_array(text, delimiter [, null_string]): a NULL delimiter splits into characters,
// an empty one gives the whole text; an empty text gives '{}'.
void RegisterStringToArray(FunctionRegistry& registry) {
  LogicalType list = LogicalType::List(LogicalType::Varchar());
  for (size_t count : {2, 3}) {
    ScalarOverload overload;
    overload.name = "string_to_array";
    overload.arguments = {ArgumentSpec::Of(TypeId::kVarchar), ArgumentSpec::Of(TypeId::kVarchar)};
    if (count == 3) {
      overload.arguments.push_back(ArgumentSpec::Of(TypeId::kVarchar));
    }
    overload.strict = false;
    overload.bind = [list](std::span<const LogicalType>) -> Result<BoundScalar> {
      ScalarKernel kernel = [list](FunctionContext& context, std::span<const Vector> args,
                                   int64_t rows) -> Result<Vector> {
        return BuildAllRows(context, rows, list, [&](int64_t row, VectorBuilder& out) -> Status {
          if (args[0].IsNull(row)) {
            return out.AppendNull();
          }
          std::string_view text = args[0].GetString(row);
          bool has_null_text = args.size() > 2 && !args[2].IsNull(row);
          std::string_view null_text = has_null_text ? args[2].GetString(row) : "";
          std::vector<Value> parts;
          auto add = [&](std::string_view part) {
            parts.push_back(has_null_text && part == null_text ? Value::Null(LogicalType::Varchar())
                                                               : Value::Varchar(std::string(part)));
          };
          if (!text.empty()) {
            if (args[1].IsNull(row)) {
              for (size_t i = 0; i < text.size();) {
                // One element per UTF-8 character.
                size_t length = 1;
                auto lead = static_cast<unsigned char>(text[i]);
                length = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
                add(text.substr(i, length));
                i += length;
              }
            } else if (args[1].GetString(row).empty()) {
              add(text);
            } else {
              std::string_view delimiter = args[1].GetString(row);
              size_t start = 0;
              while (true) {
                size_t found = text.find(delimiter, start);
                if (found == std::string_view::npos) {
                  add(text.substr(start));
                  break;
                }
                add(text.substr(start, found - start));
                start = found + delimiter.size();
              }
            }
          }
          return out.AppendValue(Value::List(LogicalType::Varchar(), std::move(parts)));
        });
      };
      return BoundScalar{list, kernel};
    };
    registry.AddScalar(std::move(overload));
  }
}

}  // namespace

void RegisterArrayFunctions(FunctionRegistry& registry) {
  RegisterDimensionFunctions(registry);
  RegisterArrayPosition(registry);
  RegisterStringToArray(registry);
  for (size_t count : {2, 3}) {
    ScalarOverload overload;
    overload.name = "array_to_string";
    overload.arguments = {ArgumentSpec::Of(TypeId::kList), ArgumentSpec::Of(TypeId::kVarchar)};
    if (count == 3) {
      overload.arguments.push_back(ArgumentSpec::Of(TypeId::kVarchar));
    }
    overload.strict = false;
    overload.bind = [](std::span<const LogicalType>) -> Result<BoundScalar> {
      return BoundScalar{LogicalType::Varchar(), ArrayToString()};
    };
    registry.AddScalar(std::move(overload));
  }
}

}  // namespace floe::sql::internal
