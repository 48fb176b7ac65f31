#include "format/parquet/reader/page_reader.h"

#include <cstring>
#include <utility>

#include "format/parquet/encoding/bit_packing.h"
#include "format/parquet/footer.h"

namespace floe::format::parquet {
namespace {

int BitWidthOfLevel(int16_t max_level) {
  return BitWidthOf(static_cast<uint64_t>(max_level));
}

// Returns the bytes one v1 level section takes: RLE levels carry a 4-byte length prefix
// (Encodings.md, "RLE"), BIT_PACKED levels are exactly num_values * bit_width bits.
Result<std::pair<size_t, size_t>> V1LevelExtent(std::span<const uint8_t> data, Encoding encoding,
                                                int16_t max_level, int64_t num_values) {
  if (encoding == Encoding::kBitPacked) {
    int64_t size = BitPackedSize(num_values, BitWidthOfLevel(max_level));
    if (size > static_cast<int64_t>(data.size())) {
      return Status::Corruption("BIT_PACKED levels of {} bytes exceed the page", size);
    }
    return std::pair<size_t, size_t>{0, static_cast<size_t>(size)};
  }
  if (encoding != Encoding::kRle) {
    return Status::NotSupported("level encoding {}", static_cast<int>(encoding));
  }
  if (data.size() < 4) {
    return Status::Corruption("levels length prefix missing");
  }
  uint32_t length = 0;
  std::memcpy(&length, data.data(), 4);
  if (length > data.size() - 4) {
    return Status::Corruption("levels length {} exceeds the page", length);
  }
  return std::pair<size_t, size_t>{4, length};
}

}  // namespace

Result<PageReader> PageReader::Make(std::span<const uint8_t> chunk, int64_t chunk_offset,
                                    CompressionCodec codec, int16_t max_repetition_level,
                                    int16_t max_definition_level, std::string context) {
  return Make(std::vector<ChunkSegment>{{chunk_offset, chunk}}, codec, max_repetition_level,
              max_definition_level, std::move(context));
}

Result<PageReader> PageReader::Make(std::vector<ChunkSegment> segments, CompressionCodec codec,
                                    int16_t max_repetition_level, int16_t max_definition_level,
                                    std::string context) {
  auto made = Codec::Make(codec);
  if (!made.ok()) {
    return made.status().WithContext(context);
  }
  return PageReader(std::move(segments), std::move(made).value(), max_repetition_level,
                    max_definition_level, std::move(context));
}

Status PageReader::Corrupt(int64_t page_offset, std::string_view what) const {
  return Status::Corruption("{}: page at byte {}: {}", context_, page_offset, what);
}

Status PageReader::Seek(int64_t file_offset) {
  for (const ChunkSegment& segment : segments_) {
    int64_t relative = file_offset - segment.offset;
    if (relative >= 0 && relative < static_cast<int64_t>(segment.bytes.size())) {
      chunk_ = segment.bytes;
      chunk_offset_ = segment.offset;
      position_ = static_cast<size_t>(relative);
      return Status::OK();
    }
  }
  return Corrupt(file_offset, "page offset outside the column chunk");
}

Result<std::optional<Page>> PageReader::Next() {
  while (position_ < chunk_.size()) {
    int64_t page_offset = chunk_offset_ + static_cast<int64_t>(position_);
    size_t header_size = 0;
    auto header_result = ReadPageHeader(chunk_.subspan(position_), header_size);
    if (!header_result.ok()) {
      return Corrupt(page_offset, header_result.status().message());
    }
    const PageHeader& header = *header_result;
    size_t remaining = chunk_.size() - position_ - header_size;
    if (header.compressed_page_size < 0 || header.uncompressed_page_size < 0 ||
        static_cast<size_t>(header.compressed_page_size) > remaining) {
      return Corrupt(page_offset,
                     fmt::format("compressed size {} runs past the column chunk ({} bytes left)",
                                 header.compressed_page_size, remaining));
    }
    std::span<const uint8_t> stored =
        chunk_.subspan(position_ + header_size, static_cast<size_t>(header.compressed_page_size));
    position_ += header_size + stored.size();
    auto crc = VerifyPageCrc(header.crc, stored);
    if (!crc.ok()) {
      return Corrupt(page_offset, crc.message());
    }
    Page page;
    page.type = header.type;
    page.offset = page_offset;
    if (header.type == PageType::kDictionaryPage && header.dictionary_page_header) {
      page.num_values = header.dictionary_page_header->num_values;
      page.encoding = header.dictionary_page_header->encoding;
      FLOE_ASSIGN_OR_RETURN(page.values, Decompress(header, stored, 0, true, page_offset));
    } else if (header.type == PageType::kDataPage && header.data_page_header) {
      const DataPageHeader& v1 = *header.data_page_header;
      page.num_values = v1.num_values;
      page.encoding = v1.encoding;
      page.definition_level_encoding = v1.definition_level_encoding;
      page.repetition_level_encoding = v1.repetition_level_encoding;
      FLOE_ASSIGN_OR_RETURN(page.values, Decompress(header, stored, 0, true, page_offset));
      FLOE_RETURN_NOT_OK(SplitV1Levels(page, page_offset));
    } else if (header.type == PageType::kDataPageV2 && header.data_page_header_v2) {
      FLOE_RETURN_NOT_OK(ReadV2(header, stored, page));
    } else if (header.type == PageType::kDictionaryPage || header.type == PageType::kDataPage ||
               header.type == PageType::kDataPageV2) {
      return Corrupt(page_offset, "page header lacks the header of its page type");
    } else {
      continue;
    }
    if (page.num_values < 0) {
      return Corrupt(page_offset, fmt::format("negative value count {}", page.num_values));
    }
    return std::optional<Page>(page);
  }
  return std::optional<Page>();
}

Result<std::span<const uint8_t>> PageReader::Decompress(const PageHeader& header,
                                                        std::span<const uint8_t> stored,
                                                        size_t skip, bool is_compressed,
                                                        int64_t page_offset) {
  std::span<const uint8_t> input = stored.subspan(skip);
  int64_t uncompressed_size = header.uncompressed_page_size - static_cast<int64_t>(skip);
  if (uncompressed_size < 0) {
    return Corrupt(page_offset, "levels larger than the uncompressed page");
  }
  if (!is_compressed || codec_->codec() == CompressionCodec::kUncompressed) {
    if (static_cast<int64_t>(input.size()) != uncompressed_size) {
      return Corrupt(page_offset, fmt::format("uncompressed page holds {} bytes, header says {}",
                                              input.size(), uncompressed_size));
    }
    return input;
  }
  auto status = codec_->Decompress(input, uncompressed_size, buffer_);
  if (!status.ok()) {
    return Corrupt(page_offset, status.message());
  }
  return std::span<const uint8_t>(buffer_);
}

Status PageReader::SplitV1Levels(Page& page, int64_t page_offset) {
  std::span<const uint8_t> data = page.values;
  if (max_repetition_level_ > 0) {
    auto extent =
        V1LevelExtent(data, page.repetition_level_encoding, max_repetition_level_, page.num_values);
    if (!extent.ok()) {
      return Corrupt(page_offset, fmt::format("repetition levels: {}", extent.status().message()));
    }
    page.repetition_levels = data.subspan(extent->first, extent->second);
    data = data.subspan(extent->first + extent->second);
  }
  if (max_definition_level_ > 0) {
    auto extent =
        V1LevelExtent(data, page.definition_level_encoding, max_definition_level_, page.num_values);
    if (!extent.ok()) {
      return Corrupt(page_offset, fmt::format("definition levels: {}", extent.status().message()));
    }
    page.definition_levels = data.subspan(extent->first, extent->second);
    data = data.subspan(extent->first + extent->second);
  }
  page.values = data;
  return Status::OK();
}

Status PageReader::ReadV2(const PageHeader& header, std::span<const uint8_t> stored, Page& page) {
  const DataPageHeaderV2& v2 = *header.data_page_header_v2;
  page.num_values = v2.num_values;
  page.encoding = v2.encoding;
  int64_t repetition_size = v2.repetition_levels_byte_length;
  int64_t definition_size = v2.definition_levels_byte_length;
  if (repetition_size < 0 || definition_size < 0 ||
      repetition_size + definition_size > static_cast<int64_t>(stored.size())) {
    return Corrupt(page.offset, fmt::format("level lengths {} + {} exceed the page of {} bytes",
                                            repetition_size, definition_size, stored.size()));
  }
  // DataPageHeaderV2: levels are never compressed and have no length prefix.
  page.repetition_levels = stored.subspan(0, static_cast<size_t>(repetition_size));
  page.definition_levels =
      stored.subspan(static_cast<size_t>(repetition_size), static_cast<size_t>(definition_size));
  FLOE_ASSIGN_OR_RETURN(
      page.values,
      Decompress(header, stored, static_cast<size_t>(repetition_size + definition_size),
                 v2.is_compressed.value_or(true), page.offset));
  return Status::OK();
}

}  // namespace floe::format::parquet
