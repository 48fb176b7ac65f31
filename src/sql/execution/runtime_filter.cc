#include "sql/execution/runtime_filter.h"

#include <algorithm>

#include <fmt/format.h>

#include "sql/execution/expression_evaluator.h"
#include "vector/selection_vector.h"

namespace floe::sql::execution {

using types::TypeId;
using vector::Batch;
using vector::Vector;

namespace {
// Rows encoded and hashed at a time while building, so the scratch stays small.
constexpr int64_t kBuildChunkRows = 4096;
// A filter is checked on at least this many rows before it may be given up.
constexpr int64_t kMinRowsBeforeGivingUp = int64_t{1} << 16;

// The width of an integer-like key's values, whose order is that of the stored integers; 0 for
// other types (no bounds).
int OrderedIntegerWidth(const types::LogicalType& type) {
  switch (type.id()) {
    case TypeId::kSmallInt:
    case TypeId::kInteger:
    case TypeId::kBigInt:
    case TypeId::kDate:
    case TypeId::kTime:
    case TypeId::kTimestamp:
    case TypeId::kTimestampTz:
      return type.PhysicalWidth();
    case TypeId::kDecimal:
      return type.precision() <= types::LogicalType::kMaxInt64DecimalPrecision ? 8 : 0;
    default:
      return 0;
  }
}

template <typename T>
void FindExtremes(const Vector& keys, int64_t& min_row, int64_t& max_row) {
  T min = 0;
  T max = 0;
  for (int64_t row = 0; row < keys.length(); ++row) {
    if (keys.IsNull(row)) {
      continue;
    }
    const T value = keys.Get<T>(row);
    if (min_row < 0 || value < min) {
      min = value;
      min_row = row;
    }
    if (max_row < 0 || value > max) {
      max = value;
      max_row = row;
    }
  }
}
}  // namespace

RuntimeFilter::RuntimeFilter(int id, types::LogicalType type, std::string key_text)
    : id_(id), type_(std::move(type)), key_text_(std::move(key_text)) {}

Status RuntimeFilter::Build(const Vector& keys, std::span<const uint64_t> hashes,
                            MemoryTracker* tracker) {
  const int64_t rows = keys.length();
  if (rows > kMaxKeys) {
    return Status::OK();
  }
  FLOE_ASSIGN_OR_RETURN(encoder_, RowKeyEncoder::Make({type_}));
  num_keys_ = rows;
  if (keys.MayHaveNulls()) {
    for (int64_t row = 0; row < rows; ++row) {
      num_keys_ -= keys.IsNull(row) ? 1 : 0;
    }
  }
  // Small key sets get many bits per key (and at least 4 KiB), so that the filter is close to
  // exact, but not past kCachedBytes: a scan probes it once per row, and a filter that no
  // longer fits in a core's cache costs a cache miss per row (TPC-H Q10's 57 thousand order
  // keys made a 1 MiB filter whose probes took a tenth of the query). Large key sets get 16
  // bits per key, under 1% false positives with four bits per key in one 64-bit word.
  constexpr int64_t kCachedBytes = int64_t{256} << 10;
  constexpr int64_t kMinBitsPerKey = 16;
  int64_t words = 64;
  while (words * 64 < num_keys_ * 128 && (words * 2) * 8 <= kCachedBytes) {
    words *= 2;
  }
  while (words * 64 < num_keys_ * kMinBitsPerKey) {
    words *= 2;
  }
  reservation_ = MemoryReservation(tracker);
  FLOE_RETURN_NOT_OK(reservation_.Grow(words * static_cast<int64_t>(sizeof(uint64_t))));
  words_.assign(static_cast<size_t>(words), 0);
  word_mask_ = static_cast<uint64_t>(words - 1);
  auto insert = [this](uint64_t hash) { words_[(hash >> 24) & word_mask_] |= BitsOf(hash); };
  integer_width_ = OrderedIntegerWidth(type_);
  if (integer_width_ == 2) {
    InsertIntegers<int16_t>(keys);
  } else if (integer_width_ == 4) {
    InsertIntegers<int32_t>(keys);
  } else if (integer_width_ == 8) {
    InsertIntegers<int64_t>(keys);
  } else if (!hashes.empty()) {
    for (int64_t row = 0; row < rows; ++row) {
      if (!keys.IsNull(row)) {
        insert(hashes[static_cast<size_t>(row)]);
      }
    }
  } else {
    std::vector<uint8_t> bytes;
    std::vector<uint32_t> offsets;
    for (int64_t first = 0; first < rows; first += kBuildChunkRows) {
      Vector chunk = keys.Slice(first, std::min(kBuildChunkRows, rows - first));
      encoder_.Encode(std::span<const Vector>(&chunk, 1), chunk.length(), bytes, offsets);
      for (int64_t row = 0; row < chunk.length(); ++row) {
        if (chunk.IsNull(row)) {
          continue;
        }
        const uint32_t begin = offsets[static_cast<size_t>(row)];
        insert(HashKeyBytes(bytes.data() + begin, offsets[static_cast<size_t>(row) + 1] - begin));
      }
    }
  }
  ComputeBounds(keys);
  is_usable_ = true;
  return Status::OK();
}

template <typename T>
void RuntimeFilter::InsertIntegers(const Vector& keys) {
  for (int64_t row = 0; row < keys.length(); ++row) {
    if (!keys.IsNull(row)) {
      const uint64_t hash = HashInteger(static_cast<uint64_t>(keys.Get<T>(row)));
      words_[(hash >> 24) & word_mask_] |= BitsOf(hash);
    }
  }
}

template <typename T>
void RuntimeFilter::ProbeIntegers(const Vector& values, std::vector<uint32_t>& kept) const {
  const int64_t rows = values.length();
  if (values.is_flat() && !values.MayHaveNulls()) {
    // Branch-free: whether a row is kept is close to random, and a mispredicted branch per
    // row would cost more than the probe.
    const T* data = values.values<T>();
    const size_t first = kept.size();
    kept.resize(first + static_cast<size_t>(rows));
    uint32_t* out = kept.data() + first;
    size_t count = 0;
    for (int64_t row = 0; row < rows; ++row) {
      out[count] = static_cast<uint32_t>(row);
      count += MayContain(HashInteger(static_cast<uint64_t>(data[row]))) ? 1 : 0;
    }
    kept.resize(first + count);
    return;
  }
  for (int64_t row = 0; row < rows; ++row) {
    if (!values.IsNull(row) && MayContain(HashInteger(static_cast<uint64_t>(values.Get<T>(row))))) {
      kept.push_back(static_cast<uint32_t>(row));
    }
  }
}

void RuntimeFilter::ComputeBounds(const Vector& keys) {
  int64_t min_row = -1;
  int64_t max_row = -1;
  switch (OrderedIntegerWidth(type_)) {
    case 2:
      FindExtremes<int16_t>(keys, min_row, max_row);
      break;
    case 4:
      FindExtremes<int32_t>(keys, min_row, max_row);
      break;
    case 8:
      FindExtremes<int64_t>(keys, min_row, max_row);
      break;
    default:
      return;
  }
  if (min_row < 0) {
    return;
  }
  auto min = keys.GetValue(min_row);
  auto max = keys.GetValue(max_row);
  if (min.ok() && max.ok()) {
    min_ = std::move(min).value();
    max_ = std::move(max).value();
  }
}

void RuntimeFilter::Probe(const Vector& values, std::vector<uint8_t>& bytes,
                          std::vector<uint32_t>& offsets, std::vector<uint32_t>& kept) const {
  switch (integer_width_) {
    case 2:
      return ProbeIntegers<int16_t>(values, kept);
    case 4:
      return ProbeIntegers<int32_t>(values, kept);
    case 8:
      return ProbeIntegers<int64_t>(values, kept);
    default:
      break;
  }
  const int64_t rows = values.length();
  encoder_.Encode(std::span<const Vector>(&values, 1), rows, bytes, offsets);
  const bool may_have_nulls = values.MayHaveNulls();
  for (int64_t row = 0; row < rows; ++row) {
    if (may_have_nulls && values.IsNull(row)) {
      continue;
    }
    const uint32_t begin = offsets[static_cast<size_t>(row)];
    if (MayContain(
            HashKeyBytes(bytes.data() + begin, offsets[static_cast<size_t>(row) + 1] - begin))) {
      kept.push_back(static_cast<uint32_t>(row));
    }
  }
}

namespace {
struct ProbeScratch : OperatorState {
  explicit ProbeScratch(FunctionContext* context) : evaluator(context) {}
  ExpressionEvaluator evaluator;
  std::vector<uint8_t> bytes;
  std::vector<uint32_t> offsets;
  std::vector<uint32_t> kept;
};
}  // namespace

void ScanRuntimeFilters::Add(std::shared_ptr<const RuntimeFilter> filter, ExpressionPtr key) {
  auto use = std::make_unique<Use>();
  use->filter = std::move(filter);
  use->key = std::move(key);
  uses_.push_back(std::move(use));
}

std::unique_ptr<OperatorState> ScanRuntimeFilters::MakeState(QueryContext& context) const {
  return std::make_unique<ProbeScratch>(&context.function_context());
}

Status ScanRuntimeFilters::Apply(QueryContext& context, OperatorState& scratch,
                                 std::vector<Batch>& batches) {
  auto& state = static_cast<ProbeScratch&>(scratch);
  size_t kept_batches = 0;
  for (size_t position = 0; position < batches.size(); ++position) {
    Batch& batch = batches[position];
    for (const auto& use : uses_) {
      if (batch.num_rows() == 0 || use->is_disabled.load(std::memory_order_relaxed) ||
          !use->filter->is_ready()) {
        continue;
      }
      FLOE_ASSIGN_OR_RETURN(Vector values, state.evaluator.Evaluate(*use->key, batch));
      state.kept.clear();
      use->filter->Probe(values, state.bytes, state.offsets, state.kept);
      const auto kept = static_cast<int64_t>(state.kept.size());
      const int64_t checked =
          use->rows_checked.fetch_add(batch.num_rows(), std::memory_order_relaxed) +
          batch.num_rows();
      const int64_t total_kept = use->rows_kept.fetch_add(kept, std::memory_order_relaxed) + kept;
      // A filter that keeps nearly every row costs a hash per row and saves nothing.
      if (checked >= kMinRowsBeforeGivingUp && total_kept * 10 > checked * 9) {
        use->is_disabled.store(true, std::memory_order_relaxed);
      }
      if (kept == batch.num_rows()) {
        continue;
      }
      if (kept == 0) {
        batch = batch.Slice(0, 0);
        continue;
      }
      FLOE_ASSIGN_OR_RETURN(
          batch, batch.Gather(vector::SelectionVector::Borrow(state.kept), context.tracker()));
    }
    if (batch.num_rows() == 0) {
      continue;
    }
    if (kept_batches != position) {
      batches[kept_batches] = std::move(batch);
    }
    ++kept_batches;
  }
  batches.resize(kept_batches);
  return Status::OK();
}

std::vector<RuntimeColumnBounds> ScanRuntimeFilters::ColumnBounds() const {
  std::vector<RuntimeColumnBounds> bounds;
  for (const auto& use : uses_) {
    const RuntimeFilter& filter = *use->filter;
    if (use->key->kind() != ExpressionKind::kColumnRef || !filter.is_ready() ||
        !filter.min().has_value() || !filter.max().has_value()) {
      continue;
    }
    bounds.push_back({use->key->column_index(), *filter.min(), *filter.max()});
  }
  return bounds;
}

std::vector<std::string> ScanRuntimeFilters::Details() const {
  std::vector<std::string> details;
  for (const auto& use : uses_) {
    std::string line =
        fmt::format("runtime filter #{}: {}", use->filter->id(), use->key->ToString());
    const int64_t checked = use->rows_checked.load(std::memory_order_relaxed);
    if (checked > 0) {
      line += fmt::format(", kept {} of {} rows", use->rows_kept.load(std::memory_order_relaxed),
                          checked);
      if (use->is_disabled.load(std::memory_order_relaxed)) {
        line += ", then no longer checked (it kept most rows)";
      }
    }
    details.push_back(std::move(line));
  }
  return details;
}

}  // namespace floe::sql::execution
