#include "sql/execution/expression_evaluator.h"

#include <algorithm>
#include <cstring>
#include <string>
#include <string_view>
#include <unordered_set>

#include "sql/execution/row_key.h"
#include "sql/functions/cast_vector.h"
#include "types/value.h"
#include "vector/bitmap.h"
#include "vector/buffer.h"
#include "vector/vector_builder.h"

namespace floe::sql::execution {

using types::LogicalType;
using types::TypeId;
using types::Value;
using vector::Batch;
using vector::Buffer;
using vector::SelectionVector;
using vector::Vector;

namespace {

// Three-valued logic as one byte per row, ordered so that AND is min and OR is max.
constexpr uint8_t kFalse = 0;
constexpr uint8_t kNull = 1;
constexpr uint8_t kTrue = 2;

void ReadTriState(const Vector& vector, int64_t rows, uint8_t* out) {
  if (vector.encoding() == vector::Encoding::kConstant) {
    uint8_t value = vector.IsNull(0) ? kNull : (vector.GetBool(0) ? kTrue : kFalse);
    std::memset(out, value, static_cast<size_t>(rows));
    return;
  }
  if (vector.is_flat()) {
    const uint8_t* bits = vector.value_bits();
    const int64_t offset = vector.offset();
    for (int64_t i = 0; i < rows; ++i) {
      out[i] = vector::GetBit(bits, offset + i) ? kTrue : kFalse;
    }
    if (vector.MayHaveNulls()) {
      const uint8_t* validity = vector.validity_bits();
      for (int64_t i = 0; i < rows; ++i) {
        if (!vector::GetBit(validity, offset + i)) {
          out[i] = kNull;
        }
      }
    }
    return;
  }
  for (int64_t i = 0; i < rows; ++i) {
    out[i] = vector.IsNull(i) ? kNull : (vector.GetBool(i) ? kTrue : kFalse);
  }
}

Result<Vector> MakeBooleanVector(const uint8_t* tri_state, int64_t rows, MemoryTracker* tracker) {
  FLOE_ASSIGN_OR_RETURN(auto values, Buffer::AllocateZeroed(vector::BitmapBytes(rows), tracker));
  uint8_t* bits = values->mutable_data();
  int64_t null_count = 0;
  for (int64_t i = 0; i < rows; ++i) {
    if (tri_state[i] == kTrue) {
      vector::SetBit(bits, i);
    }
    null_count += tri_state[i] == kNull;
  }
  std::shared_ptr<Buffer> validity;
  if (null_count > 0) {
    FLOE_ASSIGN_OR_RETURN(validity, Buffer::AllocateZeroed(vector::BitmapBytes(rows), tracker));
    uint8_t* valid_bits = validity->mutable_data();
    for (int64_t i = 0; i < rows; ++i) {
      if (tri_state[i] != kNull) {
        vector::SetBit(valid_bits, i);
      }
    }
  }
  return Vector::MakeFlat(LogicalType::Boolean(), rows, 0, std::move(validity), std::move(values),
                          nullptr, {}, null_count);
}

Result<Vector> MakeConstantVector(const Value& value, int64_t rows, MemoryTracker* tracker) {
  if (value.is_null()) {
    return Vector::MakeConstantNull(value.type(), rows, tracker);
  }
  vector::VectorBuilder builder(value.type(), tracker);
  FLOE_RETURN_NOT_OK(builder.AppendValue(value));
  FLOE_ASSIGN_OR_RETURN(Vector one, builder.Finish());
  return Vector::MakeConstant(one, 0, rows, tracker);
}

// Returns `column` restricted to `rows` without copying values where possible: a dictionary
// view whose indices are the selected rows.
Result<Vector> SelectRows(const Vector& column, const std::shared_ptr<Buffer>& indices,
                          const uint32_t* rows, int64_t count, MemoryTracker* tracker) {
  switch (column.encoding()) {
    case vector::Encoding::kConstant:
      return Vector::MakeConstant(column, 0, count, tracker);
    case vector::Encoding::kFlat:
      if (column.type().IsNested()) {
        break;
      }
      return Vector::MakeDictionary(std::make_shared<const Vector>(column), count, 0, indices,
                                    nullptr);
    case vector::Encoding::kDictionary: {
      if (column.validity_bits() != nullptr) {
        break;
      }
      FLOE_ASSIGN_OR_RETURN(auto composed, Buffer::Allocate(count * 4, tracker));
      int32_t* out = composed->mutable_data_as<int32_t>();
      const int32_t* in = column.indices();
      for (int64_t i = 0; i < count; ++i) {
        out[i] = in[rows[i]];
      }
      return Vector::MakeDictionary(std::make_shared<const Vector>(column.dictionary()), count, 0,
                                    std::move(composed), nullptr);
    }
  }
  return column.Gather(SelectionVector::Borrow(std::span<const uint32_t>(rows, count)), tracker);
}

}  // namespace

// The rows an expression is evaluated on: all rows of a batch, or the rows `rows` of it.
struct ExpressionEvaluator::Input {
  const Batch* batch = nullptr;
  const uint32_t* rows = nullptr;  // Null: every row of the batch.
  int64_t count = 0;
  std::shared_ptr<Buffer> indices;  // `rows` as int32 dictionary indices, made on first use.
  mutable std::unordered_map<int64_t, Vector> columns;

  bool is_all() const { return rows == nullptr; }
};

struct ExpressionEvaluator::InListSet {
  RowKeyEncoder encoder;
  std::unordered_set<std::string> keys;
  bool has_null = false;
};

ExpressionEvaluator::ExpressionEvaluator(FunctionContext* context) : context_(context) {}
ExpressionEvaluator::~ExpressionEvaluator() = default;

Result<Vector> ExpressionEvaluator::Evaluate(const Expression& expr, const Batch& batch) {
  Input input;
  input.batch = &batch;
  input.count = batch.num_rows();
  return Eval(expr, input);
}

namespace {
Result<std::shared_ptr<Buffer>> IndicesOf(const uint32_t* rows, int64_t count,
                                          MemoryTracker* tracker) {
  FLOE_ASSIGN_OR_RETURN(auto buffer, Buffer::Allocate(std::max<int64_t>(count, 1) * 4, tracker));
  std::memcpy(buffer->mutable_data(), rows, static_cast<size_t>(count) * 4);
  return buffer;
}
}  // namespace

Result<Vector> ExpressionEvaluator::Evaluate(const Expression& expr, const Batch& batch,
                                             const SelectionVector& rows) {
  Input input;
  input.batch = &batch;
  input.rows = rows.data();
  input.count = rows.size();
  FLOE_ASSIGN_OR_RETURN(input.indices, IndicesOf(input.rows, input.count, context_->tracker));
  return Eval(expr, input);
}

Status ExpressionEvaluator::Filter(const Expression& predicate, const Batch& batch,
                                   SelectionVector& selection) {
  Input input;
  input.batch = &batch;
  input.count = batch.num_rows();
  std::vector<uint32_t> selected;
  FLOE_RETURN_NOT_OK(FilterInto(predicate, input, selected));
  selection = SelectionVector(std::move(selected));
  return Status::OK();
}

Status ExpressionEvaluator::FilterInto(const Expression& predicate, const Input& input,
                                       std::vector<uint32_t>& selected) {
  if (predicate.kind() == ExpressionKind::kAnd) {
    // Each conjunct sees only the rows the previous ones kept.
    std::vector<uint32_t> current;
    const Input* level = &input;
    Input narrowed;
    for (size_t c = 0; c < predicate.children().size(); ++c) {
      std::vector<uint32_t> kept;
      FLOE_RETURN_NOT_OK(FilterInto(predicate.child(c), *level, kept));
      if (level != &input) {
        for (uint32_t& row : kept) {
          row = current[row];
        }
      }
      current = std::move(kept);
      if (current.empty() || c + 1 == predicate.children().size()) {
        break;
      }
      narrowed = Input();
      narrowed.batch = input.batch;
      // Rows of the batch itself, composed with the caller's selection.
      narrowed.count = static_cast<int64_t>(current.size());
      std::vector<uint32_t> batch_rows(current);
      if (!input.is_all()) {
        for (uint32_t& row : batch_rows) {
          row = input.rows[row];
        }
      }
      FLOE_ASSIGN_OR_RETURN(narrowed.indices,
                            IndicesOf(batch_rows.data(), narrowed.count, context_->tracker));
      narrowed.rows = narrowed.indices->data_as<uint32_t>();
      level = &narrowed;
    }
    selected = std::move(current);
    return Status::OK();
  }
  FLOE_ASSIGN_OR_RETURN(Vector result, Eval(predicate, input));
  selected.clear();
  selected.reserve(static_cast<size_t>(input.count));
  if (result.encoding() == vector::Encoding::kConstant) {
    if (!result.IsNull(0) && result.GetBool(0)) {
      for (int64_t i = 0; i < input.count; ++i) {
        selected.push_back(static_cast<uint32_t>(i));
      }
    }
    return Status::OK();
  }
  if (result.is_flat()) {
    const uint8_t* bits = result.value_bits();
    const uint8_t* validity = result.MayHaveNulls() ? result.validity_bits() : nullptr;
    const int64_t offset = result.offset();
    for (int64_t i = 0; i < input.count; ++i) {
      bool keep = vector::GetBit(bits, offset + i) &&
                  (validity == nullptr || vector::GetBit(validity, offset + i));
      if (keep) {
        selected.push_back(static_cast<uint32_t>(i));
      }
    }
    return Status::OK();
  }
  for (int64_t i = 0; i < input.count; ++i) {
    if (!result.IsNull(i) && result.GetBool(i)) {
      selected.push_back(static_cast<uint32_t>(i));
    }
  }
  return Status::OK();
}

Result<Vector> ExpressionEvaluator::Eval(const Expression& expr, const Input& input) {
  switch (expr.kind()) {
    case ExpressionKind::kColumnRef: {
      int64_t index = expr.column_index();
      if (index < 0 || index >= input.batch->num_columns()) {
        return Status::Internal("expression reads column #{} of a batch of {} columns", index,
                                input.batch->num_columns());
      }
      const Vector& column = input.batch->column(index);
      if (input.is_all()) {
        return column;
      }
      auto cached = input.columns.find(index);
      if (cached != input.columns.end()) {
        return cached->second;
      }
      FLOE_ASSIGN_OR_RETURN(Vector view, SelectRows(column, input.indices, input.rows, input.count,
                                                    context_->tracker));
      input.columns.emplace(index, view);
      return view;
    }
    case ExpressionKind::kConstant:
      return EvalConstant(expr, input.count);
    case ExpressionKind::kParameter:
      return Status::Internal("parameter ${} was not bound before execution",
                              expr.parameter_index());
    case ExpressionKind::kFunction:
      return EvalFunction(expr, input);
    case ExpressionKind::kCast:
      return EvalCast(expr, input);
    case ExpressionKind::kAnd:
    case ExpressionKind::kOr:
    case ExpressionKind::kNot:
      return EvalLogic(expr, input);
    case ExpressionKind::kIsNull:
    case ExpressionKind::kIsNotNull:
    case ExpressionKind::kIsTrue:
    case ExpressionKind::kIsNotTrue:
    case ExpressionKind::kIsFalse:
    case ExpressionKind::kIsNotFalse:
      return EvalTest(expr, input);
    case ExpressionKind::kIsDistinctFrom:
    case ExpressionKind::kIsNotDistinctFrom:
      return EvalDistinct(expr, input);
    case ExpressionKind::kInList:
      return EvalInList(expr, input);
    case ExpressionKind::kCase:
      return EvalCase(expr, input);
    case ExpressionKind::kCoalesce:
      return EvalCoalesce(expr, input);
  }
  return Status::Internal("unknown expression kind");
}

Result<Vector> ExpressionEvaluator::EvalConstant(const Expression& expr, int64_t rows) {
  auto cached = constants_.find(&expr);
  if (cached == constants_.end()) {
    FLOE_ASSIGN_OR_RETURN(Vector one, MakeConstantVector(expr.value(), 1, context_->tracker));
    cached =
        constants_.emplace(&expr, CachedConstant{expr.shared_from_this(), std::move(one)}).first;
  }
  const Vector& value = cached->second.value;
  if (value.length() == rows) {
    return value;
  }
  return Vector::MakeConstant(value, 0, rows, context_->tracker);
}

Result<Vector> ExpressionEvaluator::EvalFunction(const Expression& expr, const Input& input) {
  const ScalarFunction& function = expr.function();
  std::vector<Vector> args;
  args.reserve(expr.children().size());
  int dictionary_args = 0;
  int other_args = 0;
  for (const auto& child : expr.children()) {
    FLOE_ASSIGN_OR_RETURN(Vector arg, Eval(*child, input));
    if (arg.encoding() == vector::Encoding::kDictionary) {
      ++dictionary_args;
    } else if (arg.encoding() == vector::Encoding::kFlat) {
      ++other_args;
    }
    args.push_back(std::move(arg));
  }
  // A deterministic function of one dictionary-encoded column runs once per dictionary entry;
  // the result keeps the input's indices.
  if (function.deterministic && dictionary_args == 1 && other_args == 0) {
    size_t position = 0;
    while (args[position].encoding() != vector::Encoding::kDictionary) {
      ++position;
    }
    const Vector& encoded = args[position];
    const Vector& dictionary = encoded.dictionary();
    if (dictionary.length() < encoded.length()) {
      std::vector<Vector> dictionary_args_vector;
      for (size_t i = 0; i < args.size(); ++i) {
        if (i == position) {
          dictionary_args_vector.push_back(dictionary);
        } else {
          FLOE_ASSIGN_OR_RETURN(
              Vector resized,
              Vector::MakeConstant(args[i], 0, dictionary.length(), context_->tracker));
          dictionary_args_vector.push_back(std::move(resized));
        }
      }
      FLOE_ASSIGN_OR_RETURN(
          Vector mapped, function.kernel(*context_, dictionary_args_vector, dictionary.length()));
      FLOE_ASSIGN_OR_RETURN(Vector flat_mapped, mapped.Flatten(context_->tracker));
      return Vector::MakeDictionary(std::make_shared<const Vector>(std::move(flat_mapped)),
                                    encoded.length(), encoded.offset(), encoded.values_buffer(),
                                    encoded.validity_buffer());
    }
  }
  FLOE_ASSIGN_OR_RETURN(Vector result, function.kernel(*context_, args, input.count));
  if (result.length() != input.count) {
    return Status::Internal("function {} returned {} rows for {}", function.name, result.length(),
                            input.count);
  }
  return result;
}

Result<Vector> ExpressionEvaluator::EvalCast(const Expression& expr, const Input& input) {
  FLOE_ASSIGN_OR_RETURN(Vector child, Eval(expr.child(0), input));
  if (child.type() == expr.type()) {
    return child;
  }
  return CastVector(*context_, child, input.count, expr.type());
}

Result<Vector> ExpressionEvaluator::EvalLogic(const Expression& expr, const Input& input) {
  const int64_t rows = input.count;
  std::vector<uint8_t> result(static_cast<size_t>(rows));
  if (expr.kind() == ExpressionKind::kNot) {
    FLOE_ASSIGN_OR_RETURN(Vector child, Eval(expr.child(0), input));
    ReadTriState(child, rows, result.data());
    for (auto& value : result) {
      value = static_cast<uint8_t>(kTrue - value);
    }
    return MakeBooleanVector(result.data(), rows, context_->tracker);
  }
  const bool is_and = expr.kind() == ExpressionKind::kAnd;
  // Rows already decided (false for AND, true for OR) skip the remaining children.
  const uint8_t decided = is_and ? kFalse : kTrue;
  FLOE_ASSIGN_OR_RETURN(Vector first, Eval(expr.child(0), input));
  ReadTriState(first, rows, result.data());
  std::vector<uint8_t> child_values;
  for (size_t c = 1; c < expr.children().size(); ++c) {
    std::vector<uint32_t> open;
    for (int64_t i = 0; i < rows; ++i) {
      if (result[static_cast<size_t>(i)] != decided) {
        open.push_back(static_cast<uint32_t>(i));
      }
    }
    if (open.empty()) {
      break;
    }
    const int64_t open_count = static_cast<int64_t>(open.size());
    Vector child;
    if (open_count == rows) {
      FLOE_ASSIGN_OR_RETURN(child, Eval(expr.child(c), input));
    } else {
      Input narrowed;
      narrowed.batch = input.batch;
      narrowed.count = open_count;
      if (!input.is_all()) {
        for (uint32_t& row : open) {
          row = input.rows[row];
        }
      }
      FLOE_ASSIGN_OR_RETURN(narrowed.indices,
                            IndicesOf(open.data(), open_count, context_->tracker));
      narrowed.rows = narrowed.indices->data_as<uint32_t>();
      FLOE_ASSIGN_OR_RETURN(child, Eval(expr.child(c), narrowed));
      // Map back: `open` now holds batch rows; recompute the positions in this input.
      open.clear();
      for (int64_t i = 0; i < rows; ++i) {
        if (result[static_cast<size_t>(i)] != decided) {
          open.push_back(static_cast<uint32_t>(i));
        }
      }
    }
    child_values.resize(static_cast<size_t>(open_count));
    ReadTriState(child, open_count, child_values.data());
    if (open_count == rows) {
      for (int64_t i = 0; i < rows; ++i) {
        uint8_t& out = result[static_cast<size_t>(i)];
        out = is_and ? std::min(out, child_values[static_cast<size_t>(i)])
                     : std::max(out, child_values[static_cast<size_t>(i)]);
      }
    } else {
      for (int64_t j = 0; j < open_count; ++j) {
        uint8_t& out = result[open[static_cast<size_t>(j)]];
        out = is_and ? std::min(out, child_values[static_cast<size_t>(j)])
                     : std::max(out, child_values[static_cast<size_t>(j)]);
      }
    }
  }
  return MakeBooleanVector(result.data(), rows, context_->tracker);
}

Result<Vector> ExpressionEvaluator::EvalTest(const Expression& expr, const Input& input) {
  FLOE_ASSIGN_OR_RETURN(Vector child, Eval(expr.child(0), input));
  const int64_t rows = input.count;
  std::vector<uint8_t> result(static_cast<size_t>(rows));
  const ExpressionKind kind = expr.kind();
  if (kind == ExpressionKind::kIsNull || kind == ExpressionKind::kIsNotNull) {
    const bool want_null = kind == ExpressionKind::kIsNull;
    for (int64_t i = 0; i < rows; ++i) {
      result[static_cast<size_t>(i)] = child.IsNull(i) == want_null ? kTrue : kFalse;
    }
    return MakeBooleanVector(result.data(), rows, context_->tracker);
  }
  ReadTriState(child, rows, result.data());
  uint8_t target =
      (kind == ExpressionKind::kIsTrue || kind == ExpressionKind::kIsNotTrue) ? kTrue : kFalse;
  bool negate = kind == ExpressionKind::kIsNotTrue || kind == ExpressionKind::kIsNotFalse;
  for (auto& value : result) {
    value = ((value == target) != negate) ? kTrue : kFalse;
  }
  return MakeBooleanVector(result.data(), rows, context_->tracker);
}

Result<Vector> ExpressionEvaluator::EvalDistinct(const Expression& expr, const Input& input) {
  FLOE_ASSIGN_OR_RETURN(Vector left, Eval(expr.child(0), input));
  FLOE_ASSIGN_OR_RETURN(Vector right, Eval(expr.child(1), input));
  FLOE_ASSIGN_OR_RETURN(RowKeyEncoder encoder, RowKeyEncoder::Make({left.type()}));
  std::vector<uint8_t> left_bytes;
  std::vector<uint8_t> right_bytes;
  std::vector<uint32_t> left_offsets;
  std::vector<uint32_t> right_offsets;
  encoder.Encode(std::span<const Vector>(&left, 1), input.count, left_bytes, left_offsets);
  encoder.Encode(std::span<const Vector>(&right, 1), input.count, right_bytes, right_offsets);
  const bool want_equal = expr.kind() == ExpressionKind::kIsNotDistinctFrom;
  std::vector<uint8_t> result(static_cast<size_t>(input.count));
  for (int64_t i = 0; i < input.count; ++i) {
    size_t l = left_offsets[static_cast<size_t>(i)];
    size_t r = right_offsets[static_cast<size_t>(i)];
    size_t l_size = left_offsets[static_cast<size_t>(i) + 1] - l;
    size_t r_size = right_offsets[static_cast<size_t>(i) + 1] - r;
    bool equal = l_size == r_size && std::memcmp(&left_bytes[l], &right_bytes[r], l_size) == 0;
    result[static_cast<size_t>(i)] = equal == want_equal ? kTrue : kFalse;
  }
  return MakeBooleanVector(result.data(), input.count, context_->tracker);
}

Result<Vector> ExpressionEvaluator::EvalInList(const Expression& expr, const Input& input) {
  FLOE_ASSIGN_OR_RETURN(Vector tested, Eval(expr.child(0), input));
  const int64_t rows = input.count;
  FLOE_ASSIGN_OR_RETURN(RowKeyEncoder encoder, RowKeyEncoder::Make({tested.type()}));
  std::vector<uint8_t> bytes;
  std::vector<uint32_t> offsets;
  encoder.Encode(std::span<const Vector>(&tested, 1), rows, bytes, offsets);
  // PostgreSQL: true on a match; else NULL when the value or an item is NULL; else false.
  std::vector<uint8_t> result(static_cast<size_t>(rows), kFalse);
  bool all_constant = true;
  for (size_t i = 1; i < expr.children().size(); ++i) {
    all_constant = all_constant && expr.child(i).kind() == ExpressionKind::kConstant;
  }
  auto key_of = [&](int64_t row) {
    return std::string_view(reinterpret_cast<const char*>(bytes.data()) + offsets[row],
                            offsets[row + 1] - offsets[row]);
  };
  if (all_constant) {
    auto& cached = in_sets_[&expr];
    if (cached.set == nullptr) {
      cached.node = expr.shared_from_this();
      cached.set = std::make_unique<InListSet>();
      InListSet* set = cached.set.get();
      for (size_t i = 1; i < expr.children().size(); ++i) {
        const Value& value = expr.child(i).value();
        if (value.is_null()) {
          set->has_null = true;
          continue;
        }
        FLOE_ASSIGN_OR_RETURN(Vector item, MakeConstantVector(value, 1, context_->tracker));
        std::vector<uint8_t> item_bytes;
        std::vector<uint32_t> item_offsets;
        encoder.Encode(std::span<const Vector>(&item, 1), 1, item_bytes, item_offsets);
        set->keys.emplace(reinterpret_cast<const char*>(item_bytes.data()), item_bytes.size());
      }
    }
    const InListSet* set = cached.set.get();
    std::string probe;
    for (int64_t i = 0; i < rows; ++i) {
      if (tested.IsNull(i)) {
        result[static_cast<size_t>(i)] = kNull;
        continue;
      }
      probe.assign(key_of(i));
      if (set->keys.count(probe) > 0) {
        result[static_cast<size_t>(i)] = kTrue;
      } else if (set->has_null) {
        result[static_cast<size_t>(i)] = kNull;
      }
    }
  } else {
    std::vector<uint8_t> item_bytes;
    std::vector<uint32_t> item_offsets;
    for (int64_t i = 0; i < rows; ++i) {
      if (tested.IsNull(i)) {
        result[static_cast<size_t>(i)] = kNull;
      }
    }
    for (size_t c = 1; c < expr.children().size(); ++c) {
      FLOE_ASSIGN_OR_RETURN(Vector item, Eval(expr.child(c), input));
      encoder.Encode(std::span<const Vector>(&item, 1), rows, item_bytes, item_offsets);
      for (int64_t i = 0; i < rows; ++i) {
        uint8_t& out = result[static_cast<size_t>(i)];
        if (out == kTrue || tested.IsNull(i)) {
          continue;
        }
        if (item.IsNull(i)) {
          out = kNull;
          continue;
        }
        std::string_view item_key(
            reinterpret_cast<const char*>(item_bytes.data()) + item_offsets[i],
            item_offsets[i + 1] - item_offsets[i]);
        if (item_key == key_of(i)) {
          out = kTrue;
        }
      }
    }
  }
  if (expr.negated()) {
    for (auto& value : result) {
      value = static_cast<uint8_t>(kTrue - value);
    }
  }
  return MakeBooleanVector(result.data(), rows, context_->tracker);
}

namespace {
// Builds the result of CASE or COALESCE from pieces: `pieces[p]` holds values for the rows
// `piece_rows[p]` (positions in the output, each output row in exactly one piece).
Result<Vector> AssemblePieces(const LogicalType& type, const std::vector<Vector>& pieces,
                              const std::vector<std::vector<uint32_t>>& piece_rows, int64_t rows,
                              MemoryTracker* tracker) {
  if (pieces.size() == 1 && static_cast<int64_t>(piece_rows[0].size()) == rows) {
    return pieces[0];
  }
  // Concatenate the pieces, then gather them back into output order.
  vector::VectorBuilder builder(type, tracker);
  FLOE_RETURN_NOT_OK(builder.Reserve(rows));
  std::vector<uint32_t> order(static_cast<size_t>(rows));
  uint32_t position = 0;
  for (size_t p = 0; p < pieces.size(); ++p) {
    const int64_t count = static_cast<int64_t>(piece_rows[p].size());
    FLOE_RETURN_NOT_OK(AppendRows(builder, pieces[p], nullptr, 0, count));
    for (uint32_t row : piece_rows[p]) {
      order[row] = position++;
    }
  }
  FLOE_ASSIGN_OR_RETURN(Vector concatenated, builder.Finish());
  return concatenated.Gather(SelectionVector(std::move(order)), tracker);
}
}  // namespace

Result<Vector> ExpressionEvaluator::EvalCase(const Expression& expr, const Input& input) {
  const int64_t rows = input.count;
  std::vector<Vector> pieces;
  std::vector<std::vector<uint32_t>> piece_rows;
  // Positions (in this input) not yet claimed by a WHEN.
  std::vector<uint32_t> open(static_cast<size_t>(rows));
  for (int64_t i = 0; i < rows; ++i) {
    open[static_cast<size_t>(i)] = static_cast<uint32_t>(i);
  }
  auto evaluate_on = [&](const Expression& branch,
                         const std::vector<uint32_t>& positions) -> Result<Vector> {
    if (static_cast<int64_t>(positions.size()) == rows) {
      return Eval(branch, input);
    }
    std::vector<uint32_t> batch_rows(positions);
    if (!input.is_all()) {
      for (uint32_t& row : batch_rows) {
        row = input.rows[row];
      }
    }
    Input narrowed;
    narrowed.batch = input.batch;
    narrowed.count = static_cast<int64_t>(batch_rows.size());
    FLOE_ASSIGN_OR_RETURN(narrowed.indices,
                          IndicesOf(batch_rows.data(), narrowed.count, context_->tracker));
    narrowed.rows = narrowed.indices->data_as<uint32_t>();
    return Eval(branch, narrowed);
  };
  std::vector<uint8_t> conditions;
  for (size_t w = 0; w + 1 < expr.children().size() && !open.empty(); w += 2) {
    FLOE_ASSIGN_OR_RETURN(Vector condition, evaluate_on(expr.child(w), open));
    conditions.resize(open.size());
    ReadTriState(condition, static_cast<int64_t>(open.size()), conditions.data());
    std::vector<uint32_t> matched;
    std::vector<uint32_t> rest;
    for (size_t i = 0; i < open.size(); ++i) {
      (conditions[i] == kTrue ? matched : rest).push_back(open[i]);
    }
    if (!matched.empty()) {
      FLOE_ASSIGN_OR_RETURN(Vector then, evaluate_on(expr.child(w + 1), matched));
      pieces.push_back(std::move(then));
      piece_rows.push_back(std::move(matched));
    }
    open = std::move(rest);
  }
  if (!open.empty()) {
    FLOE_ASSIGN_OR_RETURN(Vector otherwise, evaluate_on(*expr.children().back(), open));
    pieces.push_back(std::move(otherwise));
    piece_rows.push_back(std::move(open));
  }
  if (pieces.empty()) {
    return Vector::MakeConstantNull(expr.type(), rows, context_->tracker);
  }
  return AssemblePieces(expr.type(), pieces, piece_rows, rows, context_->tracker);
}

Result<Vector> ExpressionEvaluator::EvalCoalesce(const Expression& expr, const Input& input) {
  const int64_t rows = input.count;
  std::vector<Vector> pieces;
  std::vector<std::vector<uint32_t>> piece_rows;
  std::vector<uint32_t> open(static_cast<size_t>(rows));
  for (int64_t i = 0; i < rows; ++i) {
    open[static_cast<size_t>(i)] = static_cast<uint32_t>(i);
  }
  for (size_t c = 0; c < expr.children().size() && !open.empty(); ++c) {
    Vector value;
    if (static_cast<int64_t>(open.size()) == rows) {
      FLOE_ASSIGN_OR_RETURN(value, Eval(expr.child(c), input));
    } else {
      std::vector<uint32_t> batch_rows(open);
      if (!input.is_all()) {
        for (uint32_t& row : batch_rows) {
          row = input.rows[row];
        }
      }
      Input narrowed;
      narrowed.batch = input.batch;
      narrowed.count = static_cast<int64_t>(batch_rows.size());
      FLOE_ASSIGN_OR_RETURN(narrowed.indices,
                            IndicesOf(batch_rows.data(), narrowed.count, context_->tracker));
      narrowed.rows = narrowed.indices->data_as<uint32_t>();
      FLOE_ASSIGN_OR_RETURN(value, Eval(expr.child(c), narrowed));
    }
    const bool is_last = c + 1 == expr.children().size();
    if (!value.MayHaveNulls() || is_last) {
      pieces.push_back(std::move(value));
      piece_rows.push_back(std::move(open));
      open.clear();
      break;
    }
    std::vector<uint32_t> taken_positions;
    std::vector<uint32_t> taken;
    std::vector<uint32_t> rest;
    for (size_t i = 0; i < open.size(); ++i) {
      if (value.IsNull(static_cast<int64_t>(i))) {
        rest.push_back(open[i]);
      } else {
        taken_positions.push_back(static_cast<uint32_t>(i));
        taken.push_back(open[i]);
      }
    }
    if (!taken.empty()) {
      FLOE_ASSIGN_OR_RETURN(
          Vector selected,
          value.Gather(SelectionVector(std::move(taken_positions)), context_->tracker));
      pieces.push_back(std::move(selected));
      piece_rows.push_back(std::move(taken));
    }
    open = std::move(rest);
  }
  if (pieces.empty()) {
    return Vector::MakeConstantNull(expr.type(), rows, context_->tracker);
  }
  return AssemblePieces(expr.type(), pieces, piece_rows, rows, context_->tracker);
}

}  // namespace floe::sql::execution
