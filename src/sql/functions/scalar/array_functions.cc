// array_to_string(array, delimiter [, null_string]).
#include <string>
#include <vector>

#include "sql/functions/registration_internal.h"
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

}  // namespace

void RegisterArrayFunctions(FunctionRegistry& registry) {
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
