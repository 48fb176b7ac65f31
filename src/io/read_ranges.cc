#include "io/read_ranges.h"

#include <algorithm>
#include <limits>
#include <numeric>
#include <utility>

#include "common/check.h"

namespace floe::io {
namespace {

Status CheckRange(const ReadRange& range) {
  if (range.offset < 0 || range.length < 0 ||
      range.length > std::numeric_limits<int64_t>::max() - range.offset) {
    return Status::InvalidArgument("invalid read range: offset {}, length {}", range.offset,
                                   range.length);
  }
  return Status::OK();
}

// `next` starts at or after `merged` (ranges are visited by offset).
bool CanJoin(const ReadRange& merged, const ReadRange& next, const CoalesceOptions& options) {
  if (next.end() <= merged.end()) {
    return true;  // Already covered: joining reads nothing more, whatever the size limit.
  }
  int64_t gap = next.offset - merged.end();
  int64_t merged_size = next.end() - merged.offset;
  return gap <= options.max_gap && merged_size <= options.max_merged_size;
}

// Returns the indexes of the non-empty ranges, ordered by offset and then by end.
std::vector<size_t> NonEmptyByOffset(std::span<const ReadRange> ranges) {
  std::vector<size_t> order;
  order.reserve(ranges.size());
  for (size_t index = 0; index < ranges.size(); ++index) {
    if (ranges[index].length > 0) {
      order.push_back(index);
    }
  }
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    const ReadRange& first = ranges[a];
    const ReadRange& second = ranges[b];
    return first.offset != second.offset ? first.offset < second.offset
                                         : first.end() < second.end();
  });
  return order;
}

}  // namespace

Result<CoalescedRanges> CoalesceRanges(std::span<const ReadRange> ranges,
                                       const CoalesceOptions& options) {
  for (const ReadRange& range : ranges) {
    FLOE_RETURN_NOT_OK(CheckRange(range));
  }
  CoalescedRanges result;
  result.merged_index.assign(ranges.size(), 0);
  for (size_t index : NonEmptyByOffset(ranges)) {
    const ReadRange& range = ranges[index];
    if (!result.merged.empty() && CanJoin(result.merged.back(), range, options)) {
      ReadRange& last = result.merged.back();
      last.length = std::max(last.end(), range.end()) - last.offset;
    } else {
      result.merged.push_back(range);
    }
    result.merged_index[index] = result.merged.size() - 1;
  }
  return result;
}

std::string_view RangeBuffers::operator[](size_t index) const {
  FLOE_DCHECK(index < ranges_.size());
  const Slice& slice = ranges_[index];
  if (slice.length == 0) {
    return {};
  }
  return std::string_view(buffers_[slice.buffer_index]).substr(slice.offset, slice.length);
}

Result<RangeBuffers> ReadRanges(const RandomAccessFile& file, std::span<const ReadRange> ranges,
                                const CoalesceOptions& options) {
  FLOE_ASSIGN_OR_RETURN(CoalescedRanges plan, CoalesceRanges(ranges, options));
  for (const ReadRange& range : ranges) {
    FLOE_RETURN_NOT_OK(CheckReadRange(file.path(), range.offset, range.length, file.Size()));
  }
  RangeBuffers result;
  result.buffers_.reserve(plan.merged.size());
  for (const ReadRange& merged : plan.merged) {
    FLOE_ASSIGN_OR_RETURN(std::string bytes, file.ReadAt(merged.offset, merged.length));
    result.buffers_.push_back(std::move(bytes));
  }
  result.ranges_.reserve(ranges.size());
  for (size_t index = 0; index < ranges.size(); ++index) {
    const ReadRange& range = ranges[index];
    size_t buffer_index = plan.merged_index[index];
    int64_t start = range.length == 0 ? 0 : range.offset - plan.merged[buffer_index].offset;
    result.ranges_.push_back(
        {buffer_index, static_cast<size_t>(start), static_cast<size_t>(range.length)});
  }
  result.merged_ranges_ = std::move(plan.merged);
  return result;
}

}  // namespace floe::io
