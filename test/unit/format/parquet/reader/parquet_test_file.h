// Builds small Parquet files by hand (schema, pages, footer) for reader tests.
#pragma once

#include <cstdint>
#include <cstring>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "format/parquet/encoding/rle_bit_packed.h"
#include "format/parquet/metadata.h"
#include "io/memory/memory_file_system.h"

namespace floe::format::parquet::testing {

using Bytes = std::vector<uint8_t>;

inline SchemaElement Leaf(std::string name, PhysicalType type, FieldRepetitionType repetition) {
  SchemaElement element;
  element.name = std::move(name);
  element.type = type;
  element.repetition_type = repetition;
  return element;
}

inline SchemaElement Group(std::string name, int32_t children,
                           std::optional<FieldRepetitionType> repetition) {
  SchemaElement element;
  element.name = std::move(name);
  element.num_children = children;
  element.repetition_type = repetition;
  return element;
}

/// Levels in the RLE hybrid encoding, with the 4-byte length prefix of v1 pages.
inline Bytes V1Levels(const std::vector<uint32_t>& levels, int bit_width) {
  Bytes runs;
  EncodeRleBitPacked(levels, bit_width, runs);
  Bytes output(4);
  auto length = static_cast<uint32_t>(runs.size());
  std::memcpy(output.data(), &length, 4);
  output.insert(output.end(), runs.begin(), runs.end());
  return output;
}

/// Appends a page (header and body) to `chunk`.
inline void AppendPage(Bytes& chunk, PageHeader header, const Bytes& body) {
  header.compressed_page_size = static_cast<int32_t>(body.size());
  header.uncompressed_page_size = static_cast<int32_t>(body.size());
  WritePageHeader(header, chunk);
  chunk.insert(chunk.end(), body.begin(), body.end());
}

inline void AppendDataPageV1(Bytes& chunk, int32_t num_values, Encoding encoding,
                             const Bytes& levels_and_values) {
  PageHeader header;
  header.type = PageType::kDataPage;
  DataPageHeader data;
  data.num_values = num_values;
  data.encoding = encoding;
  header.data_page_header = data;
  AppendPage(chunk, header, levels_and_values);
}

inline void AppendDictionaryPage(Bytes& chunk, int32_t num_values, const Bytes& values) {
  PageHeader header;
  header.type = PageType::kDictionaryPage;
  DictionaryPageHeader dictionary;
  dictionary.num_values = num_values;
  header.dictionary_page_header = dictionary;
  AppendPage(chunk, header, values);
}

inline Bytes Concat(std::initializer_list<Bytes> parts) {
  Bytes output;
  for (const Bytes& part : parts) {
    output.insert(output.end(), part.begin(), part.end());
  }
  return output;
}

/// One column chunk: its pages and how many level entries they hold.
struct TestChunk {
  Bytes pages;
  int64_t num_values = 0;
  bool has_dictionary = false;
};

/// Returns a one-row-group file of `schema` whose leaves are `chunks` in order.
inline std::string BuildFile(const std::vector<SchemaElement>& schema,
                             const std::vector<TestChunk>& chunks, int64_t num_rows) {
  Bytes file = {'P', 'A', 'R', '1'};
  FileMetaData metadata;
  metadata.schema = schema;
  metadata.num_rows = num_rows;
  RowGroup row_group;
  row_group.num_rows = num_rows;
  size_t leaf = 0;
  for (const SchemaElement& element : schema) {
    if (element.num_children.value_or(0) > 0 || !element.type.has_value()) {
      continue;
    }
    const TestChunk& chunk = chunks[leaf++];
    ColumnChunk column;
    ColumnMetaData meta;
    meta.type = *element.type;
    meta.path_in_schema = {element.name};
    meta.num_values = chunk.num_values;
    meta.total_compressed_size = static_cast<int64_t>(chunk.pages.size());
    meta.total_uncompressed_size = meta.total_compressed_size;
    meta.data_page_offset = static_cast<int64_t>(file.size());
    if (chunk.has_dictionary) {
      meta.dictionary_page_offset = meta.data_page_offset;
    }
    column.file_offset = meta.data_page_offset;
    column.meta_data = meta;
    row_group.columns.push_back(column);
    file.insert(file.end(), chunk.pages.begin(), chunk.pages.end());
  }
  metadata.row_groups.push_back(row_group);
  Bytes footer;
  WriteFileMetaData(metadata, footer);
  file.insert(file.end(), footer.begin(), footer.end());
  auto length = static_cast<uint32_t>(footer.size());
  uint8_t length_bytes[4];
  std::memcpy(length_bytes, &length, 4);
  file.insert(file.end(), length_bytes, length_bytes + 4);
  file.insert(file.end(), {'P', 'A', 'R', '1'});
  return std::string(file.begin(), file.end());
}

template <typename T>
Bytes PlainBytes(const std::vector<T>& values) {
  Bytes output(values.size() * sizeof(T));
  if (!values.empty()) {
    std::memcpy(output.data(), values.data(), output.size());
  }
  return output;
}

}  // namespace floe::format::parquet::testing
