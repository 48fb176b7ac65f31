#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "format/compression/codec.h"
#include "format/parquet/metadata.h"

namespace floe::format::parquet {

/// One page of a column chunk with its bytes ready to decode: levels split off and values
/// decompressed. Spans point into the chunk or into the PageReader's buffer and stay valid until
/// the reader's next call to Next().
struct Page {
  PageType type = PageType::kDataPage;
  int64_t num_values = 0;  // Level entries (data pages) or dictionary entries.
  Encoding encoding = Encoding::kPlain;
  Encoding definition_level_encoding = Encoding::kRle;
  Encoding repetition_level_encoding = Encoding::kRle;
  /// Levels as stored: RLE hybrid runs (no length prefix) or legacy BIT_PACKED bytes; empty when
  /// the column has no such levels.
  std::span<const uint8_t> repetition_levels;
  std::span<const uint8_t> definition_levels;
  std::span<const uint8_t> values;
  int64_t offset = 0;  // Byte offset of the page header in the file, for messages.
};

/// Fetched bytes of a column chunk: `bytes` are the file's bytes from `offset` on.
struct ChunkSegment {
  int64_t offset = 0;
  std::span<const uint8_t> bytes;
};

/// Walks the pages of one column chunk in order, checking each header against the chunk's
/// bounds, verifying the CRC when present and decompressing with the header's sizes.
///
/// Errors are Corruption naming the file, the column, the page's byte offset and the problem.
/// Views `chunk`, which must outlive the reader. Not thread-safe.
class PageReader {
 public:
  /// `chunk` holds the chunk's bytes, starting at byte `chunk_offset` of the file. `context`
  /// ("file F: column C") prefixes every error message.
  static Result<PageReader> Make(std::span<const uint8_t> chunk, int64_t chunk_offset,
                                 CompressionCodec codec, int16_t max_repetition_level,
                                 int16_t max_definition_level, std::string context);
  /// As above, for a chunk fetched in parts (the dictionary and the pages a read needs, from
  /// the OffsetIndex), sorted by offset. Next() stops at the end of a segment; Seek() moves
  /// into any segment. Each page must lie within one segment.
  static Result<PageReader> Make(std::vector<ChunkSegment> segments, CompressionCodec codec,
                                 int16_t max_repetition_level, int16_t max_definition_level,
                                 std::string context);

  /// Returns the next dictionary or data page, or nullopt at the end of the chunk. Index pages
  /// and pages of unknown types are skipped.
  Result<std::optional<Page>> Next();

  /// Moves to the page header at `file_offset` (from an OffsetIndex); Corruption when it lies
  /// outside the fetched bytes.
  Status Seek(int64_t file_offset);

  const std::string& context() const { return context_; }
  /// Returns the file offset of the page header Next() reads next.
  int64_t next_page_offset() const { return chunk_offset_ + static_cast<int64_t>(position_); }
  /// Returns the bytes held for decompressed pages.
  int64_t buffer_bytes() const { return static_cast<int64_t>(buffer_.capacity()); }

 private:
  PageReader(std::vector<ChunkSegment> segments, std::unique_ptr<Codec> codec,
             int16_t max_repetition_level, int16_t max_definition_level, std::string context)
      : segments_(std::move(segments)),
        chunk_(segments_.empty() ? std::span<const uint8_t>() : segments_[0].bytes),
        chunk_offset_(segments_.empty() ? 0 : segments_[0].offset),
        codec_(std::move(codec)),
        max_repetition_level_(max_repetition_level),
        max_definition_level_(max_definition_level),
        context_(std::move(context)) {}

  Result<std::span<const uint8_t>> Decompress(const PageHeader& header,
                                              std::span<const uint8_t> stored, size_t skip,
                                              bool is_compressed, int64_t page_offset);
  Status SplitV1Levels(Page& page, int64_t page_offset);
  Status ReadV2(const PageHeader& header, std::span<const uint8_t> stored, Page& page);
  Status Corrupt(int64_t page_offset, std::string_view what) const;

  std::vector<ChunkSegment> segments_;
  // The segment being read.
  std::span<const uint8_t> chunk_;
  int64_t chunk_offset_ = 0;
  size_t position_ = 0;
  std::unique_ptr<Codec> codec_;
  int16_t max_repetition_level_ = 0;
  int16_t max_definition_level_ = 0;
  std::string context_;
  std::vector<uint8_t> buffer_;
};

}  // namespace floe::format::parquet
