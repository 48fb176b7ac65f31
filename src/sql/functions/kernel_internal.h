#pragma once

// Building blocks of the vectorized kernels, shared by the files of scalar/ and aggregate/.
//
// Two tiers: the fixed-width templates (UnaryFixed, BinaryFixed, BinaryPredicate) run one tight
// loop per encoding pair over flat or constant inputs, and report errors after the loop, so the
// common path has no branch per row beyond the operation itself; BuildRows is the general tier
// for strings and everything else, calling an inlined lambda per row with every encoding.

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <memory>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"
#include "sql/functions/function.h"
#include "types/int128.h"
#include "types/logical_type.h"
#include "vector/bitmap.h"
#include "vector/buffer.h"
#include "vector/vector.h"
#include "vector/vector_builder.h"

namespace floe::sql::internal {

/// Returns `vector` itself when flat or constant, else a flat copy (dictionary inputs).
Result<vector::Vector> FlatOrConstant(FunctionContext& context, const vector::Vector& vector);

/// The validity of a kernel's output: the AND of its inputs' validity over `rows` rows. A null
/// `bits` means no row is NULL.
struct OutputValidity {
  std::shared_ptr<vector::Buffer> bits;
  int64_t null_count = 0;
};

/// Combines the validity of flat or constant `inputs` (a constant NULL makes every row NULL).
Result<OutputValidity> CombineValidity(FunctionContext& context,
                                       std::span<const vector::Vector* const> inputs, int64_t rows);

/// Returns the validity of one vector of any encoding.
Result<OutputValidity> ValidityOf(FunctionContext& context, const vector::Vector& input,
                                  int64_t rows);

/// True when the row is NULL in `validity` (see OutputValidity).
inline bool IsNullIn(const OutputValidity& validity, int64_t row) {
  return validity.bits != nullptr && !vector::GetBit(validity.bits->data(), row);
}

/// Wraps a kernel with the handling every strict function shares: a constant NULL argument
/// gives a constant NULL result, and all-constant arguments compute one row and return a
/// constant vector.
ScalarKernel StrictKernel(types::LogicalType return_type, ScalarKernel kernel);
/// As StrictKernel, without the NULL shortcut (for functions that see NULLs: coalesce, concat).
ScalarKernel ConstantFoldingKernel(ScalarKernel kernel);

/// Finds the first valid row whose operation failed and returns its error; used after a loop
/// reported that some row (perhaps a NULL one, whose value is garbage) failed.
template <typename Recheck>
Status FirstRowError(const OutputValidity& validity, int64_t rows, Recheck recheck) {
  for (int64_t row = 0; row < rows; ++row) {
    if (IsNullIn(validity, row)) {
      continue;
    }
    Status status = recheck(row);
    if (!status.ok()) {
      return status;
    }
  }
  return Status::OK();
}

/// Computes `op(a[i], &out[i])` over a flat or constant fixed-width input; `op` returns 0 or an
/// error code that `error(code)` turns into a Status.
template <typename A, typename R, typename Op, typename Error>
Result<vector::Vector> UnaryFixed(FunctionContext& context, const vector::Vector& input,
                                  int64_t rows, const types::LogicalType& result_type, Op op,
                                  Error error) {
  FLOE_ASSIGN_OR_RETURN(vector::Vector a, FlatOrConstant(context, input));
  const vector::Vector* inputs[] = {&a};
  FLOE_ASSIGN_OR_RETURN(OutputValidity validity, CombineValidity(context, inputs, rows));
  FLOE_ASSIGN_OR_RETURN(
      std::shared_ptr<vector::Buffer> values,
      vector::Buffer::Allocate(rows * static_cast<int64_t>(sizeof(R)), context.tracker));
  R* out = values->mutable_data_as<R>();
  const A* in = a.is_flat() ? a.values<A>() : a.dictionary().values<A>();
  unsigned failed = 0;
  if (a.is_flat()) {
    for (int64_t row = 0; row < rows; ++row) {
      failed |= op(in[row], &out[row]);
    }
  } else {
    R single{};
    failed = op(in[0], &single);
    for (int64_t row = 0; row < rows; ++row) {
      out[row] = single;
    }
  }
  if (failed != 0) [[unlikely]] {
    FLOE_RETURN_NOT_OK(FirstRowError(validity, rows, [&](int64_t row) {
      R scratch{};
      unsigned code = op(in[a.is_flat() ? row : 0], &scratch);
      return code == 0 ? Status::OK() : error(code);
    }));
  }
  return vector::Vector::MakeFlat(result_type, rows, 0, validity.bits, std::move(values), nullptr,
                                  {}, validity.null_count);
}

/// Computes `op(a[i], b[i], &out[i])` over flat or constant fixed-width inputs, one loop per
/// encoding pair so that each vectorizes.
template <typename A, typename B, typename R, typename Op, typename Error>
Result<vector::Vector> BinaryFixed(FunctionContext& context, const vector::Vector& left,
                                   const vector::Vector& right, int64_t rows,
                                   const types::LogicalType& result_type, Op op, Error error) {
  FLOE_ASSIGN_OR_RETURN(vector::Vector a, FlatOrConstant(context, left));
  FLOE_ASSIGN_OR_RETURN(vector::Vector b, FlatOrConstant(context, right));
  const vector::Vector* inputs[] = {&a, &b};
  FLOE_ASSIGN_OR_RETURN(OutputValidity validity, CombineValidity(context, inputs, rows));
  FLOE_ASSIGN_OR_RETURN(
      std::shared_ptr<vector::Buffer> values,
      vector::Buffer::Allocate(rows * static_cast<int64_t>(sizeof(R)), context.tracker));
  R* out = values->mutable_data_as<R>();
  const A* x = a.is_flat() ? a.values<A>() : a.dictionary().values<A>();
  const B* y = b.is_flat() ? b.values<B>() : b.dictionary().values<B>();
  int64_t x_step = a.is_flat() ? 1 : 0;
  int64_t y_step = b.is_flat() ? 1 : 0;
  unsigned failed = 0;
  if (x_step == 1 && y_step == 1) {
    for (int64_t row = 0; row < rows; ++row) {
      failed |= op(x[row], y[row], &out[row]);
    }
  } else if (x_step == 1) {
    const B constant = y[0];
    for (int64_t row = 0; row < rows; ++row) {
      failed |= op(x[row], constant, &out[row]);
    }
  } else if (y_step == 1) {
    const A constant = x[0];
    for (int64_t row = 0; row < rows; ++row) {
      failed |= op(constant, y[row], &out[row]);
    }
  } else {
    for (int64_t row = 0; row < rows; ++row) {
      failed |= op(x[0], y[0], &out[row]);
    }
  }
  if (failed != 0) [[unlikely]] {
    FLOE_RETURN_NOT_OK(FirstRowError(validity, rows, [&](int64_t row) {
      R scratch{};
      unsigned code = op(x[row * x_step], y[row * y_step], &scratch);
      return code == 0 ? Status::OK() : error(code);
    }));
  }
  return vector::Vector::MakeFlat(result_type, rows, 0, validity.bits, std::move(values), nullptr,
                                  {}, validity.null_count);
}

/// Reads the strings of a flat or constant VARCHAR or BYTEA vector.
class StringReader {
 public:
  explicit StringReader(const vector::Vector& vector)
      : source_(vector.is_flat() ? &vector : &vector.dictionary()),
        offsets_(source_->offsets()),
        data_(reinterpret_cast<const char*>(source_->string_data())),
        step_(vector.is_flat() ? 1 : 0) {}

  std::string_view operator[](int64_t row) const {
    const int32_t* at = offsets_ + row * step_;
    return std::string_view(data_ + at[0], static_cast<size_t>(at[1] - at[0]));
  }
  bool is_constant() const { return step_ == 0; }

 private:
  const vector::Vector* source_;
  const int32_t* offsets_;
  const char* data_;
  int64_t step_;
};

/// Computes a BOOLEAN vector with `predicate(row)` for every row (NULL rows get arbitrary bits)
/// under `validity`; `predicate` must not fail.
template <typename Predicate>
Result<vector::Vector> PredicateRows(FunctionContext& context, int64_t rows,
                                     OutputValidity validity, Predicate predicate) {
  int64_t words = (rows + 63) / 64;
  FLOE_ASSIGN_OR_RETURN(std::shared_ptr<vector::Buffer> bits,
                        vector::Buffer::Allocate(words * 8, context.tracker));
  auto* out = bits->mutable_data_as<uint64_t>();
  for (int64_t word = 0; word < words; ++word) {
    int64_t first = word * 64;
    int64_t count = std::min<int64_t>(64, rows - first);
    uint64_t value = 0;
    for (int64_t bit = 0; bit < count; ++bit) {
      value |= static_cast<uint64_t>(predicate(first + bit) ? 1 : 0) << bit;
    }
    out[word] = value;
  }
  FLOE_RETURN_NOT_OK(bits->Resize(vector::BitmapBytes(rows)));
  return vector::Vector::MakeFlat(types::LogicalType::Boolean(), rows, 0, std::move(validity.bits),
                                  std::move(bits), nullptr, {}, validity.null_count);
}

/// Computes `predicate(a[i], b[i])` over flat or constant fixed-width inputs into a BOOLEAN
/// vector.
template <typename A, typename B, typename Predicate>
Result<vector::Vector> BinaryPredicate(FunctionContext& context, const vector::Vector& left,
                                       const vector::Vector& right, int64_t rows,
                                       Predicate predicate) {
  FLOE_ASSIGN_OR_RETURN(vector::Vector a, FlatOrConstant(context, left));
  FLOE_ASSIGN_OR_RETURN(vector::Vector b, FlatOrConstant(context, right));
  const vector::Vector* inputs[] = {&a, &b};
  FLOE_ASSIGN_OR_RETURN(OutputValidity validity, CombineValidity(context, inputs, rows));
  const A* x = a.is_flat() ? a.values<A>() : a.dictionary().values<A>();
  const B* y = b.is_flat() ? b.values<B>() : b.dictionary().values<B>();
  if (a.is_flat() && b.is_flat()) {
    return PredicateRows(context, rows, std::move(validity),
                         [&](int64_t row) { return predicate(x[row], y[row]); });
  }
  if (a.is_flat()) {
    const B constant = y[0];
    return PredicateRows(context, rows, std::move(validity),
                         [&](int64_t row) { return predicate(x[row], constant); });
  }
  const A constant = x[0];
  int64_t y_step = b.is_flat() ? 1 : 0;
  return PredicateRows(context, rows, std::move(validity),
                       [&](int64_t row) { return predicate(constant, y[row * y_step]); });
}

/// True when any of `args` is NULL at `row`.
inline bool AnyNull(std::span<const vector::Vector> args, int64_t row) {
  for (const vector::Vector& arg : args) {
    if (arg.IsNull(row)) {
      return true;
    }
  }
  return false;
}

/// The general tier: calls `fn(row, builder)` for each row whose arguments are all non-NULL
/// (appending NULL for the others); `fn` appends exactly one row or returns an error.
template <typename Fn>
Result<vector::Vector> BuildRows(FunctionContext& context, std::span<const vector::Vector> args,
                                 int64_t rows, const types::LogicalType& result_type, Fn fn) {
  vector::VectorBuilder builder(result_type, context.tracker);
  FLOE_RETURN_NOT_OK(builder.Reserve(rows));
  for (int64_t row = 0; row < rows; ++row) {
    if (AnyNull(args, row)) {
      FLOE_RETURN_NOT_OK(builder.AppendNull());
      continue;
    }
    FLOE_RETURN_NOT_OK(fn(row, builder));
  }
  return builder.Finish();
}

/// As BuildRows, calling `fn` for every row, NULL arguments included.
template <typename Fn>
Result<vector::Vector> BuildAllRows(FunctionContext& context, int64_t rows,
                                    const types::LogicalType& result_type, Fn fn) {
  vector::VectorBuilder builder(result_type, context.tracker);
  FLOE_RETURN_NOT_OK(builder.Reserve(rows));
  for (int64_t row = 0; row < rows; ++row) {
    FLOE_RETURN_NOT_OK(fn(row, builder));
  }
  return builder.Finish();
}

/// True for a DECIMAL stored as int64 (precision up to 18).
inline bool IsDecimal64(const types::LogicalType& type) {
  return type.id() == types::TypeId::kDecimal &&
         type.precision() <= types::LogicalType::kMaxInt64DecimalPrecision;
}

/// Calls `fn(T{})` with T the storage of a DECIMAL type: int64_t or types::Int128.
template <typename Fn>
auto VisitDecimalStorage(const types::LogicalType& type, Fn fn) {
  if (IsDecimal64(type)) {
    return fn(int64_t{});
  }
  return fn(types::Int128{});
}

/// Calls `fn(T{})` with T the storage of an integer type: int16_t, int32_t or int64_t.
template <typename Fn>
auto VisitIntegerStorage(types::TypeId id, Fn fn) {
  switch (id) {
    case types::TypeId::kSmallInt:
      return fn(int16_t{});
    case types::TypeId::kInteger:
      return fn(int32_t{});
    default:
      return fn(int64_t{});
  }
}

/// Reads a DECIMAL row of any storage and encoding as its unscaled value.
inline types::Int128 ReadDecimal(const vector::Vector& vector, int64_t row) {
  return IsDecimal64(vector.type()) ? types::Int128{vector.Get<int64_t>(row)}
                                    : vector.Get<types::Int128>(row);
}

/// Reads an integer row of any integer type and encoding.
inline int64_t ReadInteger(const vector::Vector& vector, int64_t row) {
  switch (vector.type().id()) {
    case types::TypeId::kSmallInt:
      return vector.Get<int16_t>(row);
    case types::TypeId::kInteger:
      return vector.Get<int32_t>(row);
    default:
      return vector.Get<int64_t>(row);
  }
}

/// Returns OutOfRange (22003) "smallint out of range", "integer out of range" or "bigint out
/// of range".
Status IntegerOutOfRange(types::TypeId id);
/// Computes a / b of two DECIMALs at the result scale `scale`, rounding half away from zero.
/// Returns 0, 1 on overflow of 128 bits or 2 on division by zero.
unsigned DivideDecimal(types::Int128 a, int a_scale, types::Int128 b, int b_scale, int scale,
                       types::Int128* out);

/// Returns DivisionByZero (22012) "division by zero".
Status DivisionByZeroError();

}  // namespace floe::sql::internal
