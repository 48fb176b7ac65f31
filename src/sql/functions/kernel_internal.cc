#include "sql/functions/kernel_internal.h"

#include <utility>

namespace floe::sql::internal {

using vector::Buffer;
using vector::Vector;

Result<Vector> FlatOrConstant(FunctionContext& context, const Vector& vector) {
  if (vector.encoding() == vector::Encoding::kDictionary) {
    return vector.Flatten(context.tracker);
  }
  return vector;
}

Result<OutputValidity> CombineValidity(FunctionContext& context,
                                       std::span<const Vector* const> inputs, int64_t rows) {
  OutputValidity result;
  std::shared_ptr<Buffer> scratch;
  for (const Vector* input : inputs) {
    if (!input->MayHaveNulls()) {
      continue;
    }
    int64_t bytes = vector::BitmapBytes(rows);
    if (input->encoding() == vector::Encoding::kConstant) {
      FLOE_ASSIGN_OR_RETURN(result.bits, Buffer::AllocateZeroed(bytes, context.tracker));
      result.null_count = rows;
      return result;
    }
    if (result.bits == nullptr) {
      FLOE_ASSIGN_OR_RETURN(result.bits, Buffer::AllocateZeroed(bytes, context.tracker));
      vector::CopyBits(input->validity_bits(), input->offset(), rows, result.bits->mutable_data(),
                       0);
      continue;
    }
    if (scratch == nullptr) {
      FLOE_ASSIGN_OR_RETURN(scratch, Buffer::AllocateZeroed(bytes, context.tracker));
    }
    vector::CopyBits(input->validity_bits(), input->offset(), rows, scratch->mutable_data(), 0);
    uint8_t* target = result.bits->mutable_data();
    const uint8_t* source = scratch->data();
    for (int64_t index = 0; index < bytes; ++index) {
      target[index] &= source[index];
    }
  }
  if (result.bits != nullptr) {
    result.null_count = rows - vector::CountSetBits(result.bits->data(), 0, rows);
    if (result.null_count == 0) {
      result.bits = nullptr;
    }
  }
  return result;
}

Result<OutputValidity> ValidityOf(FunctionContext& context, const Vector& input, int64_t rows) {
  if (input.encoding() != vector::Encoding::kDictionary) {
    const Vector* inputs[] = {&input};
    return CombineValidity(context, inputs, rows);
  }
  OutputValidity result;
  if (!input.MayHaveNulls()) {
    return result;
  }
  FLOE_ASSIGN_OR_RETURN(result.bits,
                        Buffer::AllocateZeroed(vector::BitmapBytes(rows), context.tracker));
  uint8_t* bits = result.bits->mutable_data();
  for (int64_t row = 0; row < rows; ++row) {
    if (input.IsNull(row)) {
      ++result.null_count;
    } else {
      vector::SetBit(bits, row);
    }
  }
  return result;
}

Status IntegerOutOfRange(types::TypeId id) {
  std::string_view name = id == types::TypeId::kSmallInt  ? "smallint"
                          : id == types::TypeId::kInteger ? "integer"
                                                          : "bigint";
  return Status::OutOfRange("{} out of range", name);
}

Status DivisionByZeroError() {
  return Status::DivisionByZero("division by zero");
}

namespace {

bool AllConstant(std::span<const Vector> args) {
  for (const Vector& arg : args) {
    if (arg.encoding() != vector::Encoding::kConstant) {
      return false;
    }
  }
  return !args.empty();
}

// Computes a kernel once over the one-row values of constant arguments.
Result<Vector> FoldConstants(const ScalarKernel& kernel, FunctionContext& context,
                             std::span<const Vector> args, int64_t rows) {
  std::vector<Vector> single;
  single.reserve(args.size());
  for (const Vector& arg : args) {
    single.push_back(arg.dictionary());
  }
  FLOE_ASSIGN_OR_RETURN(Vector one, kernel(context, single, 1));
  return Vector::MakeConstant(one, 0, rows, context.tracker);
}

}  // namespace

ScalarKernel StrictKernel(types::LogicalType return_type, ScalarKernel kernel) {
  return
      [return_type = std::move(return_type), kernel = std::move(kernel)](
          FunctionContext& context, std::span<const Vector> args, int64_t rows) -> Result<Vector> {
        for (const Vector& arg : args) {
          if (arg.encoding() == vector::Encoding::kConstant && arg.MayHaveNulls()) {
            return Vector::MakeConstantNull(return_type, rows, context.tracker);
          }
        }
        if (AllConstant(args)) {
          return FoldConstants(kernel, context, args, rows);
        }
        return kernel(context, args, rows);
      };
}

ScalarKernel ConstantFoldingKernel(ScalarKernel kernel) {
  return [kernel = std::move(kernel)](FunctionContext& context, std::span<const Vector> args,
                                      int64_t rows) -> Result<Vector> {
    if (AllConstant(args)) {
      return FoldConstants(kernel, context, args, rows);
    }
    return kernel(context, args, rows);
  };
}

}  // namespace floe::sql::internal
