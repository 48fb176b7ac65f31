#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/memory_tracker.h"
#include "common/result.h"
#include "format/parquet/metadata.h"
#include "format/parquet/reader/page_reader.h"
#include "format/parquet/schema.h"
#include "vector/buffer.h"
#include "vector/vector.h"

namespace floe::format::parquet {

/// The decoded values of one leaf column chunk.
///
/// `values` has one row per level entry whose definition level reaches the slot level asked
/// for (every entry when it is 0), NULL where the entry's level is below the column's maximum.
/// The levels are kept only when asked for (nested columns need them for assembly).
struct LeafColumn {
  vector::Vector values;
  std::vector<int16_t> definition_levels;
  std::vector<int16_t> repetition_levels;
};

/// A data page picked from the chunk's OffsetIndex (PageIndex.md).
struct PlannedPage {
  int64_t offset = 0;     // File offset of the page header.
  int64_t first_row = 0;  // Row of the row group the page starts at.
  int64_t num_rows = 0;
  int64_t size = 0;  // Bytes of header and page (OffsetIndex compressed_page_size).
};

/// Options of one chunk read.
struct ColumnReadOptions {
  /// Entries below this definition level have no row in LeafColumn::values (they stand for an
  /// empty or NULL list further up).
  int16_t slot_definition_level = 0;
  /// Keeps the levels in the result.
  bool keep_levels = false;
  /// Returns a dictionary vector when the column is VARCHAR or BYTEA and every data page of the
  /// chunk is dictionary-encoded.
  bool allow_dictionary = true;
  /// Expected number of level entries (ColumnMetaData::num_values); checked at the end.
  int64_t expected_values = -1;
  /// When set, only these data pages are read, in this order (flat columns only); the pages
  /// before `first_data_page_offset` (the dictionary page) are read first in any case.
  /// `expected_values` is not checked then; each page must hold exactly its planned rows.
  std::optional<std::vector<PlannedPage>> pages;
  int64_t first_data_page_offset = 0;
};

/// Rows of a flat column decoded from pages that follow each other in row order: row i of
/// `values` is row `first_row + i` of the row group.
struct ColumnPiece {
  vector::Vector values;
  int64_t first_row = 0;
};

/// Decodes every page of one column chunk straight into vector buffers, for every encoding the
/// spec defines (PLAIN, PLAIN_DICTIONARY, RLE_DICTIONARY, RLE for booleans, DELTA_BINARY_PACKED,
/// DELTA_LENGTH_BYTE_ARRAY, DELTA_BYTE_ARRAY, BYTE_STREAM_SPLIT) and converts stored values to
/// the column's Floe type (see ValueConversion).
///
/// Errors are Corruption (or NotSupported for an encoding that does not apply to the type)
/// naming the file, the column, the page offset and the problem: levels out of range, a
/// dictionary index past the dictionary, value counts that disagree with headers or metadata.
/// Memory for the result and for decoding scratch (levels, dictionary indices, decompressed
/// pages) is charged to `tracker` (may be null); ResourceExhausted names the column. Not
/// thread-safe; one reader per chunk and thread.
class ColumnReader {
 public:
  ColumnReader(const ColumnDescriptor& column, PageReader pages, MemoryTracker* tracker);
  ColumnReader(ColumnReader&&) noexcept;
  ColumnReader& operator=(ColumnReader&&) noexcept;
  ColumnReader(const ColumnReader&) = delete;
  ColumnReader& operator=(const ColumnReader&) = delete;
  ~ColumnReader();

  /// Decodes all pages of the chunk.
  Result<LeafColumn> ReadAll(const ColumnReadOptions& options);

  /// Prepares a read piece by piece (flat columns), reading the dictionary of a planned read.
  Status Begin(const ColumnReadOptions& options);
  /// Decodes whole pages until at least `target_rows` rows are held, the chunk ends, or the
  /// next planned page does not continue the rows read so far; nullopt when no page is left.
  /// Each piece has buffers of its own, so earlier pieces stay valid.
  Result<std::optional<ColumnPiece>> ReadPiece(int64_t target_rows);
  /// Returns Corruption when the pages read so far hold another number of values than
  /// ColumnReadOptions::expected_values.
  Status CheckValueCount() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

/// Converts a binary DECIMAL (big-endian two's complement, 1 to 16 bytes, or longer with pure
/// sign extension) to its unscaled value; false when it does not fit 128 bits.
bool DecodeBinaryDecimal(std::string_view bytes, __int128& output);

}  // namespace floe::format::parquet
