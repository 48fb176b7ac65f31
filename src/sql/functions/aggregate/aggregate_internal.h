#pragma once

// Building blocks of the aggregate kernels: state construction and loops that feed the non-NULL
// values of an argument to the states of their rows.

#include <cstdint>
#include <new>
#include <span>
#include <string_view>
#include <utility>

#include "sql/functions/function.h"
#include "sql/functions/kernel_internal.h"
#include "vector/bitmap.h"

namespace floe::sql::internal {

/// Fills the state size, alignment, initialize and (for non-trivial states) destroy of an
/// aggregate whose state is a default-constructed `State`.
template <typename State>
void SetStateType(AggregateFunction& function) {
  function.state_size = static_cast<int32_t>(sizeof(State));
  function.state_alignment = static_cast<int32_t>(alignof(State));
  function.initialize = [](uint8_t* state) { new (state) State(); };
  if constexpr (!std::is_trivially_destructible_v<State>) {
    function.destroy = [](uint8_t* state) {
      std::launder(reinterpret_cast<State*>(state))->~State();
    };
  }
}

template <typename State>
State& StateOf(uint8_t* state) {
  return *std::launder(reinterpret_cast<State*>(state));
}

template <typename State>
const State& StateOf(const uint8_t* state) {
  return *std::launder(reinterpret_cast<const State*>(state));
}

/// Calls `fn(state, value)` for each non-NULL row of a fixed-width argument of any encoding.
template <typename T, typename Fn>
Status ForEachValue(FunctionContext& context, const vector::Vector& arg, int64_t rows,
                    uint8_t* const* states, Fn fn) {
  FLOE_ASSIGN_OR_RETURN(vector::Vector input, FlatOrConstant(context, arg));
  if (input.encoding() == vector::Encoding::kConstant) {
    if (input.MayHaveNulls()) {
      return Status::OK();
    }
    const T value = input.dictionary().values<T>()[0];
    for (int64_t row = 0; row < rows; ++row) {
      FLOE_RETURN_NOT_OK(fn(states[row], value));
    }
    return Status::OK();
  }
  const T* values = input.values<T>();
  if (!input.MayHaveNulls()) {
    for (int64_t row = 0; row < rows; ++row) {
      FLOE_RETURN_NOT_OK(fn(states[row], values[row]));
    }
    return Status::OK();
  }
  const uint8_t* bits = input.validity_bits();
  int64_t offset = input.offset();
  for (int64_t row = 0; row < rows; ++row) {
    if (vector::GetBit(bits, offset + row)) {
      FLOE_RETURN_NOT_OK(fn(states[row], values[row]));
    }
  }
  return Status::OK();
}

/// As ForEachValue for updates whose only failure is overflow: `fn(state, value)` returns true
/// when it overflowed, and `overflow` is returned after the loop when some row did. Without a
/// Status per row the loop is a few instructions a row (sum and avg of DECIMAL); a failed
/// update fails the query, so the states it leaves behind are never read.
template <typename T, typename Fn>
Status ForEachValueOrOverflow(FunctionContext& context, const vector::Vector& arg, int64_t rows,
                              uint8_t* const* states, const Status& overflow, Fn fn) {
  FLOE_ASSIGN_OR_RETURN(vector::Vector input, FlatOrConstant(context, arg));
  bool overflowed = false;
  if (input.encoding() == vector::Encoding::kConstant) {
    if (input.MayHaveNulls()) {
      return Status::OK();
    }
    const T value = input.dictionary().values<T>()[0];
    for (int64_t row = 0; row < rows; ++row) {
      overflowed |= fn(states[row], value);
    }
  } else if (!input.MayHaveNulls()) {
    const T* values = input.values<T>();
    for (int64_t row = 0; row < rows; ++row) {
      overflowed |= fn(states[row], values[row]);
    }
  } else {
    const T* values = input.values<T>();
    const uint8_t* bits = input.validity_bits();
    const int64_t offset = input.offset();
    for (int64_t row = 0; row < rows; ++row) {
      if (vector::GetBit(bits, offset + row)) {
        overflowed |= fn(states[row], values[row]);
      }
    }
  }
  return overflowed ? overflow : Status::OK();
}

/// Calls `fn(state, row)` for each non-NULL row of an argument of any type and encoding.
template <typename Fn>
Status ForEachRow(const vector::Vector& arg, int64_t rows, uint8_t* const* states, Fn fn) {
  for (int64_t row = 0; row < rows; ++row) {
    if (!arg.IsNull(row)) {
      FLOE_RETURN_NOT_OK(fn(states[row], row));
    }
  }
  return Status::OK();
}

}  // namespace floe::sql::internal
