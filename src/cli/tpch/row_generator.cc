#include <algorithm>
#include <utility>

#include "cli/tpch/generators_internal.h"

namespace floe::cli::tpch {
namespace {
// 64 symbols for v-strings (4.2.2.7 asks for at least 64 alphanumeric symbols).
constexpr std::string_view kStringSymbols =
    "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ,.";
static_assert(kStringSymbols.size() == 64);
}  // namespace

ChunkBuilder::ChunkBuilder(std::shared_ptr<const vector::Schema> schema, int64_t expected_rows)
    : schema_(std::move(schema)) {
  columns_.reserve(static_cast<size_t>(schema_->num_fields()));
  for (const vector::Field& field : schema_->fields()) {
    columns_.emplace_back(field.type);
    // Reserving only saves regrowth: when it fails, the first append that needs the room
    // fails too and reports the error.
    static_cast<void>(columns_.back().Reserve(expected_rows));
  }
}

Status ChunkBuilder::AppendNumbered(int index, std::string_view prefix, int64_t number) {
  char buffer[64];
  const auto result = fmt::format_to_n(buffer, sizeof(buffer), "{}{:09d}", prefix, number);
  return AppendString(index, std::string_view(buffer, result.out - buffer));
}

Result<vector::Batch> ChunkBuilder::Finish() {
  std::vector<vector::Vector> vectors;
  vectors.reserve(columns_.size());
  for (vector::VectorBuilder& builder : columns_) {
    FLOE_ASSIGN_OR_RETURN(vector::Vector column, builder.Finish());
    vectors.push_back(std::move(column));
  }
  const int64_t num_rows = vectors.empty() ? 0 : vectors.front().length();
  return vector::Batch::Make(schema_, std::move(vectors), num_rows);
}

RowGenerator::RowGenerator(TableId table, const Dataset& dataset, int64_t num_rows,
                           int64_t rows_per_chunk)
    : TableGenerator(table),
      dataset_(dataset),
      num_rows_(num_rows),
      rows_per_chunk_(rows_per_chunk) {}

int64_t RowGenerator::NumChunks() const {
  return (num_rows_ + rows_per_chunk_ - 1) / rows_per_chunk_;
}

Result<vector::Batch> RowGenerator::GenerateChunk(int64_t chunk) const {
  const int64_t first_row = chunk * rows_per_chunk_;
  const int64_t end_row = std::min(num_rows_, first_row + rows_per_chunk_);
  if (chunk < 0 || first_row >= num_rows_) {
    return Status::InvalidArgument("{} has no chunk {}", TableName(table()), chunk);
  }
  ChunkBuilder builder(schema(), end_row - first_row);
  for (int64_t row = first_row; row < end_row; ++row) {
    FLOE_RETURN_NOT_OK(AppendRow(row, builder));
  }
  return builder.Finish();
}

Status AppendRandomString(vector::VectorBuilder& builder, uint64_t length_bits,
                          const RandomStream& symbols, int64_t index, int min_length,
                          int max_length) {
  const auto length = static_cast<int>(ScaleToRange(length_bits, min_length, max_length));
  char buffer[128];
  uint64_t bits = 0;
  for (int position = 0; position < length && position < 128; ++position) {
    // Ten 6-bit symbols per 64 random bits.
    if (position % 10 == 0) {
      bits = symbols.Bits(index * 16 + position / 10);
    }
    buffer[position] = kStringSymbols[bits & 63];
    bits >>= 6;
  }
  return builder.AppendString(std::string_view(buffer, static_cast<size_t>(length)));
}

Status AppendPhone(vector::VectorBuilder& builder, int64_t nation_key, const RandomStream& random,
                   int64_t index) {
  const uint64_t bits = random.Bits(index);
  const int64_t first = ScaleToRange(bits, 100, 999);
  const int64_t second = ScaleToRange(MixBits(bits ^ 1), 100, 999);
  const int64_t third = ScaleToRange(MixBits(bits ^ 2), 1000, 9999);
  char buffer[32];
  const auto result = fmt::format_to_n(buffer, sizeof(buffer), "{:02d}-{:03d}-{:03d}-{:04d}",
                                       nation_key + 10, first, second, third);
  return builder.AppendString(std::string_view(buffer, result.out - buffer));
}

}  // namespace floe::cli::tpch
