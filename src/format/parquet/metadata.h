#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "common/result.h"
#include "format/compression/codec.h"

/// Parquet's file and page metadata as plain structs, with their Thrift compact codec.
///
/// Structs, fields and enum values follow parquet.thrift in apache/parquet-format: field ids
/// are those of the specification, names are its names in snake_case. Optional fields are
/// std::optional so that presence survives a round trip. Enum fields keep values this code does
/// not know (they are stored as their integer). Fields the specification added that Floe does
/// not use (size statistics, geospatial statistics, encryption) are skipped when read.
namespace floe::format::parquet {

/// The physical type of a column ("Type" in parquet.thrift).
enum class PhysicalType : int32_t {
  kBoolean = 0,
  kInt32 = 1,
  kInt64 = 2,
  kInt96 = 3,
  kFloat = 4,
  kDouble = 5,
  kByteArray = 6,
  kFixedLenByteArray = 7,
};

enum class ConvertedType : int32_t {
  kUtf8 = 0,
  kMap = 1,
  kMapKeyValue = 2,
  kList = 3,
  kEnum = 4,
  kDecimal = 5,
  kDate = 6,
  kTimeMillis = 7,
  kTimeMicros = 8,
  kTimestampMillis = 9,
  kTimestampMicros = 10,
  kUint8 = 11,
  kUint16 = 12,
  kUint32 = 13,
  kUint64 = 14,
  kInt8 = 15,
  kInt16 = 16,
  kInt32 = 17,
  kInt64 = 18,
  kJson = 19,
  kBson = 20,
  kInterval = 21,
};

enum class FieldRepetitionType : int32_t {
  kRequired = 0,
  kOptional = 1,
  kRepeated = 2,
};

enum class Encoding : int32_t {
  kPlain = 0,
  kPlainDictionary = 2,
  kRle = 3,
  kBitPacked = 4,
  kDeltaBinaryPacked = 5,
  kDeltaLengthByteArray = 6,
  kDeltaByteArray = 7,
  kRleDictionary = 8,
  kByteStreamSplit = 9,
};

enum class PageType : int32_t {
  kDataPage = 0,
  kIndexPage = 1,
  kDictionaryPage = 2,
  kDataPageV2 = 3,
};

enum class BoundaryOrder : int32_t {
  kUnordered = 0,
  kAscending = 1,
  kDescending = 2,
};

struct Statistics {
  std::optional<std::string> max;
  std::optional<std::string> min;
  std::optional<int64_t> null_count;
  std::optional<int64_t> distinct_count;
  std::optional<std::string> max_value;
  std::optional<std::string> min_value;
  std::optional<bool> is_max_value_exact;
  std::optional<bool> is_min_value_exact;
  std::optional<int64_t> nan_count;
  friend bool operator==(const Statistics&, const Statistics&) = default;
};

/// The member set in the LogicalType union; values are the union's field ids.
enum class LogicalTypeKind : int16_t {
  kString = 1,
  kMap = 2,
  kList = 3,
  kEnum = 4,
  kDecimal = 5,
  kDate = 6,
  kTime = 7,
  kTimestamp = 8,
  kInteger = 10,
  kUnknown = 11,  // Always null ("NullType").
  kJson = 12,
  kBson = 13,
  kUuid = 14,
  kFloat16 = 15,
};

/// The member set in the TimeUnit union; values are the union's field ids.
enum class TimeUnit : int16_t {
  kMillis = 1,
  kMicros = 2,
  kNanos = 3,
};

/// The LogicalType union, flattened: `kind` names the member, the other fields hold the
/// parameters of DECIMAL (scale, precision), TIME and TIMESTAMP (is_adjusted_to_utc, unit) and
/// INTEGER (bit_width, is_signed). A member this code does not know keeps its field id in
/// `kind` and reads back as an empty struct.
struct LogicalType {
  LogicalTypeKind kind = LogicalTypeKind::kString;
  int32_t scale = 0;
  int32_t precision = 0;
  bool is_adjusted_to_utc = false;
  TimeUnit unit = TimeUnit::kMillis;
  int8_t bit_width = 0;
  bool is_signed = false;
  friend bool operator==(const LogicalType&, const LogicalType&) = default;
};

struct SchemaElement {
  std::optional<PhysicalType> type;
  std::optional<int32_t> type_length;
  std::optional<FieldRepetitionType> repetition_type;
  std::string name;
  std::optional<int32_t> num_children;
  std::optional<ConvertedType> converted_type;
  std::optional<int32_t> scale;
  std::optional<int32_t> precision;
  std::optional<int32_t> field_id;
  std::optional<LogicalType> logical_type;
  friend bool operator==(const SchemaElement&, const SchemaElement&) = default;
};

struct KeyValue {
  std::string key;
  std::optional<std::string> value;
  friend bool operator==(const KeyValue&, const KeyValue&) = default;
};

struct SortingColumn {
  int32_t column_index = 0;  // "column_idx"
  bool descending = false;
  bool nulls_first = false;
  friend bool operator==(const SortingColumn&, const SortingColumn&) = default;
};

struct PageEncodingStats {
  PageType page_type = PageType::kDataPage;
  Encoding encoding = Encoding::kPlain;
  int32_t count = 0;
  friend bool operator==(const PageEncodingStats&, const PageEncodingStats&) = default;
};

struct ColumnMetaData {
  PhysicalType type = PhysicalType::kBoolean;
  std::vector<Encoding> encodings;
  std::vector<std::string> path_in_schema;
  CompressionCodec codec = CompressionCodec::kUncompressed;
  int64_t num_values = 0;
  int64_t total_uncompressed_size = 0;
  int64_t total_compressed_size = 0;
  std::optional<std::vector<KeyValue>> key_value_metadata;
  int64_t data_page_offset = 0;
  std::optional<int64_t> index_page_offset;
  std::optional<int64_t> dictionary_page_offset;
  std::optional<Statistics> statistics;
  std::optional<std::vector<PageEncodingStats>> encoding_stats;
  std::optional<int64_t> bloom_filter_offset;
  std::optional<int32_t> bloom_filter_length;
  friend bool operator==(const ColumnMetaData&, const ColumnMetaData&) = default;
};

struct ColumnChunk {
  std::optional<std::string> file_path;
  int64_t file_offset = 0;
  std::optional<ColumnMetaData> meta_data;
  std::optional<int64_t> offset_index_offset;
  std::optional<int32_t> offset_index_length;
  std::optional<int64_t> column_index_offset;
  std::optional<int32_t> column_index_length;
  friend bool operator==(const ColumnChunk&, const ColumnChunk&) = default;
};

struct RowGroup {
  std::vector<ColumnChunk> columns;
  int64_t total_byte_size = 0;
  int64_t num_rows = 0;
  std::optional<std::vector<SortingColumn>> sorting_columns;
  std::optional<int64_t> file_offset;
  std::optional<int64_t> total_compressed_size;
  std::optional<int16_t> ordinal;
  friend bool operator==(const RowGroup&, const RowGroup&) = default;
};

/// The member set in the ColumnOrder union; values are the union's field ids.
enum class ColumnOrder : int16_t {
  kTypeDefinedOrder = 1,
  kIeee754TotalOrder = 2,
  kInt96TimestampOrder = 3,
};

struct FileMetaData {
  int32_t version = 1;
  std::vector<SchemaElement> schema;
  int64_t num_rows = 0;
  std::vector<RowGroup> row_groups;
  std::optional<std::vector<KeyValue>> key_value_metadata;
  std::optional<std::string> created_by;
  std::optional<std::vector<ColumnOrder>> column_orders;
  friend bool operator==(const FileMetaData&, const FileMetaData&) = default;
};

struct DataPageHeader {
  int32_t num_values = 0;
  Encoding encoding = Encoding::kPlain;
  Encoding definition_level_encoding = Encoding::kRle;
  Encoding repetition_level_encoding = Encoding::kRle;
  std::optional<Statistics> statistics;
  friend bool operator==(const DataPageHeader&, const DataPageHeader&) = default;
};

struct IndexPageHeader {
  friend bool operator==(const IndexPageHeader&, const IndexPageHeader&) = default;
};

struct DictionaryPageHeader {
  int32_t num_values = 0;
  Encoding encoding = Encoding::kPlain;
  std::optional<bool> is_sorted;
  friend bool operator==(const DictionaryPageHeader&, const DictionaryPageHeader&) = default;
};

struct DataPageHeaderV2 {
  int32_t num_values = 0;
  int32_t num_nulls = 0;
  int32_t num_rows = 0;
  Encoding encoding = Encoding::kPlain;
  int32_t definition_levels_byte_length = 0;
  int32_t repetition_levels_byte_length = 0;
  std::optional<bool> is_compressed;  // Absent means compressed.
  std::optional<Statistics> statistics;
  friend bool operator==(const DataPageHeaderV2&, const DataPageHeaderV2&) = default;
};

struct PageHeader {
  PageType type = PageType::kDataPage;
  int32_t uncompressed_page_size = 0;
  int32_t compressed_page_size = 0;
  std::optional<int32_t> crc;
  std::optional<DataPageHeader> data_page_header;
  std::optional<IndexPageHeader> index_page_header;
  std::optional<DictionaryPageHeader> dictionary_page_header;
  std::optional<DataPageHeaderV2> data_page_header_v2;
  friend bool operator==(const PageHeader&, const PageHeader&) = default;
};

struct PageLocation {
  int64_t offset = 0;
  int32_t compressed_page_size = 0;
  int64_t first_row_index = 0;
  friend bool operator==(const PageLocation&, const PageLocation&) = default;
};

struct OffsetIndex {
  std::vector<PageLocation> page_locations;
  std::optional<std::vector<int64_t>> unencoded_byte_array_data_bytes;
  friend bool operator==(const OffsetIndex&, const OffsetIndex&) = default;
};

struct ColumnIndex {
  std::vector<bool> null_pages;
  std::vector<std::string> min_values;
  std::vector<std::string> max_values;
  BoundaryOrder boundary_order = BoundaryOrder::kUnordered;
  std::optional<std::vector<int64_t>> null_counts;
  std::optional<std::vector<int64_t>> repetition_level_histograms;
  std::optional<std::vector<int64_t>> definition_level_histograms;
  friend bool operator==(const ColumnIndex&, const ColumnIndex&) = default;
};

/// Members of the Bloom filter unions; values are the unions' field ids.
enum class BloomFilterAlgorithm : int16_t { kBlock = 1 };
enum class BloomFilterHash : int16_t { kXxHash = 1 };
enum class BloomFilterCompression : int16_t { kUncompressed = 1 };

struct BloomFilterHeader {
  int32_t num_bytes = 0;
  BloomFilterAlgorithm algorithm = BloomFilterAlgorithm::kBlock;
  BloomFilterHash hash = BloomFilterHash::kXxHash;
  BloomFilterCompression compression = BloomFilterCompression::kUncompressed;
  friend bool operator==(const BloomFilterHeader&, const BloomFilterHeader&) = default;
};

/// Decodes the serialized FileMetaData of a footer (the bytes before the footer length).
/// Returns Corruption, naming the byte offset, for malformed input or a missing required field.
Result<FileMetaData> ReadFileMetaData(std::span<const uint8_t> bytes);
/// Decodes the PageHeader at the start of `bytes`; sets `consumed` to the header's length.
Result<PageHeader> ReadPageHeader(std::span<const uint8_t> bytes, size_t& consumed);
/// Decodes a ColumnIndex (the whole span).
Result<ColumnIndex> ReadColumnIndex(std::span<const uint8_t> bytes);
/// Decodes an OffsetIndex (the whole span).
Result<OffsetIndex> ReadOffsetIndex(std::span<const uint8_t> bytes);
/// Decodes the BloomFilterHeader at the start of `bytes`; sets `consumed` to its length.
Result<BloomFilterHeader> ReadBloomFilterHeader(std::span<const uint8_t> bytes, size_t& consumed);

/// Appends the compact encoding of a struct to `output`.
void WriteFileMetaData(const FileMetaData& metadata, std::vector<uint8_t>& output);
void WritePageHeader(const PageHeader& header, std::vector<uint8_t>& output);
void WriteColumnIndex(const ColumnIndex& index, std::vector<uint8_t>& output);
void WriteOffsetIndex(const OffsetIndex& index, std::vector<uint8_t>& output);
void WriteBloomFilterHeader(const BloomFilterHeader& header, std::vector<uint8_t>& output);

}  // namespace floe::format::parquet
