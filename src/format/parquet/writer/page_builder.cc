#include "format/parquet/writer/page_builder.h"

#include <algorithm>
#include <cstring>

#include "format/parquet/encoding/bit_packing.h"
#include "format/parquet/encoding/rle_bit_packed.h"
#include "format/parquet/footer.h"

namespace floe::format::parquet {
namespace {

void AppendLittleEndian32(uint32_t value, std::vector<uint8_t>& output) {
  uint8_t bytes[4];
  std::memcpy(bytes, &value, sizeof(bytes));
  output.insert(output.end(), bytes, bytes + sizeof(bytes));
}

Statistics ToThrift(const PageStatistics& statistics) {
  Statistics result;
  result.null_count = statistics.null_count;
  result.min_value = statistics.min_value;
  result.max_value = statistics.max_value;
  return result;
}

Status WriteBytes(io::OutputStream& stream, std::span<const uint8_t> bytes) {
  return stream.Write(std::as_bytes(bytes));
}

}  // namespace

Result<std::unique_ptr<PageBuilder>> PageBuilder::Make(const ColumnDescriptor& column,
                                                       const ColumnWriterSettings& settings) {
  CodecOptions options;
  options.level = settings.compression_level;
  FLOE_ASSIGN_OR_RETURN(std::unique_ptr<Codec> codec, Codec::Make(settings.codec, options));
  return std::unique_ptr<PageBuilder>(new PageBuilder(column, settings, std::move(codec)));
}

void PageBuilder::EncodeLevels(const std::vector<uint32_t>& levels, int16_t max_level,
                               bool has_length_prefix, std::vector<uint8_t>& output) {
  if (max_level == 0) {
    return;
  }
  levels_scratch_.clear();
  EncodeRleBitPacked(levels, BitWidthOf(static_cast<uint64_t>(max_level)), levels_scratch_);
  // Encodings.md: in data page v1 the RLE levels are preceded by their length (4 bytes, little
  // endian); data page v2 stores the lengths in the header instead.
  if (has_length_prefix) {
    AppendLittleEndian32(static_cast<uint32_t>(levels_scratch_.size()), output);
  }
  output.insert(output.end(), levels_scratch_.begin(), levels_scratch_.end());
}

Status PageBuilder::CompressInto(std::span<const uint8_t> input, std::vector<uint8_t>& output) {
  if (settings_.codec == CompressionCodec::kUncompressed) {
    output.assign(input.begin(), input.end());
    return Status::OK();
  }
  return codec_->Compress(input, output);
}

void PageBuilder::AppendPage(PageHeader header, std::span<const uint8_t> body,
                             std::vector<uint8_t>& output) {
  if (settings_.has_page_checksums) {
    header.crc = static_cast<int32_t>(Crc32(body));
  }
  header_scratch_.clear();
  WritePageHeader(header, header_scratch_);
  output.insert(output.end(), header_scratch_.begin(), header_scratch_.end());
  output.insert(output.end(), body.begin(), body.end());
  uncompressed_bytes_ +=
      static_cast<int64_t>(header_scratch_.size()) + header.uncompressed_page_size;
}

void PageBuilder::CountEncoding(PageType type, Encoding encoding) {
  encodings_.insert(encoding);
  for (PageEncodingStats& stats : encoding_stats_) {
    if (stats.page_type == type && stats.encoding == encoding) {
      ++stats.count;
      return;
    }
  }
  encoding_stats_.push_back({.page_type = type, .encoding = encoding, .count = 1});
}

Status PageBuilder::AddDataPage(Encoding encoding, std::span<const uint8_t> values,
                                const PageStatistics& statistics) {
  bool is_v2 = settings_.data_page_version == DataPageVersion::kV2;
  PageHeader header;
  body_scratch_.clear();
  EncodeLevels(repetition_levels_, column_.max_repetition_level, !is_v2, body_scratch_);
  size_t repetition_bytes = body_scratch_.size();
  EncodeLevels(definition_levels_, column_.max_definition_level, !is_v2, body_scratch_);
  size_t levels_bytes = body_scratch_.size();
  if (is_v2) {
    // DATA_PAGE_V2 leaves the levels uncompressed and compresses the values alone.
    FLOE_RETURN_NOT_OK(CompressInto(values, compressed_scratch_));
    body_scratch_.insert(body_scratch_.end(), compressed_scratch_.begin(),
                         compressed_scratch_.end());
    header.type = PageType::kDataPageV2;
    header.uncompressed_page_size = static_cast<int32_t>(levels_bytes + values.size());
    header.compressed_page_size = static_cast<int32_t>(body_scratch_.size());
    header.data_page_header_v2 = DataPageHeaderV2{
        .num_values = static_cast<int32_t>(page_values_),
        .num_nulls = static_cast<int32_t>(statistics.null_count),
        .num_rows = static_cast<int32_t>(page_rows_),
        .encoding = encoding,
        .definition_levels_byte_length = static_cast<int32_t>(levels_bytes - repetition_bytes),
        .repetition_levels_byte_length = static_cast<int32_t>(repetition_bytes),
        .is_compressed = settings_.codec != CompressionCodec::kUncompressed,
        .statistics = ToThrift(statistics)};
  } else {
    body_scratch_.insert(body_scratch_.end(), values.begin(), values.end());
    header.type = PageType::kDataPage;
    header.uncompressed_page_size = static_cast<int32_t>(body_scratch_.size());
    DataPageHeader& data_page = header.data_page_header.emplace();
    data_page.num_values = static_cast<int32_t>(page_values_);
    data_page.encoding = encoding;
    data_page.statistics = ToThrift(statistics);
  }
  std::span<const uint8_t> body = body_scratch_;
  if (!is_v2) {
    FLOE_RETURN_NOT_OK(CompressInto(body_scratch_, compressed_scratch_));
    body = compressed_scratch_;
    header.compressed_page_size = static_cast<int32_t>(compressed_scratch_.size());
  }
  int64_t offset = static_cast<int64_t>(pages_.size());
  AppendPage(std::move(header), body, pages_);
  page_locations_.push_back({.offset = offset,
                             .compressed_page_size = static_cast<int32_t>(pages_.size() - offset),
                             .first_row_index = chunk_rows_});
  CountEncoding(is_v2 ? PageType::kDataPageV2 : PageType::kDataPage, encoding);
  chunk_rows_ += page_rows_;
  chunk_values_ += page_values_;
  page_rows_ = 0;
  page_values_ = 0;
  repetition_levels_.clear();
  definition_levels_.clear();
  return Status::OK();
}

Status PageBuilder::SetDictionaryPage(std::span<const uint8_t> values, int32_t num_values) {
  FLOE_RETURN_NOT_OK(CompressInto(values, compressed_scratch_));
  PageHeader header;
  header.type = PageType::kDictionaryPage;
  header.uncompressed_page_size = static_cast<int32_t>(values.size());
  header.compressed_page_size = static_cast<int32_t>(compressed_scratch_.size());
  header.dictionary_page_header.emplace();
  header.dictionary_page_header->num_values = num_values;
  header.dictionary_page_header->encoding = Encoding::kPlain;
  dictionary_page_.clear();
  AppendPage(std::move(header), compressed_scratch_, dictionary_page_);
  CountEncoding(PageType::kDictionaryPage, Encoding::kPlain);
  return Status::OK();
}

Result<ColumnChunk> PageBuilder::WriteChunk(io::OutputStream& stream,
                                            std::optional<Statistics> statistics) {
  int64_t start = stream.Tell();
  ColumnMetaData metadata;
  metadata.type = column_.physical_type;
  if (column_.max_definition_level > 0 || column_.max_repetition_level > 0) {
    encodings_.insert(Encoding::kRle);
  }
  metadata.encodings.assign(encodings_.begin(), encodings_.end());
  metadata.path_in_schema = column_.path;
  metadata.codec = settings_.codec;
  metadata.num_values = chunk_values_;
  metadata.total_uncompressed_size = uncompressed_bytes_;
  metadata.total_compressed_size = static_cast<int64_t>(dictionary_page_.size() + pages_.size());
  metadata.data_page_offset = start + static_cast<int64_t>(dictionary_page_.size());
  if (!dictionary_page_.empty()) {
    metadata.dictionary_page_offset = start;
  }
  metadata.statistics = std::move(statistics);
  metadata.encoding_stats = encoding_stats_;
  FLOE_RETURN_NOT_OK(WriteBytes(stream, dictionary_page_));
  FLOE_RETURN_NOT_OK(WriteBytes(stream, pages_));
  if (!bloom_filter_.empty()) {
    metadata.bloom_filter_offset = stream.Tell();
    std::vector<uint8_t> header;
    BloomFilterHeader bloom_header;
    bloom_header.num_bytes = static_cast<int32_t>(bloom_filter_.size());
    WriteBloomFilterHeader(bloom_header, header);
    FLOE_RETURN_NOT_OK(WriteBytes(stream, header));
    FLOE_RETURN_NOT_OK(WriteBytes(stream, bloom_filter_));
    metadata.bloom_filter_length = static_cast<int32_t>(header.size() + bloom_filter_.size());
  }
  ColumnChunk chunk;
  chunk.file_offset = start;
  chunk.meta_data = std::move(metadata);
  return chunk;
}

Result<FlushedColumnChunk> PageBuilder::FlushChunk(io::OutputStream& stream,
                                                   std::optional<Statistics> statistics,
                                                   std::optional<ColumnIndex> column_index) {
  FlushedColumnChunk flushed;
  FLOE_ASSIGN_OR_RETURN(flushed.chunk, WriteChunk(stream, std::move(statistics)));
  if (settings_.has_page_index) {
    OffsetIndex offset_index;
    int64_t data_start = flushed.chunk.meta_data->data_page_offset;
    for (PageLocation location : page_locations_) {
      location.offset += data_start;
      offset_index.page_locations.push_back(location);
    }
    flushed.offset_index = std::move(offset_index);
    flushed.column_index = std::move(column_index);
  }
  pages_ = {};
  dictionary_page_ = {};
  bloom_filter_ = {};
  page_locations_.clear();
  encoding_stats_.clear();
  encodings_.clear();
  chunk_rows_ = 0;
  chunk_values_ = 0;
  uncompressed_bytes_ = 0;
  return flushed;
}

}  // namespace floe::format::parquet
