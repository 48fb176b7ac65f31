#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "common/result.h"
#include "format/compression/codec.h"
#include "format/parquet/metadata.h"
#include "format/parquet/writer/column_writer.h"

namespace floe::format::parquet {

/// The statistics of one page, already in the spec's PLAIN byte form.
struct PageStatistics {
  int64_t null_count = 0;
  std::optional<std::string> min_value;
  std::optional<std::string> max_value;
};

/// The type-independent half of a column writer: levels of the open page, and the finished,
/// compressed pages of the chunk with what the footer and page index need about them.
///
/// Levels are kept per page; values are encoded by the typed writer, which hands them over
/// with AddDataPage. Not thread-safe.
class PageBuilder {
 public:
  /// Returns a builder, or the codec's error (NotSupported, InvalidArgument).
  static Result<std::unique_ptr<PageBuilder>> Make(const ColumnDescriptor& column,
                                                   const ColumnWriterSettings& settings);

  /// Appends the levels of one entry; repetition level 0 starts a row.
  void AddLevels(int16_t repetition_level, int16_t definition_level) {
    if (column_.max_repetition_level > 0) {
      repetition_levels_.push_back(static_cast<uint32_t>(repetition_level));
    }
    if (column_.max_definition_level > 0) {
      definition_levels_.push_back(static_cast<uint32_t>(definition_level));
    }
    page_rows_ += repetition_level == 0 ? 1 : 0;
    ++page_values_;
  }
  int64_t page_rows() const { return page_rows_; }
  int64_t page_values() const { return page_values_; }

  /// Closes the open page with its encoded values; the levels are encoded here.
  Status AddDataPage(Encoding encoding, std::span<const uint8_t> values,
                     const PageStatistics& statistics);
  /// Sets the dictionary page written before the data pages by FlushChunk.
  Status SetDictionaryPage(std::span<const uint8_t> values, int32_t num_values);
  /// Sets the Bloom filter bitset written after the data pages.
  void SetBloomFilter(std::vector<uint8_t> bitset) { bloom_filter_ = std::move(bitset); }

  int64_t BufferedBytes() const {
    return static_cast<int64_t>(
        pages_.capacity() + dictionary_page_.capacity() +
        4 * (definition_levels_.capacity() + repetition_levels_.capacity()));
  }

  /// Writes the chunk (dictionary page, data pages, Bloom filter) to `stream` and resets the
  /// builder. `column_index` comes from the typed writer (it knows the value order); the
  /// offset index is built here.
  Result<FlushedColumnChunk> FlushChunk(io::OutputStream& stream,
                                        std::optional<Statistics> statistics,
                                        std::optional<ColumnIndex> column_index);

 private:
  PageBuilder(ColumnDescriptor column, ColumnWriterSettings settings, std::unique_ptr<Codec> codec)
      : column_(std::move(column)), settings_(settings), codec_(std::move(codec)) {}

  void EncodeLevels(const std::vector<uint32_t>& levels, int16_t max_level, bool has_length_prefix,
                    std::vector<uint8_t>& output);
  Status CompressInto(std::span<const uint8_t> input, std::vector<uint8_t>& output);
  void AppendPage(PageHeader header, std::span<const uint8_t> body, std::vector<uint8_t>& output);
  void CountEncoding(PageType type, Encoding encoding);
  Result<ColumnChunk> WriteChunk(io::OutputStream& stream, std::optional<Statistics> statistics);

  ColumnDescriptor column_;
  ColumnWriterSettings settings_;
  std::unique_ptr<Codec> codec_;
  // The open page.
  std::vector<uint32_t> repetition_levels_;
  std::vector<uint32_t> definition_levels_;
  int64_t page_rows_ = 0;
  int64_t page_values_ = 0;
  // The chunk.
  std::vector<uint8_t> pages_;
  std::vector<uint8_t> dictionary_page_;
  std::vector<uint8_t> bloom_filter_;
  std::vector<PageLocation> page_locations_;
  std::vector<PageEncodingStats> encoding_stats_;
  std::set<Encoding> encodings_;
  int64_t chunk_rows_ = 0;
  int64_t chunk_values_ = 0;
  int64_t uncompressed_bytes_ = 0;
  // Scratch buffers reused from page to page.
  std::vector<uint8_t> levels_scratch_;
  std::vector<uint8_t> body_scratch_;
  std::vector<uint8_t> compressed_scratch_;
  std::vector<uint8_t> header_scratch_;
};

}  // namespace floe::format::parquet
