#include "sql/execution/operators/window.h"

#include <algorithm>
#include <array>
#include <limits>
#include <numeric>
#include <optional>

#include "sql/execution/expression_evaluator.h"
#include "sql/execution/normalized_key.h"
#include "sql/execution/row_key.h"
#include "vector/selection_vector.h"
#include "vector/vector_builder.h"

namespace floe::sql::execution {

using vector::Batch;
using vector::SelectionVector;
using vector::Vector;
using vector::VectorBuilder;

std::string_view WindowFunctionName(WindowFunctionKind kind) {
  switch (kind) {
    case WindowFunctionKind::kRowNumber:
      return "row_number";
    case WindowFunctionKind::kRank:
      return "rank";
    case WindowFunctionKind::kDenseRank:
      return "dense_rank";
    case WindowFunctionKind::kPercentRank:
      return "percent_rank";
    case WindowFunctionKind::kCumeDist:
      return "cume_dist";
    case WindowFunctionKind::kNtile:
      return "ntile";
    case WindowFunctionKind::kLag:
      return "lag";
    case WindowFunctionKind::kLead:
      return "lead";
    case WindowFunctionKind::kFirstValue:
      return "first_value";
    case WindowFunctionKind::kLastValue:
      return "last_value";
    case WindowFunctionKind::kNthValue:
      return "nth_value";
    case WindowFunctionKind::kAggregate:
      return "aggregate";
  }
  return "?";
}

/// The sorted rows cut into partitions, peer groups (rows with equal ORDER BY keys) and their
/// numbers, by sorted position.
struct WindowOperator::Partitioning {
  std::vector<int64_t> partition_starts;  // Ascending, ending with the row count.
  std::vector<int64_t> peer_start;        // First row of each row's peer group.
  std::vector<int64_t> peer_end;          // Last row of each row's peer group.
  std::vector<int64_t> group_number;      // Each row's peer group, numbered over all rows.
  std::vector<int64_t> group_starts;      // First row of each peer group, then the row count.
};

/// The encoded ORDER BY key of every sorted row followed by the start and end bound values of
/// every row (RANGE offsets), comparable in sort order.
struct WindowOperator::RangeBounds {
  NormalizedKeyEncoder encoder;
  std::vector<uint8_t> keys;
  std::vector<Vector> column;  // The three concatenated, for string tie-breaks.
  int64_t rows = 0;

  int Compare(int64_t a, int64_t b) const {
    return encoder.Compare(keys.data(), column, static_cast<uint32_t>(a), static_cast<uint32_t>(b));
  }
  // The first row of [begin, end) not before row `row`'s start bound.
  int64_t FirstAtOrAfter(int64_t row, int64_t begin, int64_t end) const {
    int64_t low = begin;
    int64_t high = end;
    while (low < high) {
      int64_t middle = low + (high - low) / 2;
      if (Compare(middle, rows + row) < 0) {
        low = middle + 1;
      } else {
        high = middle;
      }
    }
    return low;
  }
  // The last row of [begin, end) not after row `row`'s end bound.
  int64_t LastAtOrBefore(int64_t row, int64_t begin, int64_t end) const {
    int64_t low = begin;
    int64_t high = end;
    while (low < high) {
      int64_t middle = low + (high - low) / 2;
      if (Compare(middle, 2 * rows + row) <= 0) {
        low = middle + 1;
      } else {
        high = middle;
      }
    }
    return low - 1;
  }
};

/// One function's inputs, in sorted row order.
struct WindowOperator::FunctionInputs {
  std::vector<Vector> arguments;
  std::optional<Vector> default_value;
  std::optional<RangeBounds> range;
};

namespace {

constexpr int64_t kMaxOffset = std::numeric_limits<int64_t>::max() / 4;

std::shared_ptr<const vector::Schema> WindowSchema(
    const vector::Schema& input, const std::vector<WindowFunctionSpec>& functions) {
  std::vector<vector::Field> fields = input.fields();
  for (auto& field : fields) {
    field.is_nullable = true;
  }
  for (const auto& function : functions) {
    fields.push_back({function.name,
                      function.kind == WindowFunctionKind::kAggregate
                          ? function.aggregate.return_type
                          : function.type,
                      true});
  }
  return std::make_shared<const vector::Schema>(std::move(fields));
}

std::string BoundText(WindowFrame::Bound bound, int64_t offset, bool is_range) {
  std::string amount = is_range ? "offset" : std::to_string(offset);
  switch (bound) {
    case WindowFrame::Bound::kUnboundedPreceding:
      return "UNBOUNDED PRECEDING";
    case WindowFrame::Bound::kPreceding:
      return amount + " PRECEDING";
    case WindowFrame::Bound::kCurrentRow:
      return "CURRENT ROW";
    case WindowFrame::Bound::kFollowing:
      return amount + " FOLLOWING";
    case WindowFrame::Bound::kUnboundedFollowing:
      return "UNBOUNDED FOLLOWING";
  }
  return "?";
}

std::string FrameText(const WindowFrame& frame) {
  bool is_range = frame.unit == WindowFrame::Unit::kRange;
  std::string text = frame.unit == WindowFrame::Unit::kRows    ? "ROWS"
                     : frame.unit == WindowFrame::Unit::kRange ? "RANGE"
                                                               : "GROUPS";
  text += " BETWEEN " + BoundText(frame.start, frame.start_offset, is_range) + " AND " +
          BoundText(frame.end, frame.end_offset, is_range);
  switch (frame.exclusion) {
    case WindowFrame::Exclusion::kNoOthers:
      break;
    case WindowFrame::Exclusion::kCurrentRow:
      text += " EXCLUDE CURRENT ROW";
      break;
    case WindowFrame::Exclusion::kGroup:
      text += " EXCLUDE GROUP";
      break;
    case WindowFrame::Exclusion::kTies:
      text += " EXCLUDE TIES";
      break;
  }
  return text;
}

int64_t SaturatingAdd(int64_t a, int64_t b) {
  return b > std::numeric_limits<int64_t>::max() - a ? std::numeric_limits<int64_t>::max() : a + b;
}

// The frame of one row after EXCLUDE: up to three ascending, disjoint row ranges.
struct FrameRows {
  std::array<std::pair<int64_t, int64_t>, 3> ranges;
  int count = 0;

  void Add(int64_t first, int64_t last) {
    if (first <= last) {
      ranges[static_cast<size_t>(count++)] = {first, last};
    }
  }
  int64_t Size() const {
    int64_t size = 0;
    for (int r = 0; r < count; ++r) {
      size += ranges[static_cast<size_t>(r)].second - ranges[static_cast<size_t>(r)].first + 1;
    }
    return size;
  }
  // The n-th row (0-based) of the frame; -1 past its end.
  int64_t Nth(int64_t n) const {
    for (int r = 0; r < count; ++r) {
      const auto& [first, last] = ranges[static_cast<size_t>(r)];
      if (n <= last - first) {
        return first + n;
      }
      n -= last - first + 1;
    }
    return -1;
  }
};

}  // namespace

namespace {

// Returns the frame [first, last] of sorted row `row` in partition [begin, end) before EXCLUDE;
// empty when first > last.
std::pair<int64_t, int64_t> FrameBounds(const WindowFrame& frame, int64_t row, int64_t begin,
                                        int64_t end,
                                        const WindowOperator::Partitioning& partitioning,
                                        const std::optional<WindowOperator::RangeBounds>& range) {
  using Bound = WindowFrame::Bound;
  using Unit = WindowFrame::Unit;
  const size_t position = static_cast<size_t>(row);
  const int64_t group = partitioning.group_number[position];
  const int64_t first_group = partitioning.group_number[static_cast<size_t>(begin)];
  const int64_t last_group = partitioning.group_number[static_cast<size_t>(end - 1)];
  auto group_start = [&](int64_t number) {
    return partitioning.group_starts[static_cast<size_t>(number)];
  };
  auto start_of = [&]() -> int64_t {
    const int64_t offset = std::min(frame.start_offset, kMaxOffset);
    switch (frame.start) {
      case Bound::kUnboundedPreceding:
        return begin;
      case Bound::kCurrentRow:
        return frame.unit == Unit::kRows ? row : partitioning.peer_start[position];
      case Bound::kPreceding:
      case Bound::kFollowing: {
        const bool is_preceding = frame.start == Bound::kPreceding;
        if (frame.unit == Unit::kRows) {
          return is_preceding ? row - offset : SaturatingAdd(row, offset);
        }
        if (frame.unit == Unit::kGroups) {
          const int64_t target = is_preceding ? group - offset : SaturatingAdd(group, offset);
          return target < first_group ? begin : target > last_group ? end : group_start(target);
        }
        return range->FirstAtOrAfter(row, begin, end);
      }
      case Bound::kUnboundedFollowing:
        return end;
    }
    return begin;
  };
  auto end_of = [&]() -> int64_t {
    const int64_t offset = std::min(frame.end_offset, kMaxOffset);
    switch (frame.end) {
      case Bound::kUnboundedPreceding:
        return begin - 1;
      case Bound::kCurrentRow:
        return frame.unit == Unit::kRows ? row : partitioning.peer_end[position];
      case Bound::kPreceding:
      case Bound::kFollowing: {
        const bool is_preceding = frame.end == Bound::kPreceding;
        if (frame.unit == Unit::kRows) {
          return is_preceding ? row - offset : SaturatingAdd(row, offset);
        }
        if (frame.unit == Unit::kGroups) {
          const int64_t target = is_preceding ? group - offset : SaturatingAdd(group, offset);
          return target < first_group  ? begin - 1
                 : target > last_group ? end - 1
                                       : group_start(target + 1) - 1;
        }
        return range->LastAtOrBefore(row, begin, end);
      }
      case Bound::kUnboundedFollowing:
        return end - 1;
    }
    return end - 1;
  };
  return {std::max(start_of(), begin), std::min(end_of(), end - 1)};
}

FrameRows RowsOfFrame(const WindowFrame& frame, int64_t row, std::pair<int64_t, int64_t> bounds,
                      const WindowOperator::Partitioning& partitioning) {
  FrameRows rows;
  auto [first, last] = bounds;
  if (first > last) {
    return rows;
  }
  const size_t position = static_cast<size_t>(row);
  int64_t excluded_first = 0;
  int64_t excluded_last = -1;
  switch (frame.exclusion) {
    case WindowFrame::Exclusion::kNoOthers:
      rows.Add(first, last);
      return rows;
    case WindowFrame::Exclusion::kCurrentRow:
      excluded_first = row;
      excluded_last = row;
      break;
    case WindowFrame::Exclusion::kGroup:
    case WindowFrame::Exclusion::kTies:
      excluded_first = partitioning.peer_start[position];
      excluded_last = partitioning.peer_end[position];
      break;
  }
  rows.Add(first, std::min(last, excluded_first - 1));
  if (frame.exclusion == WindowFrame::Exclusion::kTies && row >= first && row <= last) {
    rows.Add(row, row);
  }
  rows.Add(std::max(first, excluded_last + 1), last);
  return rows;
}

}  // namespace

namespace {

// True for the aggregates whose partial states combine exactly and in any order, so that a
// frame's value may be put together from precomputed pieces and still equal the row-by-row
// fold: counts, min and max, the logical and bitwise ones, and sums and averages over integers,
// numeric and intervals (128-bit accumulators). Float sums are left out: PostgreSQL folds a
// moving float frame from its first row each time, and a different grouping of the additions
// changes the last bits. string_agg and the statistical aggregates are left out too (order
// matters, or the states are not exact).
bool CombinesExactly(const AggregateFunction& aggregate) {
  const std::string& name = aggregate.name;
  if (!aggregate.combine || aggregate.state_alignment > 16 || aggregate.state_size <= 0) {
    return false;
  }
  if (name == "count" || name == "min" || name == "max" || name == "bool_and" ||
      name == "bool_or" || name == "every" || name == "bit_and" || name == "bit_or") {
    return true;
  }
  if (name == "sum" || name == "avg") {
    if (aggregate.argument_types.size() != 1) {
      return false;
    }
    types::TypeId id = aggregate.argument_types[0].id();
    return id == types::TypeId::kSmallInt || id == types::TypeId::kInteger ||
           id == types::TypeId::kBigInt || id == types::TypeId::kDecimal ||
           id == types::TypeId::kInterval;
  }
  return false;
}

// Partial aggregate states over one partition's rows laid out as a binary tree: node rows + i
// holds row i alone and node k combines nodes 2k and 2k + 1. The value of any run of rows is
// the combination of O(log run) nodes, so a sliding frame costs O(rows × log frame) instead of
// O(rows × frame). The bottom-up walk does not visit the nodes left to right, hence
// CombinesExactly.
class AggregateSegmentTree {
 public:
  AggregateSegmentTree(const AggregateFunction& aggregate, MemoryTracker* tracker)
      : aggregate_(aggregate), memory_(tracker) {
    const int64_t alignment = std::max<int64_t>(aggregate.state_alignment, 1);
    stride_ = (aggregate.state_size + alignment - 1) / alignment * alignment;
  }
  ~AggregateSegmentTree() { Clear(); }
  AggregateSegmentTree(const AggregateSegmentTree&) = delete;
  AggregateSegmentTree& operator=(const AggregateSegmentTree&) = delete;

  // Fills the tree with the `rows` rows of `arguments` from `begin`. A failure (an overflow
  // while adding up a node no frame needs whole) leaves the tree empty.
  Status Build(FunctionContext& context, const std::vector<Vector>& arguments, int64_t begin,
               int64_t rows) {
    Clear();
    FLOE_RETURN_NOT_OK(memory_.Resize(2 * rows * stride_));
    rows_ = rows;
    nodes_ = std::make_unique<uint8_t[]>(static_cast<size_t>(2 * rows * stride_));
    for (int64_t node = 1; node < 2 * rows; ++node) {
      aggregate_.initialize(Node(node));
    }
    std::vector<Vector> slices;
    for (const auto& argument : arguments) {
      slices.push_back(argument.Slice(begin, rows));
    }
    std::vector<uint8_t*> leaves(static_cast<size_t>(rows));
    for (int64_t i = 0; i < rows; ++i) {
      leaves[static_cast<size_t>(i)] = Node(rows + i);
    }
    Status status = aggregate_.update(context, slices, rows, leaves.data());
    for (int64_t node = rows - 1; node >= 1 && status.ok(); --node) {
      status = aggregate_.combine(context, Node(2 * node), Node(node));
      if (status.ok()) {
        status = aggregate_.combine(context, Node(2 * node + 1), Node(node));
      }
    }
    if (!status.ok()) {
      Clear();
    }
    return status;
  }

  // Combines rows [first, last] (relative to the partition) into `target`.
  Status Query(FunctionContext& context, int64_t first, int64_t last, uint8_t* target) const {
    int64_t low = first + rows_;
    int64_t high = last + rows_ + 1;
    while (low < high) {
      if ((low & 1) != 0) {
        FLOE_RETURN_NOT_OK(aggregate_.combine(context, Node(low++), target));
      }
      if ((high & 1) != 0) {
        FLOE_RETURN_NOT_OK(aggregate_.combine(context, Node(--high), target));
      }
      low >>= 1;
      high >>= 1;
    }
    return Status::OK();
  }

 private:
  uint8_t* Node(int64_t node) const { return nodes_.get() + node * stride_; }

  void Clear() {
    if (nodes_ != nullptr && aggregate_.destroy) {
      for (int64_t node = 1; node < 2 * rows_; ++node) {
        aggregate_.destroy(Node(node));
      }
    }
    nodes_.reset();
    rows_ = 0;
    memory_.Reset();
  }

  const AggregateFunction& aggregate_;
  MemoryReservation memory_;
  int64_t stride_ = 0;
  int64_t rows_ = 0;
  std::unique_ptr<uint8_t[]> nodes_;
};

}  // namespace

WindowOperator::WindowOperator(PhysicalOperatorPtr child, std::vector<ExpressionPtr> partition_by,
                               std::vector<SortKey> order_by,
                               std::vector<WindowFunctionSpec> functions)
    : PhysicalOperator(WindowSchema(*child->output_schema(), functions), {}),
      partition_by_(std::move(partition_by)),
      order_by_(std::move(order_by)),
      functions_(std::move(functions)) {
  AddChild(std::move(child));
  for (auto& function : functions_) {
    const WindowFrame& frame = function.frame;
    bool has_range_offset = frame.unit == WindowFrame::Unit::kRange && frame.HasOffset();
    bool has_range_bounds = function.range_key != nullptr &&
                            ((frame.start != WindowFrame::Bound::kPreceding &&
                              frame.start != WindowFrame::Bound::kFollowing) ||
                             function.range_start != nullptr) &&
                            ((frame.end != WindowFrame::Bound::kPreceding &&
                              frame.end != WindowFrame::Bound::kFollowing) ||
                             function.range_end != nullptr);
    if (UsesFrame(function.kind) && has_range_offset && !has_range_bounds) {
      init_status_ = Status::NotSupported(
          "RANGE frames with an offset need the ORDER BY key and the bound values");
    }
    if (function.kind == WindowFunctionKind::kAggregate) {
      function.type = function.aggregate.return_type;
    }
  }
}

WindowOperator::~WindowOperator() = default;

std::vector<std::string> WindowOperator::Details() const {
  std::vector<std::string> details;
  if (!partition_by_.empty()) {
    std::string partition = "partition by: ";
    for (size_t i = 0; i < partition_by_.size(); ++i) {
      partition += (i > 0 ? ", " : "") + partition_by_[i]->ToString();
    }
    details.push_back(partition);
  }
  if (!order_by_.empty()) {
    std::string order = "order by: ";
    for (size_t i = 0; i < order_by_.size(); ++i) {
      order += (i > 0 ? ", " : "") + order_by_[i].expr->ToString() +
               (order_by_[i].is_descending ? " DESC" : "");
    }
    details.push_back(order);
  }
  for (const auto& function : functions_) {
    std::string text = function.name + " = " +
                       (function.kind == WindowFunctionKind::kAggregate
                            ? function.aggregate.name
                            : std::string(WindowFunctionName(function.kind)));
    if (UsesFrame(function.kind)) {
      text += " " + FrameText(function.frame);
    }
    details.push_back(std::move(text));
  }
  return details;
}

namespace {
struct WindowSinkState : OperatorState {
  explicit WindowSinkState(MemoryTracker* tracker) : retained(tracker) {}
  std::vector<Batch> batches;
  RetainedBuffers retained;
};
}  // namespace

Result<std::unique_ptr<OperatorState>> WindowOperator::MakeSinkState(QueryContext& context) {
  FLOE_RETURN_NOT_OK(init_status_);
  return std::unique_ptr<OperatorState>(std::make_unique<WindowSinkState>(context.tracker()));
}

Status WindowOperator::Sink(QueryContext& context, OperatorState* state, const Batch& input) {
  auto& local = static_cast<WindowSinkState&>(*state);
  FLOE_RETURN_NOT_OK(local.retained.Add(input));
  local.batches.push_back(input);
  return Status::OK();
}

Status WindowOperator::CombineSink(QueryContext& context, std::unique_ptr<OperatorState> state) {
  if (state == nullptr) {
    return Status::OK();
  }
  auto& local = static_cast<WindowSinkState&>(*state);
  std::lock_guard<std::mutex> lock(mutex_);
  for (auto& batch : local.batches) {
    buffered_.push_back(std::move(batch));
  }
  retained_.push_back(std::move(local.retained));
  return Status::OK();
}

namespace {

// Evaluates `expr` over `all` and returns it in sorted row order.
Result<Vector> EvaluateSorted(ExpressionEvaluator& evaluator, const Expression& expr,
                              const Batch& all, const SelectionVector& sorted_rows,
                              MemoryTracker* tracker) {
  FLOE_ASSIGN_OR_RETURN(Vector value, evaluator.Evaluate(expr, all));
  return value.Gather(sorted_rows, tracker);
}

}  // namespace

namespace {

// Encodes the ORDER BY key and the bound values of a RANGE frame with offsets.
Status MakeRangeBounds(QueryContext& context, ExpressionEvaluator& evaluator,
                       const WindowFunctionSpec& function, const SortKey& key, const Batch& all,
                       const SelectionVector& sorted_rows, MemoryReservation& memory,
                       WindowOperator::FunctionInputs& inputs) {
  const int64_t rows = all.num_rows();
  const types::LogicalType& type = function.range_key->type();
  auto schema =
      std::make_shared<const vector::Schema>(std::vector<vector::Field>{{"range_key", type, true}});
  std::vector<Batch> parts;
  FLOE_ASSIGN_OR_RETURN(Vector sorted_key, EvaluateSorted(evaluator, *function.range_key, all,
                                                          sorted_rows, context.tracker()));
  for (const ExpressionPtr& bound : {function.range_start, function.range_end}) {
    Vector values = sorted_key;
    if (bound != nullptr) {
      FLOE_ASSIGN_OR_RETURN(values,
                            EvaluateSorted(evaluator, *bound, all, sorted_rows, context.tracker()));
    }
    if (parts.empty()) {
      FLOE_ASSIGN_OR_RETURN(Batch first, Batch::Make(schema, {sorted_key}, rows));
      parts.push_back(std::move(first));
    }
    FLOE_ASSIGN_OR_RETURN(Batch part, Batch::Make(schema, {values}, rows));
    parts.push_back(std::move(part));
  }
  FLOE_ASSIGN_OR_RETURN(Batch combined, ConcatenateBatches(schema, parts, context.tracker()));
  WindowOperator::RangeBounds range;
  FLOE_ASSIGN_OR_RETURN(range.encoder,
                        NormalizedKeyEncoder::Make({{type, key.is_descending, key.NullsFirst()}}));
  FLOE_RETURN_NOT_OK(memory.Grow(3 * rows * range.encoder.width()));
  range.keys.resize(static_cast<size_t>(3 * rows * range.encoder.width()));
  range.column = {combined.column(0)};
  range.encoder.Encode(range.column, 0, 3 * rows, range.keys.data());
  range.rows = rows;
  inputs.range = std::move(range);
  return Status::OK();
}

}  // namespace

Status WindowOperator::FinalizeSink(QueryContext& context) {
  FLOE_RETURN_NOT_OK(init_status_);
  std::vector<Batch> batches;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    batches = std::move(buffered_);
  }
  FLOE_ASSIGN_OR_RETURN(Batch all,
                        ConcatenateBatches(child(0).output_schema(), batches, context.tracker()));
  // One batch is used as it is, so its buffers stay charged; more were copied.
  const bool is_copied = batches.size() != 1;
  batches.clear();
  const int64_t rows = all.num_rows();
  ExpressionEvaluator evaluator(&context.function_context());

  // Sort by partition keys, then order keys.
  std::vector<NormalizedKeyColumn> sort_columns;
  std::vector<Vector> sort_vectors;
  std::vector<NormalizedKeyColumn> order_columns;
  std::vector<Vector> order_vectors;
  std::vector<types::LogicalType> partition_types;
  std::vector<Vector> partition_vectors;
  for (const auto& expr : partition_by_) {
    FLOE_ASSIGN_OR_RETURN(Vector column, evaluator.Evaluate(*expr, all));
    sort_columns.push_back({expr->type(), false, false});
    sort_vectors.push_back(column);
    partition_types.push_back(expr->type());
    partition_vectors.push_back(std::move(column));
  }
  for (const auto& key : order_by_) {
    FLOE_ASSIGN_OR_RETURN(Vector column, evaluator.Evaluate(*key.expr, all));
    sort_columns.push_back({key.expr->type(), key.is_descending, key.NullsFirst()});
    order_columns.push_back(sort_columns.back());
    sort_vectors.push_back(column);
    order_vectors.push_back(std::move(column));
  }
  FLOE_ASSIGN_OR_RETURN(NormalizedKeyEncoder sort_encoder,
                        NormalizedKeyEncoder::Make(std::move(sort_columns)));
  FLOE_ASSIGN_OR_RETURN(NormalizedKeyEncoder order_encoder,
                        NormalizedKeyEncoder::Make(std::move(order_columns)));
  MemoryReservation scratch(context.tracker());
  FLOE_RETURN_NOT_OK(scratch.Grow(rows * (sort_encoder.width() + order_encoder.width() + 4 + 40)));
  std::vector<uint8_t> sort_keys(static_cast<size_t>(rows * sort_encoder.width()));
  sort_encoder.Encode(sort_vectors, 0, rows, sort_keys.data());
  std::vector<uint8_t> order_keys(static_cast<size_t>(rows * order_encoder.width()));
  order_encoder.Encode(order_vectors, 0, rows, order_keys.data());
  std::vector<uint32_t> order(static_cast<size_t>(rows));
  std::iota(order.begin(), order.end(), 0u);
  // Stable, so that rows the keys do not order keep their input order, as PostgreSQL's sort
  // of a single input does.
  std::stable_sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    return sort_encoder.Compare(sort_keys.data(), sort_vectors, a, b) < 0;
  });
  FLOE_RETURN_NOT_OK(context.CheckCancelled());

  // Partitions compare exactly on their encoded keys; peers on the order keys.
  FLOE_ASSIGN_OR_RETURN(RowKeyEncoder partition_encoder, RowKeyEncoder::Make(partition_types));
  std::vector<uint8_t> partition_bytes;
  std::vector<uint32_t> partition_offsets;
  partition_encoder.Encode(partition_vectors, rows, partition_bytes, partition_offsets);
  auto partition_key = [&](uint32_t row) {
    return std::string_view(
        reinterpret_cast<const char*>(partition_bytes.data()) + partition_offsets[row],
        partition_offsets[row + 1] - partition_offsets[row]);
  };
  Partitioning partitioning;
  partitioning.peer_start.resize(static_cast<size_t>(rows));
  partitioning.peer_end.resize(static_cast<size_t>(rows));
  partitioning.group_number.resize(static_cast<size_t>(rows));
  for (int64_t i = 0; i < rows; ++i) {
    const size_t position = static_cast<size_t>(i);
    const uint32_t row = order[position];
    bool new_partition = i == 0 || partition_key(row) != partition_key(order[position - 1]);
    if (new_partition) {
      partitioning.partition_starts.push_back(i);
    }
    bool new_peers = new_partition || order_encoder.Compare(order_keys.data(), order_vectors,
                                                            order[position - 1], row) != 0;
    if (new_peers) {
      partitioning.group_starts.push_back(i);
    }
    partitioning.peer_start[position] = new_peers ? i : partitioning.peer_start[position - 1];
    partitioning.group_number[position] =
        static_cast<int64_t>(partitioning.group_starts.size()) - 1;
  }
  partitioning.partition_starts.push_back(rows);
  partitioning.group_starts.push_back(rows);
  for (int64_t i = rows - 1; i >= 0; --i) {
    const size_t position = static_cast<size_t>(i);
    bool last_of_group =
        i == rows - 1 || partitioning.peer_start[position + 1] != partitioning.peer_start[position];
    partitioning.peer_end[position] = last_of_group ? i : partitioning.peer_end[position + 1];
  }

  SelectionVector sorted_rows(order);
  FLOE_ASSIGN_OR_RETURN(Batch sorted_input, all.Gather(sorted_rows, context.tracker()));
  std::vector<Vector> columns = sorted_input.columns();
  for (const auto& function : functions_) {
    FunctionInputs inputs;
    for (const auto& argument : function.arguments) {
      FLOE_ASSIGN_OR_RETURN(
          Vector sorted, EvaluateSorted(evaluator, *argument, all, sorted_rows, context.tracker()));
      inputs.arguments.push_back(std::move(sorted));
    }
    if (function.default_value != nullptr) {
      FLOE_ASSIGN_OR_RETURN(
          inputs.default_value,
          EvaluateSorted(evaluator, *function.default_value, all, sorted_rows, context.tracker()));
    }
    MemoryReservation range_memory(context.tracker());
    if (UsesFrame(function.kind) && function.frame.unit == WindowFrame::Unit::kRange &&
        function.frame.HasOffset()) {
      FLOE_RETURN_NOT_OK(MakeRangeBounds(context, evaluator, function, order_by_[0], all,
                                         sorted_rows, range_memory, inputs));
    }
    VectorBuilder builder(function.type, context.tracker());
    FLOE_RETURN_NOT_OK(builder.Reserve(rows));
    FLOE_RETURN_NOT_OK(ComputeFunction(context, function, partitioning, inputs, builder));
    FLOE_ASSIGN_OR_RETURN(Vector column, builder.Finish());
    columns.push_back(std::move(column));
  }
  FLOE_ASSIGN_OR_RETURN(output_, Batch::Make(output_schema(), std::move(columns), rows));
  if (is_copied) {
    std::lock_guard<std::mutex> lock(mutex_);
    retained_.clear();
  }
  return Status::OK();
}

Status WindowOperator::ComputeFunction(QueryContext& context, const WindowFunctionSpec& function,
                                       const Partitioning& partitioning,
                                       const FunctionInputs& inputs, VectorBuilder& out) const {
  const auto& starts = partitioning.partition_starts;
  const std::vector<Vector>& arguments = inputs.arguments;
  const AggregateFunction& aggregate = function.aggregate;
  const bool is_aggregate = function.kind == WindowFunctionKind::kAggregate;
  std::unique_ptr<uint8_t[]> state;
  std::vector<uint8_t*> state_pointers;
  std::vector<Vector> slices;
  if (is_aggregate) {
    state = std::make_unique<uint8_t[]>(static_cast<size_t>(std::max(aggregate.state_size, 1)));
  }
  // Folds sorted rows [first, last] into the state.
  auto fold = [&](int64_t first, int64_t last) -> Status {
    if (first > last) {
      return Status::OK();
    }
    const int64_t count = last - first + 1;
    slices.clear();
    for (const auto& argument : arguments) {
      slices.push_back(argument.Slice(first, count));
    }
    state_pointers.assign(static_cast<size_t>(count), state.get());
    return aggregate.update(context.function_context(), slices, count, state_pointers.data());
  };
  auto emit_state = [&]() -> Status {
    const uint8_t* pointer = state.get();
    return aggregate.finalize(context.function_context(), &pointer, 1, out);
  };
  auto destroy = [&] {
    if (aggregate.destroy) {
      aggregate.destroy(state.get());
    }
  };
  auto frame_of = [&](int64_t row, int64_t begin, int64_t end) {
    return RowsOfFrame(function.frame, row,
                       FrameBounds(function.frame, row, begin, end, partitioning, inputs.range),
                       partitioning);
  };
  const bool grows = function.frame.start == WindowFrame::Bound::kUnboundedPreceding &&
                     function.frame.exclusion == WindowFrame::Exclusion::kNoOthers;
  // Sliding frames of exactly combining aggregates read a segment tree per partition.
  std::optional<AggregateSegmentTree> tree;
  if (is_aggregate && !grows && CombinesExactly(aggregate)) {
    tree.emplace(aggregate, context.tracker());
  }
  for (size_t p = 0; p + 1 < starts.size(); ++p) {
    FLOE_RETURN_NOT_OK(context.CheckCancelled());
    const int64_t begin = starts[p];
    const int64_t end = starts[p + 1];
    const int64_t partition_rows = end - begin;
    int64_t dense_rank = 0;
    int64_t folded_to = begin - 1;
    int64_t buckets = 0;
    if (is_aggregate && grows) {
      aggregate.initialize(state.get());
    }
    // Without the tree (no memory for it, or a partial sum overflowed) the partition's frames
    // are folded row by row, as before.
    const bool has_tree =
        tree.has_value() &&
        tree->Build(context.function_context(), arguments, begin, partition_rows).ok();
    for (int64_t i = begin; i < end; ++i) {
      const size_t position = static_cast<size_t>(i);
      switch (function.kind) {
        case WindowFunctionKind::kRowNumber:
          FLOE_RETURN_NOT_OK(out.Append<int64_t>(i - begin + 1));
          break;
        case WindowFunctionKind::kRank:
          FLOE_RETURN_NOT_OK(out.Append<int64_t>(partitioning.peer_start[position] - begin + 1));
          break;
        case WindowFunctionKind::kDenseRank:
          if (partitioning.peer_start[position] == i) {
            ++dense_rank;
          }
          FLOE_RETURN_NOT_OK(out.Append<int64_t>(dense_rank));
          break;
        case WindowFunctionKind::kPercentRank: {
          const int64_t rank = partitioning.peer_start[position] - begin;
          FLOE_RETURN_NOT_OK(out.Append<double>(partition_rows == 1
                                                    ? 0.0
                                                    : static_cast<double>(rank) /
                                                          static_cast<double>(partition_rows - 1)));
          break;
        }
        case WindowFunctionKind::kCumeDist:
          FLOE_RETURN_NOT_OK(
              out.Append<double>(static_cast<double>(partitioning.peer_end[position] - begin + 1) /
                                 static_cast<double>(partition_rows)));
          break;
        case WindowFunctionKind::kNtile: {
          // As PostgreSQL: the bucket count is read from the partition's first row with one.
          if (buckets == 0) {
            if (arguments[0].IsNull(i)) {
              FLOE_RETURN_NOT_OK(out.AppendNull());
              break;
            }
            buckets = arguments[0].Get<int32_t>(i);
            if (buckets <= 0) {
              return Status::InvalidArgument("argument of ntile must be greater than zero")
                  .WithSqlState("22014");
            }
          }
          const int64_t k = i - begin;
          const int64_t size = partition_rows / buckets;
          const int64_t larger = partition_rows % buckets;  // Buckets of size + 1 rows.
          const int64_t bucket =
              k < larger * (size + 1) ? k / (size + 1) : larger + (k - larger * (size + 1)) / size;
          FLOE_RETURN_NOT_OK(out.Append<int32_t>(static_cast<int32_t>(bucket + 1)));
          break;
        }
        case WindowFunctionKind::kLag:
        case WindowFunctionKind::kLead: {
          int64_t offset = function.offset;
          if (arguments.size() > 1) {
            if (arguments[1].IsNull(i)) {
              FLOE_RETURN_NOT_OK(out.AppendNull());
              break;
            }
            offset = arguments[1].Get<int32_t>(i);
          }
          const int64_t source =
              function.kind == WindowFunctionKind::kLag ? i - offset : i + offset;
          if (source >= begin && source < end) {
            FLOE_RETURN_NOT_OK(AppendRows(out, arguments[0], nullptr, source, 1));
          } else if (inputs.default_value.has_value()) {
            FLOE_RETURN_NOT_OK(AppendRows(out, *inputs.default_value, nullptr, i, 1));
          } else {
            FLOE_RETURN_NOT_OK(out.AppendNull());
          }
          break;
        }
        case WindowFunctionKind::kFirstValue:
        case WindowFunctionKind::kLastValue:
        case WindowFunctionKind::kNthValue: {
          int64_t n = 0;
          if (function.kind == WindowFunctionKind::kNthValue) {
            if (arguments[1].IsNull(i)) {
              FLOE_RETURN_NOT_OK(out.AppendNull());
              break;
            }
            n = arguments[1].Get<int32_t>(i) - 1;
            if (n < 0) {
              return Status::InvalidArgument("argument of nth_value must be greater than zero")
                  .WithSqlState("22016");
            }
          }
          FrameRows frame = frame_of(i, begin, end);
          if (function.kind == WindowFunctionKind::kLastValue) {
            n = frame.Size() - 1;
          }
          const int64_t source = frame.Nth(n);
          if (source < 0) {
            FLOE_RETURN_NOT_OK(out.AppendNull());
          } else {
            FLOE_RETURN_NOT_OK(AppendRows(out, arguments[0], nullptr, source, 1));
          }
          break;
        }
        case WindowFunctionKind::kAggregate: {
          if (grows) {
            auto [first, last] =
                FrameBounds(function.frame, i, begin, end, partitioning, inputs.range);
            if (last > folded_to) {
              Status status = fold(std::max(folded_to + 1, first), last);
              if (!status.ok()) {
                destroy();
                return status;
              }
              folded_to = last;
            }
            Status status = emit_state();
            if (!status.ok()) {
              destroy();
              return status;
            }
          } else {
            FrameRows frame = frame_of(i, begin, end);
            aggregate.initialize(state.get());
            Status status = Status::OK();
            bool needs_fold = !has_tree;
            for (int r = 0; r < frame.count && has_tree && status.ok(); ++r) {
              status = tree->Query(
                  context.function_context(), frame.ranges[static_cast<size_t>(r)].first - begin,
                  frame.ranges[static_cast<size_t>(r)].second - begin, state.get());
            }
            if (!status.ok()) {
              // Partial sums can overflow where the row-by-row fold does not: fold this row.
              destroy();
              aggregate.initialize(state.get());
              status = Status::OK();
              needs_fold = true;
            }
            for (int r = 0; r < frame.count && needs_fold && status.ok(); ++r) {
              status = fold(frame.ranges[static_cast<size_t>(r)].first,
                            frame.ranges[static_cast<size_t>(r)].second);
            }
            if (status.ok()) {
              status = emit_state();
            }
            destroy();
            FLOE_RETURN_NOT_OK(status);
          }
          break;
        }
      }
    }
    if (is_aggregate && grows) {
      destroy();
    }
  }
  return Status::OK();
}

Result<int64_t> WindowOperator::PrepareSource(QueryContext& context) {
  return (output_.num_rows() + Batch::kDefaultBatchSize - 1) / Batch::kDefaultBatchSize;
}

Status WindowOperator::ReadMorsel(QueryContext& context, OperatorState* state, int64_t morsel,
                                  std::vector<Batch>& output) {
  const int64_t begin = morsel * Batch::kDefaultBatchSize;
  output.push_back(
      output_.Slice(begin, std::min(Batch::kDefaultBatchSize, output_.num_rows() - begin)));
  return Status::OK();
}

}  // namespace floe::sql::execution
