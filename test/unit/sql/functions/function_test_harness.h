#pragma once

// Helpers that build input vectors from values, call resolved functions and aggregates the way
// the execution engine does, and read the results back as values.

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "sql/functions/cast_vector.h"
#include "sql/functions/function_registry.h"
#include "types/cast.h"
#include "types/value.h"
#include "vector/vector.h"
#include "vector/vector_builder.h"

namespace floe::sql::testing {

using types::LogicalType;
using types::Value;
using vector::Vector;

/// Returns a flat vector holding `values` (all of `type`, or NULLs).
inline Vector MakeVector(const LogicalType& type, const std::vector<Value>& values) {
  vector::VectorBuilder builder(type);
  for (const Value& value : values) {
    EXPECT_TRUE(builder.AppendValue(value.is_null() ? Value::Null(type) : value).ok());
  }
  return builder.Finish().value();
}

/// Returns a constant vector of `rows` rows.
inline Vector MakeConstant(const Value& value, int64_t rows) {
  Vector one = MakeVector(value.type(), {value});
  return Vector::MakeConstant(one, 0, rows).value();
}

/// Returns a dictionary vector whose rows are `dictionary[indices[i]]`.
inline Vector MakeDictionary(const LogicalType& type, const std::vector<Value>& dictionary,
                             const std::vector<int32_t>& indices) {
  auto values = std::make_shared<const Vector>(MakeVector(type, dictionary));
  auto buffer = vector::Buffer::Allocate(static_cast<int64_t>(indices.size() * 4)).value();
  std::memcpy(buffer->mutable_data(), indices.data(), indices.size() * 4);
  return Vector::MakeDictionary(values, static_cast<int64_t>(indices.size()), 0, buffer, nullptr)
      .value();
}

/// Reads every row of a vector as values.
inline std::vector<Value> ReadAll(const Vector& vector) {
  std::vector<Value> values;
  for (int64_t row = 0; row < vector.length(); ++row) {
    values.push_back(vector.GetValue(row).value());
  }
  return values;
}

/// Resolves `name` for the types of `args`, casts them as resolution asks and runs the kernel.
inline Result<Vector> CallVectors(std::string_view name, std::vector<Vector> args) {
  std::vector<LogicalType> types;
  for (const Vector& arg : args) {
    types.push_back(arg.type());
  }
  FLOE_ASSIGN_OR_RETURN(ScalarFunction function,
                        FunctionRegistry::Default().ResolveScalar(name, types));
  int64_t rows = args.empty() ? 1 : args[0].length();
  FunctionContext context;
  context.statement_time_micros = 1'700'000'000'000'000;
  std::vector<Vector> cast;
  for (size_t index = 0; index < args.size(); ++index) {
    FLOE_ASSIGN_OR_RETURN(Vector one,
                          CastVector(context, args[index], rows, function.argument_types[index]));
    cast.push_back(std::move(one));
  }
  FLOE_ASSIGN_OR_RETURN(Vector result, function.kernel(context, cast, rows));
  if (!(result.type() == function.return_type)) {
    return Status::Internal("kernel returned {}, resolution promised {}", result.type().ToString(),
                            function.return_type.ToString());
  }
  if (result.length() != rows) {
    return Status::Internal("kernel returned {} rows for {}", result.length(), rows);
  }
  return result;
}

/// Calls a function on one row of values; each argument is a one-row flat vector.
inline Result<Value> Call(std::string_view name, const std::vector<Value>& args) {
  std::vector<Vector> vectors;
  for (const Value& arg : args) {
    vectors.push_back(MakeVector(arg.type(), {arg}));
  }
  FLOE_ASSIGN_OR_RETURN(Vector result, CallVectors(name, std::move(vectors)));
  return result.GetValue(0);
}

/// Calls a function on one row and returns its text output (PostgreSQL's), or "NULL".
inline std::string Text(std::string_view name, const std::vector<Value>& args) {
  Result<Value> result = Call(name, args);
  if (!result.ok()) {
    return "error: " + result.status().ToString();
  }
  return result->ToString();
}

/// Returns the error message of a call, or "ok".
inline std::string ErrorOf(std::string_view name, const std::vector<Value>& args) {
  Result<Value> result = Call(name, args);
  return result.ok() ? std::string("ok") : std::string(result.status().message());
}

/// Runs an aggregate over `inputs` (one vector per argument) into `groups` states, row r going
/// to group group_of[r], splitting the rows in two halves folded into separate states and
/// combined, as two threads would. Returns one value per group.
inline Result<std::vector<Value>> Aggregate(std::string_view name, std::vector<Vector> inputs,
                                            std::vector<int> group_of, int groups) {
  std::vector<LogicalType> types;
  for (const Vector& input : inputs) {
    types.push_back(input.type());
  }
  FLOE_ASSIGN_OR_RETURN(AggregateFunction function,
                        FunctionRegistry::Default().ResolveAggregate(name, types));
  FunctionContext context;
  int64_t rows = static_cast<int64_t>(group_of.size());
  std::vector<Vector> cast;
  for (size_t index = 0; index < inputs.size(); ++index) {
    FLOE_ASSIGN_OR_RETURN(Vector one,
                          CastVector(context, inputs[index], rows, function.argument_types[index]));
    cast.push_back(std::move(one));
  }
  auto stride = static_cast<size_t>(function.state_size + 16);
  std::vector<std::vector<uint8_t>> halves(2, std::vector<uint8_t>(stride * groups + 64));
  auto state_at = [&](int half, int group) {
    auto address = reinterpret_cast<uintptr_t>(halves[half].data()) + stride * group;
    address = (address + 15) & ~uintptr_t{15};
    return reinterpret_cast<uint8_t*>(address);
  };
  for (int half = 0; half < 2; ++half) {
    for (int group = 0; group < groups; ++group) {
      function.initialize(state_at(half, group));
    }
  }
  int64_t split = rows / 2;
  for (int half = 0; half < 2; ++half) {
    int64_t begin = half == 0 ? 0 : split;
    int64_t end = half == 0 ? split : rows;
    std::vector<Vector> slices;
    for (const Vector& one : cast) {
      slices.push_back(one.Slice(begin, end - begin));
    }
    std::vector<uint8_t*> states;
    for (int64_t row = begin; row < end; ++row) {
      states.push_back(state_at(half, group_of[static_cast<size_t>(row)]));
    }
    FLOE_RETURN_NOT_OK(function.update(context, slices, end - begin, states.data()));
  }
  std::vector<uint8_t*> finals;
  for (int group = 0; group < groups; ++group) {
    FLOE_RETURN_NOT_OK(function.combine(context, state_at(1, group), state_at(0, group)));
    finals.push_back(state_at(0, group));
  }
  vector::VectorBuilder out(function.return_type);
  Status finalized = function.finalize(context, finals.data(), groups, out);
  for (int half = 0; half < 2; ++half) {
    for (int group = 0; group < groups; ++group) {
      if (function.destroy) {
        function.destroy(state_at(half, group));
      }
    }
  }
  FLOE_RETURN_NOT_OK(finalized);
  FLOE_ASSIGN_OR_RETURN(Vector result, out.Finish());
  return ReadAll(result);
}

/// Runs an aggregate over one column into a single group and returns its text.
inline std::string AggregateText(std::string_view name, const LogicalType& type,
                                 const std::vector<Value>& values) {
  Result<std::vector<Value>> result =
      Aggregate(name, {MakeVector(type, values)}, std::vector<int>(values.size(), 0), 1);
  if (!result.ok()) {
    return "error: " + std::string(result.status().message());
  }
  return (*result)[0].ToString();
}

inline Value Decimal(std::string_view text, int precision, int scale) {
  Value varchar = Value::Varchar(std::string(text));
  return types::CastValue(varchar, LogicalType::Decimal(precision, scale).value()).value();
}

inline Value Str(std::string text) {
  return Value::Varchar(std::move(text));
}

}  // namespace floe::sql::testing
