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

// Packs the rows of `tri_state` equal to `value` into the bits of `out`, eight rows a byte
// without a branch per row; returns how many rows matched.
int64_t PackEqual(const uint8_t* tri_state, int64_t rows, uint8_t value, uint8_t* out) {
  int64_t matched = 0;
  for (int64_t first = 0; first < rows; first += 8) {
    const int64_t count = std::min<int64_t>(8, rows - first);
    unsigned byte = 0;
    for (int64_t k = 0; k < count; ++k) {
      byte |= static_cast<unsigned>(tri_state[first + k] == value) << k;
    }
    out[first / 8] = static_cast<uint8_t>(byte);
    matched += __builtin_popcount(byte);
  }
  return matched;
}

Result<Vector> MakeBooleanVector(const uint8_t* tri_state, int64_t rows, MemoryTracker* tracker) {
  FLOE_ASSIGN_OR_RETURN(auto values, Buffer::AllocateZeroed(vector::BitmapBytes(rows), tracker));
  PackEqual(tri_state, rows, kTrue, values->mutable_data());
  std::shared_ptr<Buffer> validity;
  int64_t null_count = 0;
  if (std::memchr(tri_state, kNull, static_cast<size_t>(rows)) != nullptr) {
    FLOE_ASSIGN_OR_RETURN(validity, Buffer::AllocateZeroed(vector::BitmapBytes(rows), tracker));
    null_count = PackEqual(tri_state, rows, kNull, validity->mutable_data());
    uint8_t* valid_bits = validity->mutable_data();
    for (int64_t i = 0; i < vector::BitmapBytes(rows); ++i) {
      valid_bits[i] = static_cast<uint8_t>(~valid_bits[i]);
    }
    if (rows % 8 != 0) {
      valid_bits[rows / 8] &= static_cast<uint8_t>((1u << (rows % 8)) - 1);
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

// Returns `column` restricted to `rows` without copying strings: a dictionary view whose indices
// are the selected rows.
Result<Vector> SelectRows(const Vector& column, const std::shared_ptr<Buffer>& indices,
                          const uint32_t* rows, int64_t count, MemoryTracker* tracker) {
  switch (column.encoding()) {
    case vector::Encoding::kConstant:
      return Vector::MakeConstant(column, 0, count, tracker);
    case vector::Encoding::kFlat:
      // Fixed-width kernels flatten their inputs, so a view would be copied by each node
      // reading the column; copying once here lets every node share the cached copy.
      if (column.type().IsNested() || !column.type().IsString()) {
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
  // EvaluateAll: the values of shared nodes computed so far, keyed by the first equal node.
  std::unordered_map<const Expression*, Vector>* shared_values = nullptr;

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

namespace {
// True when `expr` cannot fail on any row: comparisons and IN lists of columns and constants
// of scalar types, and the logic over them. Such a conjunct may be evaluated on rows an
// earlier conjunct rejected (a division guarded by `x <> 0` could not).
bool IsSafeOnEveryRow(const Expression& expr) {
  switch (expr.kind()) {
    case ExpressionKind::kColumnRef:
    case ExpressionKind::kConstant:
      return !expr.type().IsNested();
    case ExpressionKind::kFunction: {
      static constexpr std::string_view kComparisons[] = {"=", "<>", "!=", "<", "<=", ">", ">="};
      const ScalarFunction& function = expr.function();
      if (!function.deterministic || std::find(std::begin(kComparisons), std::end(kComparisons),
                                               function.name) == std::end(kComparisons)) {
        return false;
      }
      break;
    }
    case ExpressionKind::kInList:
    case ExpressionKind::kAnd:
    case ExpressionKind::kOr:
    case ExpressionKind::kNot:
    case ExpressionKind::kIsNull:
    case ExpressionKind::kIsNotNull:
      break;
    default:
      return false;
  }
  for (const auto& child : expr.children()) {
    if (!IsSafeOnEveryRow(*child)) {
      return false;
    }
  }
  return true;
}

// Sets `selected` to the positions whose tri-state value in `result` is true.
void SelectTrue(const Vector& result, int64_t count, std::vector<uint32_t>& selected) {
  selected.resize(static_cast<size_t>(count));
  size_t kept = 0;
  if (result.encoding() == vector::Encoding::kConstant) {
    if (!result.IsNull(0) && result.GetBool(0)) {
      for (int64_t i = 0; i < count; ++i) {
        selected[kept++] = static_cast<uint32_t>(i);
      }
    }
  } else if (result.is_flat() && result.offset() % 8 == 0) {
    // A word of the bitmap at a time, visiting only its set bits.
    const uint8_t* bits = result.value_bits() + result.offset() / 8;
    const uint8_t* validity =
        result.MayHaveNulls() ? result.validity_bits() + result.offset() / 8 : nullptr;
    const int64_t bytes = vector::BitmapBytes(count);
    for (int64_t first = 0; first < count; first += 64) {
      const size_t size = static_cast<size_t>(std::min<int64_t>(8, bytes - first / 8));
      uint64_t word = 0;
      std::memcpy(&word, bits + first / 8, size);
      if (validity != nullptr) {
        uint64_t valid = 0;
        std::memcpy(&valid, validity + first / 8, size);
        word &= valid;
      }
      if (count - first < 64) {
        word &= (uint64_t{1} << (count - first)) - 1;
      }
      while (word != 0) {
        selected[kept++] = static_cast<uint32_t>(first + __builtin_ctzll(word));
        word &= word - 1;
      }
    }
  } else {
    for (int64_t i = 0; i < count; ++i) {
      selected[kept] = static_cast<uint32_t>(i);
      kept += !result.IsNull(i) && result.GetBool(i);
    }
  }
  selected.resize(kept);
}

// Removes from `positions` those whose value in `result` is not true.
void KeepTrue(const Vector& result, std::vector<uint32_t>& positions) {
  size_t kept = 0;
  if (result.encoding() == vector::Encoding::kConstant) {
    if (result.IsNull(0) || !result.GetBool(0)) {
      positions.clear();
    }
    return;
  }
  if (result.is_flat()) {
    const uint8_t* bits = result.value_bits();
    const uint8_t* validity = result.MayHaveNulls() ? result.validity_bits() : nullptr;
    const int64_t offset = result.offset();
    for (uint32_t position : positions) {
      positions[kept] = position;
      kept += vector::GetBit(bits, offset + position) &&
              (validity == nullptr || vector::GetBit(validity, offset + position));
    }
  } else {
    for (uint32_t position : positions) {
      positions[kept] = position;
      kept += !result.IsNull(position) && result.GetBool(position);
    }
  }
  positions.resize(kept);
}
}  // namespace

Status ExpressionEvaluator::FilterInto(const Expression& predicate, const Input& input,
                                       std::vector<uint32_t>& selected) {
  if (predicate.kind() != ExpressionKind::kAnd) {
    FLOE_ASSIGN_OR_RETURN(Vector result, Eval(predicate, input));
    SelectTrue(result, input.count, selected);
    return Status::OK();
  }
  // Positions in `input` kept by the conjuncts so far.
  std::vector<uint32_t> current;
  FLOE_RETURN_NOT_OK(FilterInto(predicate.child(0), input, current));
  for (size_t c = 1; c < predicate.children().size() && !current.empty(); ++c) {
    const Expression& conjunct = predicate.child(c);
    std::vector<uint32_t> kept;
    if (static_cast<int64_t>(current.size()) * 4 >= input.count && IsSafeOnEveryRow(conjunct)) {
      // Most rows are still in: a comparison over all of them costs less than viewing the
      // kept ones through their indices, which makes every kernel gather its inputs first.
      FLOE_ASSIGN_OR_RETURN(Vector result, Eval(conjunct, input));
      KeepTrue(result, current);
      continue;
    }
    // Each conjunct sees only the rows the previous ones kept: rows of the batch itself,
    // composed with the caller's selection.
    Input narrowed;
    narrowed.batch = input.batch;
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
    FLOE_RETURN_NOT_OK(FilterInto(conjunct, narrowed, kept));
    for (uint32_t& row : kept) {
      row = current[row];
    }
    current = std::move(kept);
  }
  selected = std::move(current);
  return Status::OK();
}

void ExpressionEvaluator::FindSharedNodes(std::span<const ExpressionPtr> exprs) {
  shared_for_.assign(exprs.begin(), exprs.end());
  shared_nodes_.clear();
  std::unordered_map<ExpressionPtr, std::vector<const Expression*>, ExpressionHash, ExpressionEqual>
      equals;
  std::vector<const ExpressionPtr*> pending;
  for (const ExpressionPtr& expr : exprs) {
    pending.push_back(&expr);
  }
  while (!pending.empty()) {
    const ExpressionPtr& node = *pending.back();
    pending.pop_back();
    const bool may_share =
        (node->kind() == ExpressionKind::kFunction || node->kind() == ExpressionKind::kCast) &&
        !node->HasVolatile();
    if (may_share) {
      equals[node].push_back(node.get());
    }
    for (const ExpressionPtr& child : node->children()) {
      pending.push_back(&child);
    }
  }
  for (const auto& [node, nodes] : equals) {
    if (nodes.size() > 1) {
      for (const Expression* equal : nodes) {
        shared_nodes_[equal] = nodes.front();
      }
    }
  }
}

Status ExpressionEvaluator::EvaluateAll(std::span<const ExpressionPtr> exprs, const Batch& batch,
                                        std::vector<Vector>& results) {
  if (!std::equal(exprs.begin(), exprs.end(), shared_for_.begin(), shared_for_.end())) {
    FindSharedNodes(exprs);
  }
  std::unordered_map<const Expression*, Vector> shared_values;
  Input input;
  input.batch = &batch;
  input.count = batch.num_rows();
  input.shared_values = shared_nodes_.empty() ? nullptr : &shared_values;
  results.clear();
  results.reserve(exprs.size());
  for (const ExpressionPtr& expr : exprs) {
    FLOE_ASSIGN_OR_RETURN(Vector value, Eval(*expr, input));
    results.push_back(std::move(value));
  }
  return Status::OK();
}

Result<Vector> ExpressionEvaluator::Eval(const Expression& expr, const Input& input) {
  if (input.shared_values != nullptr) {
    auto shared = shared_nodes_.find(&expr);
    if (shared != shared_nodes_.end()) {
      auto done = input.shared_values->find(shared->second);
      if (done != input.shared_values->end()) {
        return done->second;
      }
      FLOE_ASSIGN_OR_RETURN(Vector value, EvalNode(expr, input));
      input.shared_values->emplace(shared->second, value);
      return value;
    }
  }
  return EvalNode(expr, input);
}

Result<Vector> ExpressionEvaluator::EvalNode(const Expression& expr, const Input& input) {
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
  // PostgreSQL: true on a match; else NULL when the value or an item is NULL; else false.
  std::vector<uint8_t> result(static_cast<size_t>(rows), kFalse);
  bool all_constant = true;
  for (size_t i = 1; i < expr.children().size(); ++i) {
    all_constant = all_constant && expr.child(i).kind() == ExpressionKind::kConstant;
  }
  // A constant list over a dictionary-encoded value (a ship mode, a container) is probed once
  // per dictionary entry rather than once per row; -1 when it is probed per row.
  int64_t dictionary_length = -1;
  if (all_constant && tested.encoding() == vector::Encoding::kDictionary &&
      tested.validity_bits() == nullptr && tested.dictionary().length() < rows) {
    dictionary_length = tested.dictionary().length();
  }
  std::vector<uint8_t> bytes;
  std::vector<uint32_t> offsets;
  if (dictionary_length >= 0) {
    encoder.Encode(std::span<const Vector>(&tested.dictionary(), 1), dictionary_length, bytes,
                   offsets);
  } else {
    encoder.Encode(std::span<const Vector>(&tested, 1), rows, bytes, offsets);
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
    auto probe_rows = [&](int64_t count, uint8_t* out) {
      for (int64_t i = 0; i < count; ++i) {
        if (bytes[offsets[i]] != 0) {  // The key of a NULL.
          out[i] = kNull;
          continue;
        }
        probe.assign(key_of(i));
        if (set->keys.count(probe) > 0) {
          out[i] = kTrue;
        } else if (set->has_null) {
          out[i] = kNull;
        }
      }
    };
    if (dictionary_length >= 0) {
      std::vector<uint8_t> entry_result(static_cast<size_t>(dictionary_length), kFalse);
      probe_rows(dictionary_length, entry_result.data());
      const int32_t* indices = tested.indices();
      for (int64_t i = 0; i < rows; ++i) {
        result[static_cast<size_t>(i)] = entry_result[static_cast<size_t>(indices[i])];
      }
    } else {
      probe_rows(rows, result.data());
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
