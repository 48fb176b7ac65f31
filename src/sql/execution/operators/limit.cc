#include "sql/execution/operators/limit.h"

#include <algorithm>

#include <fmt/format.h>

namespace floe::sql::execution {

LimitOperator::LimitOperator(PhysicalOperatorPtr child, int64_t limit, int64_t offset)
    : PhysicalOperator(child->output_schema(), {}), limit_(limit), offset_(offset) {
  AddChild(std::move(child));
}

std::vector<std::string> LimitOperator::Details() const {
  if (limit_ < 0) {
    return {fmt::format("offset {}", offset_)};
  }
  return {fmt::format("limit {} offset {}", limit_, offset_)};
}

bool LimitOperator::IsFinished() const {
  return limit_ >= 0 && seen_.load(std::memory_order_relaxed) >= offset_ + limit_;
}

Status LimitOperator::Execute(QueryContext& context, OperatorState* state,
                              const vector::Batch& input, std::vector<vector::Batch>& output) {
  const int64_t rows = input.num_rows();
  const int64_t first = seen_.fetch_add(rows, std::memory_order_relaxed);
  const int64_t end = limit_ < 0 ? INT64_MAX : offset_ + limit_;
  const int64_t keep_begin = std::max(first, offset_);
  const int64_t keep_end = std::min(first + rows, end);
  if (keep_begin >= keep_end) {
    return Status::OK();
  }
  if (keep_begin == first && keep_end == first + rows) {
    output.push_back(input);
  } else {
    output.push_back(input.Slice(keep_begin - first, keep_end - keep_begin));
  }
  return Status::OK();
}

}  // namespace floe::sql::execution
