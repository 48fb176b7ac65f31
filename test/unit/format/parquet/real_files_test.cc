// Reads the footers and every page header of Parquet files written by other engines (DuckDB,
// Spark, PyIceberg and others) from the shared test data next to the source tree.
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "format/compression/codec.h"
#include "format/parquet/footer.h"
#include "format/parquet/metadata.h"

namespace floe::format::parquet {
namespace {

using Bytes = std::vector<uint8_t>;

std::filesystem::path SharedDirectory() {
  return std::filesystem::path(FLOE_SOURCE_DIR).parent_path() / "shared";
}

Bytes ReadWholeFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return Bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

std::vector<std::filesystem::path> ParquetFilesUnder(const std::filesystem::path& directory) {
  std::vector<std::filesystem::path> files;
  if (!std::filesystem::exists(directory)) {
    return files;
  }
  for (const auto& entry : std::filesystem::recursive_directory_iterator(directory)) {
    if (entry.is_regular_file() && entry.path().extension() == ".parquet") {
      files.push_back(entry.path());
    }
  }
  return files;
}

Result<FileMetaData> ReadFooter(const Bytes& file) {
  std::span<const uint8_t> bytes(file);
  FLOE_ASSIGN_OR_RETURN(
      uint32_t length,
      ReadFooterLength(bytes.subspan(bytes.size() - kFooterTrailerSize), bytes.size()));
  return ReadFileMetaData(bytes.subspan(bytes.size() - kFooterTrailerSize - length, length));
}

// Decompresses one page as its header describes: v2 data pages keep their levels uncompressed.
Status DecompressPage(Codec& codec, const PageHeader& header, std::span<const uint8_t> page) {
  int64_t levels_size = 0;
  bool is_compressed = true;
  if (header.data_page_header_v2.has_value()) {
    const auto& v2 = *header.data_page_header_v2;
    levels_size = int64_t{v2.definition_levels_byte_length} + v2.repetition_levels_byte_length;
    is_compressed = v2.is_compressed.value_or(true);
  }
  if (levels_size > header.compressed_page_size || levels_size > header.uncompressed_page_size) {
    return Status::Corruption("levels larger than the page");
  }
  auto values = page.subspan(static_cast<size_t>(levels_size));
  int64_t values_size = header.uncompressed_page_size - levels_size;
  if (!is_compressed) {
    return values.size() == static_cast<size_t>(values_size)
               ? Status::OK()
               : Status::Corruption("uncompressed page size mismatch");
  }
  Bytes output;
  return codec.Decompress(values, values_size, output);
}

struct ChunkSummary {
  int64_t num_values = 0;
  int pages = 0;
};

// Walks the pages of one column chunk, checking each header, checksum and decompression.
Result<ChunkSummary> WalkColumnChunk(const Bytes& file, const ColumnMetaData& metadata) {
  FLOE_ASSIGN_OR_RETURN(auto codec, Codec::Make(metadata.codec));
  int64_t start = metadata.data_page_offset;
  if (metadata.dictionary_page_offset.has_value() && *metadata.dictionary_page_offset > 0) {
    start = std::min(start, *metadata.dictionary_page_offset);
  }
  int64_t end = start + metadata.total_compressed_size;
  if (start < 4 || end > static_cast<int64_t>(file.size())) {
    return Status::Corruption("column chunk [{}, {}) outside the file", start, end);
  }
  ChunkSummary summary;
  int64_t position = start;
  while (summary.num_values < metadata.num_values) {
    size_t header_size = 0;
    std::span<const uint8_t> rest(file.data() + position, static_cast<size_t>(end - position));
    FLOE_ASSIGN_OR_RETURN(PageHeader header, ReadPageHeader(rest, header_size));
    if (header.compressed_page_size < 0 ||
        header_size + static_cast<size_t>(header.compressed_page_size) > rest.size()) {
      return Status::Corruption("page at {} runs past the column chunk", position);
    }
    auto page = rest.subspan(header_size, static_cast<size_t>(header.compressed_page_size));
    FLOE_RETURN_NOT_OK(VerifyPageCrc(header.crc, page));
    FLOE_RETURN_NOT_OK(
        DecompressPage(*codec, header, page).WithContext(fmt::format("page at byte {}", position)));
    if (header.data_page_header.has_value()) {
      summary.num_values += header.data_page_header->num_values;
    } else if (header.data_page_header_v2.has_value()) {
      summary.num_values += header.data_page_header_v2->num_values;
    }
    ++summary.pages;
    position += static_cast<int64_t>(header_size) + header.compressed_page_size;
  }
  return summary;
}

// Checks one file and returns the number of values in its first column, counted from pages.
Result<int64_t> CheckFile(const Bytes& file, const FileMetaData& metadata) {
  int64_t rows = 0;
  int64_t first_column_values = 0;
  for (const RowGroup& row_group : metadata.row_groups) {
    rows += row_group.num_rows;
    for (size_t column = 0; column < row_group.columns.size(); ++column) {
      const auto& chunk = row_group.columns[column];
      if (!chunk.meta_data.has_value()) {
        return Status::Corruption("column chunk without metadata");
      }
      FLOE_ASSIGN_OR_RETURN(ChunkSummary summary, WalkColumnChunk(file, *chunk.meta_data));
      if (summary.num_values != chunk.meta_data->num_values) {
        return Status::Corruption("pages hold {} values, metadata says {}", summary.num_values,
                                  chunk.meta_data->num_values);
      }
      if (column == 0) {
        first_column_values += summary.num_values;
      }
    }
  }
  if (rows != metadata.num_rows) {
    return Status::Corruption("row groups hold {} rows, the file {}", rows, metadata.num_rows);
  }
  return first_column_values;
}

TEST(RealFilesTest, ReadsLineitemWrittenByDuckDb) {
  auto path = SharedDirectory() / "tpch-sf0.1" / "lineitem.parquet";
  ASSERT_TRUE(std::filesystem::exists(path)) << "shared TPC-H data missing: " << path;
  Bytes file = ReadWholeFile(path);
  auto metadata = ReadFooter(file);
  ASSERT_TRUE(metadata.ok()) << metadata.status().ToString();
  std::vector<std::string> expected = {
      "l_orderkey",    "l_partkey",       "l_suppkey",  "l_linenumber",
      "l_quantity",    "l_extendedprice", "l_discount", "l_tax",
      "l_returnflag",  "l_linestatus",    "l_shipdate", "l_commitdate",
      "l_receiptdate", "l_shipinstruct",  "l_shipmode", "l_comment"};
  ASSERT_EQ(metadata->schema.size(), expected.size() + 1);
  EXPECT_EQ(metadata->schema[0].num_children, 16);
  for (size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(metadata->schema[i + 1].name, expected[i]);
  }
  // Counting the values of l_orderkey page by page is a second path to the row count.
  auto values = CheckFile(file, *metadata);
  ASSERT_TRUE(values.ok()) << values.status().ToString();
  EXPECT_EQ(*values, metadata->num_rows);
  EXPECT_EQ(metadata->num_rows, 600572);
  EXPECT_EQ(metadata->row_groups[0].columns[0].meta_data->codec, CompressionCodec::kZstd);
}

void CheckEveryFileUnder(const std::filesystem::path& directory, size_t minimum_files) {
  auto files = ParquetFilesUnder(directory);
  ASSERT_FALSE(files.empty()) << "no shared data under " << directory;
  EXPECT_GE(files.size(), minimum_files);
  for (const auto& path : files) {
    Bytes file = ReadWholeFile(path);
    auto metadata = ReadFooter(file);
    ASSERT_TRUE(metadata.ok()) << path << ": " << metadata.status().ToString();
    EXPECT_FALSE(metadata->schema.empty()) << path;
    auto values = CheckFile(file, *metadata);
    ASSERT_TRUE(values.ok()) << path << ": " << values.status().ToString();
  }
}

TEST(RealFilesTest, ReadsEveryTpchFile) {
  CheckEveryFileUnder(SharedDirectory() / "tpch-sf0.1", 8);
}

TEST(RealFilesTest, ReadsEveryIcebergInteropFile) {
  CheckEveryFileUnder(SharedDirectory() / "iceberg-interop", 100);
}

}  // namespace
}  // namespace floe::format::parquet
