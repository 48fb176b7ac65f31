#pragma once

#include <cstring>
#include <limits>
#include <memory>
#include <string>

#include "sql/functions/function.h"
#include "types/logical_type.h"
#include "vector/vector_builder.h"

namespace floe::sql::execution::testing {

// Small scalar and aggregate functions over BIGINT, made by hand so these tests depend only on
// the function interfaces, not on the function library's registry.

enum class BinaryOp { kAdd, kDivide, kLess, kEqual, kNotEqual, kGreater };

inline std::shared_ptr<const ScalarFunction> BigIntOp(BinaryOp op) {
  auto function = std::make_shared<ScalarFunction>();
  static const char* const kNames[] = {"+", "/", "<", "=", "<>", ">"};
  function->name = kNames[static_cast<int>(op)];
  function->argument_types = {types::LogicalType::BigInt(), types::LogicalType::BigInt()};
  const bool is_comparison = op != BinaryOp::kAdd && op != BinaryOp::kDivide;
  function->return_type =
      is_comparison ? types::LogicalType::Boolean() : types::LogicalType::BigInt();
  function->kernel = [op, is_comparison](FunctionContext& context,
                                         std::span<const vector::Vector> args,
                                         int64_t rows) -> Result<vector::Vector> {
    vector::VectorBuilder out(
        is_comparison ? types::LogicalType::Boolean() : types::LogicalType::BigInt(),
        context.tracker);
    for (int64_t r = 0; r < rows; ++r) {
      if (args[0].IsNull(r) || args[1].IsNull(r)) {
        FLOE_RETURN_NOT_OK(out.AppendNull());
        continue;
      }
      int64_t a = args[0].Get<int64_t>(r);
      int64_t b = args[1].Get<int64_t>(r);
      switch (op) {
        case BinaryOp::kAdd: {
          int64_t sum;
          if (__builtin_add_overflow(a, b, &sum)) {
            return Status::OutOfRange("bigint out of range");
          }
          FLOE_RETURN_NOT_OK(out.Append<int64_t>(sum));
          break;
        }
        case BinaryOp::kDivide:
          if (b == 0) {
            return Status::DivisionByZero("division by zero");
          }
          FLOE_RETURN_NOT_OK(out.Append<int64_t>(a / b));
          break;
        case BinaryOp::kLess:
          FLOE_RETURN_NOT_OK(out.AppendBool(a < b));
          break;
        case BinaryOp::kEqual:
          FLOE_RETURN_NOT_OK(out.AppendBool(a == b));
          break;
        case BinaryOp::kNotEqual:
          FLOE_RETURN_NOT_OK(out.AppendBool(a != b));
          break;
        case BinaryOp::kGreater:
          FLOE_RETURN_NOT_OK(out.AppendBool(a > b));
          break;
      }
    }
    return out.Finish();
  };
  return function;
}

/// upper(varchar) counting its calls' rows, to check dictionary evaluation.
inline std::shared_ptr<const ScalarFunction> Upper(std::shared_ptr<int64_t> rows_seen) {
  auto function = std::make_shared<ScalarFunction>();
  function->name = "upper";
  function->argument_types = {types::LogicalType::Varchar()};
  function->return_type = types::LogicalType::Varchar();
  function->kernel = [rows_seen](FunctionContext& context, std::span<const vector::Vector> args,
                                 int64_t rows) -> Result<vector::Vector> {
    *rows_seen += rows;
    vector::VectorBuilder out(types::LogicalType::Varchar(), context.tracker);
    for (int64_t r = 0; r < rows; ++r) {
      if (args[0].IsNull(r)) {
        FLOE_RETURN_NOT_OK(out.AppendNull());
        continue;
      }
      std::string text(args[0].GetString(r));
      for (char& c : text) {
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      }
      FLOE_RETURN_NOT_OK(out.AppendString(text));
    }
    return out.Finish();
  };
  return function;
}

/// sum(bigint), count(bigint) (NULLs skipped) and count(*), with PostgreSQL's results for no
/// rows: sum is NULL, counts are 0.
enum class AggregateKind { kSum, kCount, kCountStar, kMin };

inline AggregateFunction BigIntAggregate(AggregateKind kind) {
  struct State {
    int64_t value;
    int64_t count;
  };
  AggregateFunction function;
  static const char* const kNames[] = {"sum", "count", "count", "min"};
  function.name = kNames[static_cast<int>(kind)];
  if (kind != AggregateKind::kCountStar) {
    function.argument_types = {types::LogicalType::BigInt()};
  }
  function.return_type = types::LogicalType::BigInt();
  function.state_size = sizeof(State);
  function.state_alignment = alignof(State);
  function.initialize = [](uint8_t* state) {
    const State empty{0, 0};
    std::memcpy(state, &empty, sizeof(State));
  };
  function.update = [kind](FunctionContext& context, std::span<const vector::Vector> args,
                           int64_t rows, uint8_t* const* states) -> Status {
    for (int64_t r = 0; r < rows; ++r) {
      auto* state = reinterpret_cast<State*>(states[r]);
      if (kind == AggregateKind::kCountStar) {
        ++state->count;
        continue;
      }
      if (args[0].IsNull(r)) {
        continue;
      }
      int64_t value = args[0].Get<int64_t>(r);
      if (kind == AggregateKind::kMin) {
        state->value = state->count == 0 ? value : std::min(state->value, value);
      } else if (__builtin_add_overflow(state->value, value, &state->value)) {
        return Status::OutOfRange("bigint out of range");
      }
      ++state->count;
    }
    return Status::OK();
  };
  function.combine = [kind](FunctionContext& context, const uint8_t* source,
                            uint8_t* target) -> Status {
    const auto* from = reinterpret_cast<const State*>(source);
    auto* to = reinterpret_cast<State*>(target);
    if (from->count == 0) {
      return Status::OK();
    }
    if (kind == AggregateKind::kMin) {
      to->value = to->count == 0 ? from->value : std::min(to->value, from->value);
    } else {
      to->value += from->value;
    }
    to->count += from->count;
    return Status::OK();
  };
  function.finalize = [kind](FunctionContext& context, const uint8_t* const* states, int64_t count,
                             vector::VectorBuilder& out) -> Status {
    for (int64_t i = 0; i < count; ++i) {
      const auto* state = reinterpret_cast<const State*>(states[i]);
      if (kind == AggregateKind::kCount || kind == AggregateKind::kCountStar) {
        FLOE_RETURN_NOT_OK(out.Append<int64_t>(state->count));
      } else if (state->count == 0) {
        FLOE_RETURN_NOT_OK(out.AppendNull());
      } else {
        FLOE_RETURN_NOT_OK(out.Append<int64_t>(state->value));
      }
    }
    return Status::OK();
  };
  return function;
}

}  // namespace floe::sql::execution::testing
