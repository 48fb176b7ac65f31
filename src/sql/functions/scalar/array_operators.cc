// The array operators the binder calls: ARRAY[...] (floe_array_build), subscripts
// (floe_array_element, floe_array_slice), x op ANY|ALL (array) ("floe_any =", "floe_all <>",
// ...), containment (@>, <@, &&) and concatenation (array_cat, array_append, array_prepend,
// which || with an array binds to). Arrays are LISTs;
// PostgreSQL's arrays start at 1, and so do these subscripts.
#include <algorithm>
#include <array>
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

Status MismatchedDimensions() {
  return Status::InvalidArgument(
             "multidimensional arrays must have array expressions with matching dimensions")
      .WithSqlState("2202E");
}

ScalarOverload ArrayBuild() {
  ScalarOverload overload;
  overload.name = "floe_array_build";
  overload.arguments = {ArgumentSpec::Any()};
  overload.is_variadic = true;
  overload.strict = false;
  overload.bind = [](std::span<const LogicalType> types) -> Result<BoundScalar> {
    LogicalType element = types[0];
    LogicalType list = LogicalType::List(element);
    ScalarKernel kernel = [element, list](FunctionContext& context, std::span<const Vector> args,
                                          int64_t rows) -> Result<Vector> {
      return BuildAllRows(context, rows, list, [&](int64_t row, VectorBuilder& out) -> Status {
        std::vector<Value> values;
        values.reserve(args.size());
        for (const Vector& arg : args) {
          FLOE_ASSIGN_OR_RETURN(Value value, arg.GetValue(row));
          values.push_back(std::move(value));
        }
        if (element.id() == TypeId::kList) {
          // The sub-arrays of a multidimensional array are all there and all as long.
          for (const Value& value : values) {
            if (value.is_null() || value.children().size() != values[0].children().size()) {
              return MismatchedDimensions();
            }
          }
        }
        return out.AppendValue(Value::List(element, std::move(values)));
      });
    };
    return BoundScalar{list, kernel};
  };
  return overload;
}

ScalarOverload ArrayElement() {
  return BoundOverload(
      "floe_array_element", Specs({TypeId::kList, TypeId::kInteger}),
      [](std::span<const LogicalType> types) -> Result<BoundScalar> {
        LogicalType element = types[0].element_type();
        ScalarKernel kernel = [element](FunctionContext& context, std::span<const Vector> args,
                                        int64_t rows) -> Result<Vector> {
          return BuildRows(context, args, rows, element,
                           [&](int64_t row, VectorBuilder& out) -> Status {
                             FLOE_ASSIGN_OR_RETURN(Value array, args[0].GetValue(row));
                             int64_t index = args[1].Get<int32_t>(row);
                             const std::vector<Value>& children = array.children();
                             if (index < 1 || index > static_cast<int64_t>(children.size())) {
                               return out.AppendNull();
                             }
                             return out.AppendValue(children[static_cast<size_t>(index - 1)]);
                           });
        };
        return BoundScalar{element, kernel};
      });
}

// a[lower:upper]: bounds beyond the array are clipped; an empty range gives '{}'.
ScalarOverload ArraySlice() {
  return BoundOverload(
      "floe_array_slice", Specs({TypeId::kList, TypeId::kInteger, TypeId::kInteger}),
      [](std::span<const LogicalType> types) -> Result<BoundScalar> {
        LogicalType list = types[0];
        ScalarKernel kernel = [list](FunctionContext& context, std::span<const Vector> args,
                                     int64_t rows) -> Result<Vector> {
          return BuildRows(
              context, args, rows, list, [&](int64_t row, VectorBuilder& out) -> Status {
                FLOE_ASSIGN_OR_RETURN(Value array, args[0].GetValue(row));
                const std::vector<Value>& children = array.children();
                int64_t lower = std::max<int64_t>(args[1].Get<int32_t>(row), 1);
                int64_t upper = std::min<int64_t>(args[2].Get<int32_t>(row),
                                                  static_cast<int64_t>(children.size()));
                std::vector<Value> slice;
                for (int64_t index = lower; index <= upper; ++index) {
                  slice.push_back(children[static_cast<size_t>(index - 1)]);
                }
                return out.AppendValue(Value::List(list.element_type(), std::move(slice)));
              });
        };
        return BoundScalar{list, kernel};
      });
}

bool FromOrder(std::string_view op, int order) {
  if (op == "=") {
    return order == 0;
  }
  if (op == "<>" || op == "!=") {
    return order != 0;
  }
  if (op == "<") {
    return order < 0;
  }
  if (op == "<=") {
    return order <= 0;
  }
  if (op == ">") {
    return order > 0;
  }
  return order >= 0;
}

// The elements of a (multidimensional) array in storage order, as ANY and ALL visit them.
void Flatten(const Value& array, std::vector<const Value*>& out) {
  for (const Value& element : array.children()) {
    if (!element.is_null() && element.type().id() == TypeId::kList) {
      Flatten(element, out);
    } else {
      out.push_back(&element);
    }
  }
}

// x op ANY (a): true when some comparison is true, else NULL when some was NULL, else false
// (false for an empty array, even for a NULL x). ALL: false when some comparison is false,
// else NULL when some was NULL, else true.
ScalarOverload Quantified(std::string op, bool is_all) {
  ScalarOverload overload;
  overload.name = std::string(is_all ? "floe_all " : "floe_any ") + op;
  overload.arguments = {ArgumentSpec::Any(), ArgumentSpec::Of(TypeId::kList)};
  overload.strict = false;
  overload.bind = [op, is_all](std::span<const LogicalType>) -> Result<BoundScalar> {
    ScalarKernel kernel = [op, is_all](FunctionContext& context, std::span<const Vector> args,
                                       int64_t rows) -> Result<Vector> {
      std::vector<const Value*> elements;
      return BuildAllRows(context, rows, LogicalType::Boolean(),
                          [&](int64_t row, VectorBuilder& out) -> Status {
                            if (args[1].IsNull(row)) {
                              return out.AppendNull();
                            }
                            FLOE_ASSIGN_OR_RETURN(Value left, args[0].GetValue(row));
                            FLOE_ASSIGN_OR_RETURN(Value array, args[1].GetValue(row));
                            elements.clear();
                            Flatten(array, elements);
                            bool saw_null = false;
                            for (const Value* element : elements) {
                              if (left.is_null() || element->is_null()) {
                                saw_null = true;
                                continue;
                              }
                              bool holds = FromOrder(op, left.Compare(*element));
                              if (holds != is_all) {
                                return out.AppendValue(Value::Boolean(!is_all));
                              }
                            }
                            if (saw_null) {
                              return out.AppendNull();
                            }
                            return out.AppendValue(Value::Boolean(is_all));
                          });
    };
    return BoundScalar{LogicalType::Boolean(), kernel};
  };
  return overload;
}

// a @> b (kind 0: every element of b is in a), a <@ b (1: every element of a is in b) and
// a && b (2: some element is in both), over all elements of multidimensional arrays. NULL
// elements match nothing, as in PostgreSQL.
ScalarOverload Containment(std::string name, int kind) {
  return BoundOverload(
      std::move(name), Specs({TypeId::kList, TypeId::kList}),
      [kind](std::span<const LogicalType> types) -> Result<BoundScalar> {
        const LogicalType* left = &types[0];
        const LogicalType* right = &types[1];
        while (left->id() == TypeId::kList) {
          left = &left->element_type();
        }
        while (right->id() == TypeId::kList) {
          right = &right->element_type();
        }
        if (!(*left == *right)) {
          return Status::NotFound("operator does not exist: {} and {}", types[0].ToString(),
                                  types[1].ToString())
              .WithSqlState("42883");
        }
        ScalarKernel kernel = [kind](FunctionContext& context, std::span<const Vector> args,
                                     int64_t rows) -> Result<Vector> {
          std::vector<const Value*> first;
          std::vector<const Value*> second;
          return BuildRows(context, args, rows, LogicalType::Boolean(),
                           [&](int64_t row, VectorBuilder& out) -> Status {
                             FLOE_ASSIGN_OR_RETURN(Value a, args[kind == 1 ? 1 : 0].GetValue(row));
                             FLOE_ASSIGN_OR_RETURN(Value b, args[kind == 1 ? 0 : 1].GetValue(row));
                             first.clear();
                             second.clear();
                             Flatten(a, first);
                             Flatten(b, second);
                             auto contains = [&](const Value& value) {
                               return std::any_of(
                                   first.begin(), first.end(), [&](const Value* element) {
                                     return !element->is_null() && element->Compare(value) == 0;
                                   });
                             };
                             bool result = kind != 2;
                             for (const Value* value : second) {
                               bool found = !value->is_null() && contains(*value);
                               if (kind == 2 && found) {
                                 result = true;
                                 break;
                               }
                               if (kind != 2 && !found) {
                                 result = false;
                                 break;
                               }
                             }
                             return out.AppendValue(Value::Boolean(result));
                           });
        };
        return BoundScalar{LogicalType::Boolean(), kernel};
      });
}

// The element type two concatenated arrays (or an array and an element) meet at.
Result<LogicalType> ConcatElement(const LogicalType& a, const LogicalType& b) {
  if (a == b) {
    return a;
  }
  std::array<LogicalType, 2> types = {a, b};
  Result<LogicalType> common = CommonType(types, "array concatenation");
  if (!common.ok()) {
    return Status::NotFound("operator does not exist: {} || {}", a.ToString(), b.ToString())
        .WithSqlState("42883");
  }
  return common;
}

Status AppendCast(const Value& value, const LogicalType& type, std::vector<Value>& out) {
  FLOE_ASSIGN_OR_RETURN(Value cast, types::CastValue(value, type));
  out.push_back(std::move(cast));
  return Status::OK();
}

// kind 0: array || array, 1: array || element, 2: element || array. NULL arrays count as
// empty and a NULL element is still appended, as PostgreSQL's array_cat and array_append do;
// only both NULL gives NULL.
ScalarOverload Concat(std::string name, int kind) {
  ScalarOverload overload;
  overload.name = std::move(name);
  overload.arguments = {kind == 2 ? ArgumentSpec::Any() : ArgumentSpec::Of(TypeId::kList),
                        kind == 1 ? ArgumentSpec::Any() : ArgumentSpec::Of(TypeId::kList)};
  overload.strict = false;
  overload.bind = [kind](std::span<const LogicalType> types) -> Result<BoundScalar> {
    LogicalType first = kind == 2 ? types[0] : types[0].element_type();
    LogicalType second = kind == 1 ? types[1] : types[1].element_type();
    if (first.id() == TypeId::kNull) {
      first = second;
    }
    if (second.id() == TypeId::kNull) {
      second = first;
    }
    FLOE_ASSIGN_OR_RETURN(LogicalType element, ConcatElement(first, second));
    if (kind != 0 && element.id() == TypeId::kList) {
      return Status::NotSupported("appending arrays to multidimensional arrays");
    }
    LogicalType list = LogicalType::List(element);
    ScalarKernel kernel = [kind, element, list](FunctionContext& context,
                                                std::span<const Vector> args,
                                                int64_t rows) -> Result<Vector> {
      return BuildAllRows(context, rows, list, [&](int64_t row, VectorBuilder& out) -> Status {
        if (kind == 0 && args[0].IsNull(row) && args[1].IsNull(row)) {
          return out.AppendNull();
        }
        if (kind != 0 && args[kind == 1 ? 0 : 1].IsNull(row)) {
          // A NULL array with an element appended is a one-element array.
          FLOE_ASSIGN_OR_RETURN(Value value, args[kind == 1 ? 1 : 0].GetValue(row));
          std::vector<Value> values;
          FLOE_RETURN_NOT_OK(AppendCast(value, element, values));
          return out.AppendValue(Value::List(element, std::move(values)));
        }
        std::vector<Value> values;
        for (size_t side = 0; side < 2; ++side) {
          bool is_array = kind == 0 || (kind == 1 ? side == 0 : side == 1);
          if (args[side].IsNull(row) && is_array) {
            continue;
          }
          FLOE_ASSIGN_OR_RETURN(Value value, args[side].GetValue(row));
          if (!is_array) {
            FLOE_RETURN_NOT_OK(AppendCast(value, element, values));
            continue;
          }
          for (const Value& child : value.children()) {
            FLOE_RETURN_NOT_OK(AppendCast(child, element, values));
          }
        }
        return out.AppendValue(Value::List(element, std::move(values)));
      });
    };
    return BoundScalar{list, kernel};
  };
  return overload;
}

}  // namespace

void RegisterArrayOperators(FunctionRegistry& registry) {
  registry.AddScalar(ArrayBuild());
  registry.AddScalar(ArrayElement());
  registry.AddScalar(ArraySlice());
  for (const char* op : {"=", "<>", "!=", "<", "<=", ">", ">="}) {
    registry.AddScalar(Quantified(op, false));
    registry.AddScalar(Quantified(op, true));
  }
  registry.AddScalar(Containment("@>", 0));
  registry.AddScalar(Containment("<@", 1));
  registry.AddScalar(Containment("&&", 2));
  registry.AddScalar(Concat("array_cat", 0));
  registry.AddScalar(Concat("array_append", 1));
  registry.AddScalar(Concat("array_prepend", 2));
}

}  // namespace floe::sql::internal
