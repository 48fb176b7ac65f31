#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "io/file_system.h"

namespace floe::io {

/// A byte range of a file: `length` bytes from `offset`.
struct ReadRange {
  int64_t offset = 0;
  int64_t length = 0;

  int64_t end() const { return offset + length; }
  friend bool operator==(const ReadRange&, const ReadRange&) = default;
};

/// Tunes how ReadRanges trades wasted bytes for fewer requests. Object storage answers a
/// request after tens of milliseconds but then streams fast, so reading a gap is cheaper than
/// another round trip.
struct CoalesceOptions {
  /// Ranges separated by at most this many bytes are read as one request.
  int64_t max_gap = int64_t{1} << 20;
  /// A merged request grows no larger than this; a single range larger than it is read alone.
  int64_t max_merged_size = int64_t{64} << 20;
};

/// The merged reads that cover a set of ranges.
struct CoalescedRanges {
  /// Disjoint or overlapping requests, sorted by offset; zero-length ranges need none.
  std::vector<ReadRange> merged;
  /// For each input range, in input order, the index into `merged` of the request holding it
  /// whole; unused for zero-length ranges.
  std::vector<size_t> merged_index;
};

/// Plans reads for `ranges` (any order; overlaps, duplicates and zero-length ranges allowed):
/// walking the ranges by offset, a range joins the current request when the gap to it is at
/// most `max_gap` bytes (negative when they overlap) and the request would stay within
/// `max_merged_size`. InvalidArgument for a negative offset or length, or an end past INT64_MAX.
Result<CoalescedRanges> CoalesceRanges(std::span<const ReadRange> ranges,
                                       const CoalesceOptions& options = {});

class RangeBuffers;

/// Reads `ranges` of `file` with the requests CoalesceRanges plans, one after another. Every
/// range must lie within the file (IOError naming path, offset and size otherwise); errors of
/// CoalesceRanges and of the reads are returned as they are.
Result<RangeBuffers> ReadRanges(const RandomAccessFile& file, std::span<const ReadRange> ranges,
                                const CoalesceOptions& options = {});

/// The bytes of many ranges, read through few requests and handed back without copying.
///
/// Views stay valid for as long as this object lives, also after it is moved. Movable only.
class RangeBuffers {
 public:
  RangeBuffers() = default;
  RangeBuffers(RangeBuffers&&) noexcept = default;
  RangeBuffers& operator=(RangeBuffers&&) noexcept = default;
  RangeBuffers(const RangeBuffers&) = delete;
  RangeBuffers& operator=(const RangeBuffers&) = delete;
  ~RangeBuffers() = default;

  /// Returns how many ranges were requested.
  size_t size() const { return ranges_.size(); }
  /// Returns the bytes of range `index` (in request order), a view into a merged buffer.
  std::string_view operator[](size_t index) const;
  /// Returns the requests that were made, for inspection and metrics.
  const std::vector<ReadRange>& merged_ranges() const { return merged_ranges_; }

 private:
  friend Result<RangeBuffers> ReadRanges(const RandomAccessFile& file,
                                         std::span<const ReadRange> ranges,
                                         const CoalesceOptions& options);

  // Where a requested range lies: which merged buffer, and where in it.
  struct Slice {
    size_t buffer_index = 0;
    size_t offset = 0;
    size_t length = 0;
  };

  std::vector<ReadRange> merged_ranges_;
  std::vector<std::string> buffers_;
  std::vector<Slice> ranges_;
};

}  // namespace floe::io
