#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "format/compression/codec.h"
#include "format/parquet/metadata.h"
#include "format/parquet/schema.h"

namespace floe::format::parquet {

/// The data page header a writer uses (PageType DATA_PAGE or DATA_PAGE_V2).
enum class DataPageVersion : uint8_t { kV1, kV2 };

/// How values that are not dictionary encoded are encoded.
enum class ValueEncoding : uint8_t {
  /// Per page, the smaller of PLAIN and the column type's DELTA_* encoding (see
  /// docs/formats/parquet-writer.md).
  kAuto,
  kPlain,
  /// DELTA_BINARY_PACKED for INT32 and INT64, DELTA_LENGTH_BYTE_ARRAY for BYTE_ARRAY; PLAIN for
  /// the other physical types.
  kDeltaLength,
  /// As kDeltaLength, but DELTA_BYTE_ARRAY (prefix sharing) for BYTE_ARRAY.
  kDeltaPrefix,
};

/// Settings of one leaf column that differ from the file-wide ones.
struct ColumnWriteOptions {
  std::optional<bool> is_dictionary_enabled;
  std::optional<ValueEncoding> value_encoding;
  /// Writes a split block Bloom filter (BloomFilter.md) for each chunk of the column.
  bool has_bloom_filter = false;
};

/// What ParquetWriter writes and when it flushes. The defaults suit analytic tables.
struct ParquetWriterOptions {
  /// A row group is flushed when it holds this many rows...
  int64_t row_group_rows = 1 << 20;
  /// ...or when its encoded pages (and dictionaries) take this many bytes.
  int64_t row_group_bytes = int64_t{128} << 20;
  /// A data page is closed at the first row boundary after its values reach this size.
  int64_t data_page_bytes = 1 << 20;
  /// Or after this many rows, so that the page index can prune finely.
  int64_t data_page_rows = 20000;
  CompressionCodec codec = CompressionCodec::kZstd;
  /// Level for GZIP, ZSTD and BROTLI; CodecOptions::kDefaultLevel picks the library's default.
  int compression_level = CodecOptions::kDefaultLevel;
  bool is_dictionary_enabled = true;
  /// A chunk whose dictionary grows past this many (PLAIN encoded) bytes falls back to
  /// ValueEncoding for the rest of the chunk.
  int64_t dictionary_bytes_limit = 1 << 20;
  ValueEncoding value_encoding = ValueEncoding::kAuto;
  DataPageVersion data_page_version = DataPageVersion::kV1;
  /// Writes PageHeader.crc on every page.
  bool has_page_checksums = true;
  /// Writes a ColumnIndex and an OffsetIndex for every column chunk (PageIndex.md).
  bool has_page_index = true;
  /// False positive probability that Bloom filters are sized for.
  double bloom_filter_false_positive_rate = 0.01;
  /// Largest Bloom filter bitset for one chunk, in bytes.
  int64_t bloom_filter_max_bytes = 1 << 20;
  /// Field ids to store on the schema elements, one tree per top-level field (Iceberg needs
  /// them); empty for none.
  std::vector<FieldIds> field_ids;
  /// Stored in FileMetaData.key_value_metadata.
  std::vector<KeyValue> key_value_metadata;
  /// Per leaf column, by its dotted path in the Parquet schema ("id", "tags.list.element",
  /// "attributes.key_value.value").
  std::map<std::string, ColumnWriteOptions> columns;
};

}  // namespace floe::format::parquet
