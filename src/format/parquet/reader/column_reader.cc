#include "format/parquet/reader/column_reader.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstring>
#include <limits>
#include <utility>

#include "format/parquet/encoding/bit_packing.h"
#include "format/parquet/encoding/byte_stream_split.h"
#include "format/parquet/encoding/delta_binary_packed.h"
#include "format/parquet/encoding/delta_byte_array.h"
#include "format/parquet/encoding/plain.h"
#include "format/parquet/encoding/rle_bit_packed.h"
#include "types/int128.h"
#include "types/interval.h"
#include "vector/bitmap.h"

namespace floe::format::parquet {
namespace {

using types::Int128;
using vector::Buffer;

// Julian day number of 1970-01-01, the epoch of INT96 timestamps' day field.
constexpr int64_t kJulianEpochDay = 2440588;
constexpr int64_t kMicrosPerDay = int64_t{86400} * 1000 * 1000;
// Strings of one chunk live in one buffer indexed by int32 offsets (Arrow's layout).
constexpr int64_t kMaxStringBytes = std::numeric_limits<int32_t>::max();
// Most rows a whole-chunk read reserves room for up front, on the column metadata's word.
constexpr int64_t kMaxReserveRows = int64_t{1} << 20;

int PhysicalWidth(PhysicalType type, int32_t type_length) {
  switch (type) {
    case PhysicalType::kInt32:
    case PhysicalType::kFloat:
      return 4;
    case PhysicalType::kInt64:
    case PhysicalType::kDouble:
      return 8;
    case PhysicalType::kInt96:
      return 12;
    case PhysicalType::kFixedLenByteArray:
      return type_length;
    default:
      return 0;
  }
}

bool IsBinary(PhysicalType type) {
  return type == PhysicalType::kByteArray || type == PhysicalType::kFixedLenByteArray;
}

bool IsDictionaryEncoding(Encoding encoding) {
  return encoding == Encoding::kPlainDictionary || encoding == Encoding::kRleDictionary;
}

float HalfToFloat(uint16_t half) {
  uint32_t sign = static_cast<uint32_t>(half >> 15) << 31;
  uint32_t exponent = (half >> 10) & 0x1f;
  uint32_t mantissa = half & 0x3ff;
  uint32_t bits = 0;
  if (exponent == 0) {
    float magnitude = std::ldexp(static_cast<float>(mantissa), -24);
    return sign != 0 ? -magnitude : magnitude;
  }
  if (exponent == 31) {
    bits = sign | 0x7f800000u | (mantissa << 13);
  } else {
    bits = sign | ((exponent - 15 + 127) << 23) | (mantissa << 13);
  }
  float value;
  std::memcpy(&value, &bits, 4);
  return value;
}

int64_t FloorDivide(int64_t value, int64_t divisor) {
  int64_t quotient = value / divisor;
  return (value % divisor != 0 && value < 0) ? quotient - 1 : quotient;
}

// Multiplies with wrap-around: hostile values must not be undefined behaviour.
int64_t WrappingMultiply(int64_t value, int64_t factor) {
  return static_cast<int64_t>(static_cast<uint64_t>(value) * static_cast<uint64_t>(factor));
}

template <typename From, typename To, typename Function>
void ConvertEach(const uint8_t* input, int64_t count, uint8_t* output, Function function) {
  for (int64_t i = 0; i < count; ++i) {
    From value;
    std::memcpy(&value, input + i * static_cast<int64_t>(sizeof(From)), sizeof(From));
    To converted = function(value);
    std::memcpy(output + i * static_cast<int64_t>(sizeof(To)), &converted, sizeof(To));
  }
}

// Converts `count` stored numeric values to the column's Floe representation.
void ConvertNumeric(ValueConversion conversion, const uint8_t* input, int64_t count,
                    uint8_t* output) {
  switch (conversion) {
    case ValueConversion::kInt32ToSmallInt:
      ConvertEach<int32_t, int16_t>(input, count, output,
                                    [](int32_t v) { return static_cast<int16_t>(v); });
      return;
    case ValueConversion::kUint32ToBigInt:
      ConvertEach<uint32_t, int64_t>(input, count, output,
                                     [](uint32_t v) { return static_cast<int64_t>(v); });
      return;
    case ValueConversion::kInt32ToBigInt:
      ConvertEach<int32_t, int64_t>(input, count, output,
                                    [](int32_t v) { return static_cast<int64_t>(v); });
      return;
    case ValueConversion::kUint64ToDecimal:
      ConvertEach<uint64_t, Int128>(input, count, output,
                                    [](uint64_t v) { return static_cast<Int128>(v); });
      return;
    case ValueConversion::kInt64ToDecimal128:
      ConvertEach<int64_t, Int128>(input, count, output,
                                   [](int64_t v) { return static_cast<Int128>(v); });
      return;
    case ValueConversion::kInt32MillisToMicros:
      ConvertEach<int32_t, int64_t>(input, count, output,
                                    [](int32_t v) { return int64_t{v} * 1000; });
      return;
    case ValueConversion::kMillisToMicros:
      ConvertEach<int64_t, int64_t>(input, count, output,
                                    [](int64_t v) { return WrappingMultiply(v, 1000); });
      return;
    case ValueConversion::kNanosToMicros:
      ConvertEach<int64_t, int64_t>(input, count, output,
                                    [](int64_t v) { return FloorDivide(v, 1000); });
      return;
    case ValueConversion::kInt96ToMicros:
      for (int64_t i = 0; i < count; ++i) {
        Int96 value;
        std::memcpy(&value, input + i * 12, 12);
        int64_t nanos =
            static_cast<int64_t>(uint64_t{value.words[0]} | (uint64_t{value.words[1]} << 32));
        int64_t micros =
            WrappingMultiply(int64_t{value.words[2]} - kJulianEpochDay, kMicrosPerDay) +
            FloorDivide(nanos, 1000);
        std::memcpy(output + i * 8, &micros, 8);
      }
      return;
    default:
      return;
  }
}

// Copies the dictionary entry of each index to the output. The width is a template argument so
// that each copy is one load and one store rather than a call to memcpy with a run-time size.
template <int kWidth>
void GatherFixed(const uint8_t* dictionary, const uint32_t* indices, int64_t count,
                 uint8_t* output) {
  for (int64_t i = 0; i < count; ++i) {
    std::memcpy(output + i * kWidth, dictionary + int64_t{indices[i]} * kWidth, kWidth);
  }
}

// Returns whether an index of `bit_width` bits is `length` or more. Every index is checked
// before it is used, so this runs over every dictionary-encoded value: it skips the scan when no
// index of that width can reach `length`, and otherwise compares as signed 32-bit integers,
// which SSE2 does in one instruction where an unsigned maximum takes several.
bool HasIndexPast(std::span<const uint32_t> indices, int bit_width, int64_t length) {
  if (indices.empty() || (bit_width < 32 && (int64_t{1} << bit_width) <= length)) {
    return false;
  }
  if (bit_width < 32 && length <= int64_t{1} << 31) {
    // Indices of at most 31 bits are non-negative as int32_t.
    auto last = static_cast<int32_t>(length - 1);
    uint32_t is_past = 0;
    for (uint32_t index : indices) {
      is_past |= static_cast<int32_t>(index) > last ? 1u : 0u;
    }
    return is_past != 0;
  }
  return *std::max_element(indices.begin(), indices.end()) >= length;
}

#if defined(__SANITIZE_THREAD__)
#define FLOE_THREAD_SANITIZER 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define FLOE_THREAD_SANITIZER 1
#endif
#endif

// Returns `spare` emptied for reuse when nothing else holds it any more (the batches sliced from
// the piece it backed are gone), else nullptr. Reusing a piece's buffers for the next one spares
// the allocator and the kernel a fresh, zeroed mapping per piece.
std::shared_ptr<Buffer> Reclaim(std::shared_ptr<Buffer>& spare) {
  std::shared_ptr<Buffer> buffer = std::move(spare);
#ifdef FLOE_THREAD_SANITIZER
  // ThreadSanitizer neither supports the fence below nor sees the ordering it gives (the last
  // other owner's release of its count), so under it buffers are never reused.
  return nullptr;
#else
  if (buffer == nullptr || buffer.use_count() != 1) {
    return nullptr;
  }
  // Pairs with the release of the last other owner, whose thread may have read the buffer.
  std::atomic_thread_fence(std::memory_order_acquire);
  if (!buffer->Resize(0).ok()) {
    return nullptr;
  }
  return buffer;
#endif
}

// Grows a buffer geometrically, charging the tracker.
Status EnsureCapacity(std::shared_ptr<Buffer>& buffer, int64_t bytes, MemoryTracker* tracker) {
  if (buffer == nullptr) {
    buffer = std::make_shared<Buffer>(tracker);
  }
  if (bytes <= buffer->capacity()) {
    return Status::OK();
  }
  // Reserve keeps only `size()` bytes when it moves the contents: count all written so far.
  FLOE_RETURN_NOT_OK(buffer->Resize(buffer->capacity()));
  return buffer->Reserve(std::max(bytes, buffer->capacity() * 2));
}

}  // namespace

bool DecodeBinaryDecimal(std::string_view bytes, Int128& output) {
  size_t size = bytes.size();
  if (size == 0) {
    output = 0;
    return true;
  }
  const auto* data = reinterpret_cast<const uint8_t*>(bytes.data());
  size_t skip = size > 16 ? size - 16 : 0;
  uint8_t sign_byte = (data[skip] & 0x80) != 0 ? 0xff : 0x00;
  for (size_t i = 0; i < skip; ++i) {
    if (data[i] != sign_byte) {
      return false;
    }
  }
  types::UInt128 value = (data[0] & 0x80) != 0 ? ~types::UInt128{0} : 0;
  for (size_t i = skip; i < size; ++i) {
    value = (value << 8) | data[i];
  }
  output = static_cast<Int128>(value);
  return true;
}

class ColumnReader::Impl {
 public:
  Impl(const ColumnDescriptor& column, PageReader pages, MemoryTracker* tracker)
      : column_(column),
        pages_(std::move(pages)),
        tracker_(tracker),
        width_(column.type.PhysicalWidth()),
        physical_width_(PhysicalWidth(column.physical_type, column.type_length)),
        is_string_(column.type.IsString()),
        is_boolean_(column.type.id() == types::TypeId::kBoolean),
        scratch_reservation_(tracker) {}

  Result<LeafColumn> ReadAll(const ColumnReadOptions& options);
  Status Begin(const ColumnReadOptions& options);
  Result<std::optional<ColumnPiece>> ReadPiece(int64_t target_rows);
  Status CheckValueCount() const;

 private:
  void StartPiece();
  Status AcceptPage(const Page& page);
  Result<std::optional<Page>> NextPlannedPage(int64_t piece_end_row);
  Status ChargeScratch();
  Status ReadDictionary(const Page& page);
  Status ReadDataPage(const Page& page);
  Status DecodeLevels(const Page& page);
  Status DecodeLevelRun(std::span<const uint8_t> data, Encoding encoding, int16_t max_level,
                        int64_t count, std::vector<int16_t>& output, const char* what);
  Status Reserve(int64_t additional_rows);
  Status WriteValidity(int64_t slots, int64_t present);
  Status DecodeFixed(const Page& page, int64_t count, uint8_t* output);
  Status DecodeNumeric(std::span<const uint8_t> data, Encoding encoding, int64_t count,
                       uint8_t* output);
  Status DecodeViews(std::span<const uint8_t> data, Encoding encoding, int64_t count);
  Status ConvertViews(int64_t count, uint8_t* output);
  // Decodes into `output` when given (it holds `count` entries), else into indices_.
  Status DecodeIndices(const Page& page, int64_t count, uint32_t* output = nullptr);
  Status DecodeBooleans(const Page& page, int64_t count);
  Status AppendStrings(int64_t slots);
  Status AppendDeltaLengthStrings(std::span<const uint8_t> data, int64_t count);
  Status AppendIndices(int64_t slots);
  Status LeaveDictionaryMode();
  void SpreadFixed(uint8_t* base, int64_t slots, int64_t present);
  Result<vector::Vector> Finish();
  Status Corrupt(int64_t offset, std::string_view what) const {
    return Status::Corruption("{}: page at byte {}: {}", pages_.context(), offset, what);
  }
  Status Unsupported(int64_t offset, std::string_view what) const {
    return Status::NotSupported("{}: page at byte {}: {}", pages_.context(), offset, what);
  }

  const ColumnDescriptor& column_;
  PageReader pages_;
  MemoryTracker* tracker_;
  const int width_;
  const int physical_width_;
  const bool is_string_;
  const bool is_boolean_;
  ColumnReadOptions options_;
  int64_t current_page_offset_ = 0;
  bool has_data_page_ = false;
  size_t next_planned_ = 0;
  int64_t rows_read_ = 0;     // Rows of earlier pieces.
  int64_t reserve_rows_ = 0;  // Rows to make room for at the first page.
  MemoryReservation scratch_reservation_;

  int64_t rows_ = 0;
  int64_t entries_ = 0;
  int64_t null_count_ = 0;
  int64_t data_size_ = 0;
  std::shared_ptr<Buffer> values_;    // Values, bits, offsets, or dictionary indices.
  std::shared_ptr<Buffer> data_;      // String bytes.
  std::shared_ptr<Buffer> validity_;  // Made at the first NULL.
  // The buffers of the last piece, reused by the next one once its batches are gone.
  std::shared_ptr<Buffer> spare_values_;
  std::shared_ptr<Buffer> spare_data_;
  std::shared_ptr<Buffer> spare_validity_;
  std::shared_ptr<const vector::Vector> dictionary_;
  std::vector<std::string_view> dictionary_views_;
  bool is_dictionary_mode_ = false;

  std::vector<int16_t> definition_levels_;
  std::vector<int16_t> repetition_levels_;
  std::vector<uint32_t> indices_;
  std::vector<std::string_view> views_;
  std::vector<uint8_t> scratch_;
  std::vector<uint8_t> booleans_;
  std::string delta_storage_;
  LeafColumn result_;
};

Result<LeafColumn> ColumnReader::Impl::ReadAll(const ColumnReadOptions& options) {
  FLOE_RETURN_NOT_OK(Begin(options));
  if (column_.max_repetition_level == 0 && options.expected_values > 0) {
    // A flat chunk has a slot per value: size the output once rather than growing it page by
    // page, copying as it doubles. The metadata is not trusted beyond a bound.
    reserve_rows_ = std::min(options.expected_values, kMaxReserveRows);
  }
  FLOE_ASSIGN_OR_RETURN(std::optional<ColumnPiece> piece,
                        ReadPiece(std::numeric_limits<int64_t>::max()));
  if (!piece.has_value()) {
    FLOE_ASSIGN_OR_RETURN(result_.values, Finish());
  } else {
    result_.values = std::move(piece->values);
  }
  FLOE_RETURN_NOT_OK(CheckValueCount());
  return std::move(result_);
}

Status ColumnReader::Impl::CheckValueCount() const {
  if (options_.expected_values >= 0 && entries_ != options_.expected_values) {
    return Status::Corruption("{}: pages hold {} values, the column metadata says {}",
                              pages_.context(), entries_, options_.expected_values);
  }
  return Status::OK();
}

Status ColumnReader::Impl::Begin(const ColumnReadOptions& options) {
  options_ = options;
  is_dictionary_mode_ = is_string_ && options.allow_dictionary;
  if (!options_.pages.has_value()) {
    return Status::OK();
  }
  // PageIndex.md: the OffsetIndex lists data pages only; a dictionary page precedes them.
  while (pages_.next_page_offset() < options_.first_data_page_offset) {
    FLOE_ASSIGN_OR_RETURN(std::optional<Page> page, pages_.Next());
    if (!page.has_value()) {
      break;
    }
    current_page_offset_ = page->offset;
    if (page->type != PageType::kDictionaryPage) {
      return Corrupt(page->offset, "data page before the first page of the offset index");
    }
    FLOE_RETURN_NOT_OK(AcceptPage(*page));
  }
  return Status::OK();
}

// Resets the output buffers: each piece owns its buffers, so vectors handed out earlier stay;
// the previous piece's buffers are reused only when no vector holds them any more.
void ColumnReader::Impl::StartPiece() {
  rows_ = 0;
  null_count_ = 0;
  data_size_ = 0;
  // Our own references go first, so that a spare no batch holds is held once.
  values_ = nullptr;
  data_ = nullptr;
  validity_ = nullptr;
  values_ = Reclaim(spare_values_);
  data_ = Reclaim(spare_data_);
}

Status ColumnReader::Impl::AcceptPage(const Page& page) {
  current_page_offset_ = page.offset;
  if (page.type == PageType::kDictionaryPage) {
    if (dictionary_ != nullptr || has_data_page_) {
      return Corrupt(page.offset, "dictionary page after the first page of the chunk");
    }
    return ReadDictionary(page);
  }
  has_data_page_ = true;
  return ReadDataPage(page);
}

// Returns the next data page of the plan, checked against the rows the OffsetIndex gives it.
Result<std::optional<Page>> ColumnReader::Impl::NextPlannedPage(int64_t piece_end_row) {
  const std::vector<PlannedPage>& plan = *options_.pages;
  if (next_planned_ >= plan.size()) {
    return std::optional<Page>();
  }
  const PlannedPage& planned = plan[next_planned_];
  if (rows_ > 0 && planned.first_row != piece_end_row) {
    return std::optional<Page>();
  }
  FLOE_RETURN_NOT_OK(pages_.Seek(planned.offset));
  FLOE_ASSIGN_OR_RETURN(std::optional<Page> page, pages_.Next());
  if (!page.has_value() || page->type == PageType::kDictionaryPage) {
    return Corrupt(planned.offset, "offset index entry is not a data page");
  }
  if (page->num_values != planned.num_rows) {
    return Corrupt(planned.offset,
                   fmt::format("page holds {} values, the offset index says {} rows",
                               page->num_values, planned.num_rows));
  }
  ++next_planned_;
  return page;
}

Result<std::optional<ColumnPiece>> ColumnReader::Impl::ReadPiece(int64_t target_rows) {
  StartPiece();
  if (is_string_ && !is_dictionary_mode_) {
    FLOE_RETURN_NOT_OK(EnsureCapacity(values_, 4, tracker_));
    values_->mutable_data_as<int32_t>()[0] = 0;
  }
  bool is_planned = options_.pages.has_value();
  int64_t first_row = is_planned ? 0 : rows_read_;
  bool has_rows = false;
  while (rows_ < target_rows) {
    std::optional<Page> page;
    if (is_planned) {
      FLOE_ASSIGN_OR_RETURN(page, NextPlannedPage(first_row + rows_));
      if (page.has_value() && !has_rows) {
        first_row = (*options_.pages)[next_planned_ - 1].first_row;
      }
    } else {
      FLOE_ASSIGN_OR_RETURN(page, pages_.Next());
    }
    if (!page.has_value()) {
      break;
    }
    FLOE_RETURN_NOT_OK(AcceptPage(*page));
    has_rows = has_rows || page->type != PageType::kDictionaryPage;
    FLOE_RETURN_NOT_OK(ChargeScratch());
  }
  if (!has_rows) {
    return std::optional<ColumnPiece>();
  }
  rows_read_ += rows_;
  ColumnPiece piece;
  piece.first_row = first_row;
  FLOE_ASSIGN_OR_RETURN(piece.values, Finish());
  return std::optional<ColumnPiece>(std::move(piece));
}

// Charges what decoding holds besides the output (levels, indices, views, decompressed
// pages), so that a budget bounds the whole read.
Status ColumnReader::Impl::ChargeScratch() {
  auto bytes = static_cast<int64_t>(
      (definition_levels_.capacity() + repetition_levels_.capacity()) * sizeof(int16_t) +
      indices_.capacity() * sizeof(uint32_t) + views_.capacity() * sizeof(std::string_view) +
      scratch_.capacity() + booleans_.capacity() + delta_storage_.capacity());
  bytes += pages_.buffer_bytes();
  Status status = scratch_reservation_.Resize(bytes);
  if (!status.ok()) {
    return status.WithContext(pages_.context());
  }
  return Status::OK();
}

Status ColumnReader::Impl::ReadDictionary(const Page& page) {
  if (page.encoding != Encoding::kPlain && page.encoding != Encoding::kPlainDictionary) {
    return Unsupported(page.offset,
                       fmt::format("dictionary page encoding {}", static_cast<int>(page.encoding)));
  }
  int64_t count = page.num_values;
  if (count > static_cast<int64_t>(page.values.size()) * 8 + 8) {
    return Corrupt(page.offset,
                   fmt::format("dictionary of {} values in {} bytes", count, page.values.size()));
  }
  std::shared_ptr<Buffer> values;
  std::shared_ptr<Buffer> data;
  if (is_string_) {
    FLOE_RETURN_NOT_OK(DecodeViews(page.values, Encoding::kPlain, count));
    FLOE_ASSIGN_OR_RETURN(values, Buffer::Allocate((count + 1) * 4, tracker_));
    int64_t total = 0;
    for (std::string_view view : views_) {
      total += static_cast<int64_t>(view.size());
    }
    FLOE_ASSIGN_OR_RETURN(data, Buffer::Allocate(std::max<int64_t>(total, 1), tracker_));
    auto* offsets = values->mutable_data_as<int32_t>();
    int64_t position = 0;
    offsets[0] = 0;
    for (int64_t i = 0; i < count; ++i) {
      std::memcpy(data->mutable_data() + position, views_[i].data(), views_[i].size());
      position += static_cast<int64_t>(views_[i].size());
      offsets[i + 1] = static_cast<int32_t>(position);
    }
    if (total > kMaxStringBytes) {
      return Corrupt(page.offset, "dictionary larger than 2 GiB");
    }
  } else if (is_boolean_) {
    return Unsupported(page.offset, "dictionary-encoded BOOLEAN column");
  } else {
    FLOE_ASSIGN_OR_RETURN(values, Buffer::Allocate(std::max<int64_t>(count * width_, 1), tracker_));
    Page plain = page;
    plain.encoding = Encoding::kPlain;
    FLOE_RETURN_NOT_OK(DecodeFixed(plain, count, values->mutable_data()));
  }
  FLOE_ASSIGN_OR_RETURN(
      vector::Vector dictionary,
      vector::Vector::MakeFlat(column_.type, count, 0, nullptr, values, data, {}, 0));
  dictionary_ = std::make_shared<const vector::Vector>(std::move(dictionary));
  if (is_string_) {
    dictionary_views_.resize(static_cast<size_t>(count));
    for (int64_t i = 0; i < count; ++i) {
      dictionary_views_[i] = dictionary_->GetString(i);
    }
  }
  return Status::OK();
}

Status ColumnReader::Impl::DecodeLevelRun(std::span<const uint8_t> data, Encoding encoding,
                                          int16_t max_level, int64_t count,
                                          std::vector<int16_t>& output, const char* what) {
  output.resize(static_cast<size_t>(count));
  int bit_width = BitWidthOf(static_cast<uint64_t>(max_level));
  Status status;
  if (encoding == Encoding::kBitPacked) {
    std::vector<uint32_t> wide(static_cast<size_t>(count));
    status = DecodeLegacyBitPacked(data, bit_width, wide);
    for (int64_t i = 0; i < count && status.ok(); ++i) {
      output[i] = static_cast<int16_t>(std::min<uint32_t>(wide[i], 0x7fff));
    }
  } else {
    RleBitPackedDecoder decoder(data, bit_width);
    status = decoder.Decode<int16_t>(output.data(), count);
  }
  if (!status.ok()) {
    return Corrupt(current_page_offset_, fmt::format("{} levels: {}", what, status.message()));
  }
  int16_t highest = 0;
  for (int16_t level : output) {
    highest = std::max(highest, level);
  }
  if (highest > max_level) {
    return Corrupt(current_page_offset_,
                   fmt::format("{} level {} exceeds the maximum {}", what, highest, max_level));
  }
  return Status::OK();
}

Status ColumnReader::Impl::DecodeLevels(const Page& page) {
  int64_t count = page.num_values;
  if (column_.max_repetition_level > 0) {
    FLOE_RETURN_NOT_OK(DecodeLevelRun(page.repetition_levels, page.repetition_level_encoding,
                                      column_.max_repetition_level, count, repetition_levels_,
                                      "repetition"));
    if (count > 0 && entries_ == 0 && repetition_levels_[0] != 0) {
      return Corrupt(page.offset, "first repetition level of the chunk is not 0");
    }
  }
  if (column_.max_definition_level > 0) {
    FLOE_RETURN_NOT_OK(DecodeLevelRun(page.definition_levels, page.definition_level_encoding,
                                      column_.max_definition_level, count, definition_levels_,
                                      "definition"));
  }
  if (options_.keep_levels) {
    auto& definitions = result_.definition_levels;
    auto& repetitions = result_.repetition_levels;
    if (column_.max_definition_level > 0) {
      definitions.insert(definitions.end(), definition_levels_.begin(), definition_levels_.end());
    } else {
      definitions.resize(definitions.size() + static_cast<size_t>(count), 0);
    }
    if (column_.max_repetition_level > 0) {
      repetitions.insert(repetitions.end(), repetition_levels_.begin(), repetition_levels_.end());
    } else {
      repetitions.resize(repetitions.size() + static_cast<size_t>(count), 0);
    }
  }
  return Status::OK();
}

Status ColumnReader::Impl::Reserve(int64_t additional_rows) {
  int64_t rows = std::max(rows_ + additional_rows, reserve_rows_);
  int64_t bytes = 0;
  if (is_boolean_) {
    bytes = vector::BitmapBytes(rows);
  } else if (is_string_) {
    bytes = (rows + 1) * 4;
  } else {
    bytes = rows * width_;
  }
  FLOE_RETURN_NOT_OK(EnsureCapacity(values_, bytes, tracker_));
  if (validity_ != nullptr) {
    FLOE_RETURN_NOT_OK(EnsureCapacity(validity_, vector::BitmapBytes(rows), tracker_));
  }
  return Status::OK();
}

// Sets validity bits for the page's slots: valid where the definition level is the maximum.
Status ColumnReader::Impl::WriteValidity(int64_t slots, int64_t present) {
  if (slots == present && validity_ == nullptr) {
    return Status::OK();
  }
  if (validity_ == nullptr) {
    validity_ = Reclaim(spare_validity_);
    FLOE_RETURN_NOT_OK(EnsureCapacity(validity_, vector::BitmapBytes(rows_ + slots), tracker_));
    vector::SetBitsTo(validity_->mutable_data(), 0, rows_, true);
  }
  uint8_t* bits = validity_->mutable_data();
  if (slots == present) {
    vector::SetBitsTo(bits, rows_, slots, true);
    return Status::OK();
  }
  int16_t max_level = column_.max_definition_level;
  int16_t slot_level = options_.slot_definition_level;
  int64_t row = rows_;
  for (int16_t level : definition_levels_) {
    if (level >= slot_level) {
      vector::SetBitTo(bits, row++, level == max_level);
    }
  }
  null_count_ += slots - present;
  return Status::OK();
}

Status ColumnReader::Impl::ReadDataPage(const Page& page) {
  int64_t count = page.num_values;
  if (options_.expected_values >= 0 && entries_ + count > options_.expected_values) {
    return Corrupt(page.offset, fmt::format("pages hold more than the {} values of the column "
                                            "metadata",
                                            options_.expected_values));
  }
  FLOE_RETURN_NOT_OK(DecodeLevels(page));
  int64_t present = count;
  int64_t slots = count;
  if (column_.max_definition_level > 0) {
    int16_t max_level = column_.max_definition_level;
    int16_t slot_level = options_.slot_definition_level;
    present = 0;
    slots = 0;
    for (int16_t level : definition_levels_) {
      present += level == max_level ? 1 : 0;
      slots += level >= slot_level ? 1 : 0;
    }
  }
  FLOE_RETURN_NOT_OK(Reserve(slots));
  FLOE_RETURN_NOT_OK(WriteValidity(slots, present));
  if (is_string_) {
    if (IsDictionaryEncoding(page.encoding) && is_dictionary_mode_ && slots == present) {
      // No NULL to spread: the indices go straight into the output.
      FLOE_RETURN_NOT_OK(
          DecodeIndices(page, present, values_->mutable_data_as<uint32_t>() + rows_));
    } else if (IsDictionaryEncoding(page.encoding) && is_dictionary_mode_) {
      FLOE_RETURN_NOT_OK(DecodeIndices(page, present));
      FLOE_RETURN_NOT_OK(AppendIndices(slots));
    } else {
      if (is_dictionary_mode_) {
        FLOE_RETURN_NOT_OK(LeaveDictionaryMode());
        FLOE_RETURN_NOT_OK(Reserve(slots));
      }
      if (page.encoding == Encoding::kDeltaLengthByteArray && slots == present) {
        FLOE_RETURN_NOT_OK(AppendDeltaLengthStrings(page.values, present));
      } else {
        FLOE_RETURN_NOT_OK(DecodeViews(page.values, page.encoding, present));
        FLOE_RETURN_NOT_OK(AppendStrings(slots));
      }
    }
  } else if (is_boolean_) {
    FLOE_RETURN_NOT_OK(DecodeBooleans(page, present));
    uint8_t* bits = values_->mutable_data();
    int64_t next = 0;
    int64_t row = rows_;
    int16_t max_level = column_.max_definition_level;
    for (int64_t i = 0; i < count; ++i) {
      int16_t level = max_level > 0 ? definition_levels_[i] : 0;
      if (level < options_.slot_definition_level) {
        continue;
      }
      vector::SetBitTo(bits, row++, level == max_level && booleans_[next] != 0);
      next += level == max_level ? 1 : 0;
    }
  } else {
    uint8_t* base = values_->mutable_data() + rows_ * width_;
    FLOE_RETURN_NOT_OK(DecodeFixed(page, present, base));
    if (slots != present) {
      SpreadFixed(base, slots, present);
    }
  }
  rows_ += slots;
  entries_ += count;
  return Status::OK();
}

// Moves `present` dense values at `base` to their slots, last first, so nothing is overwritten
// before it moved.
void ColumnReader::Impl::SpreadFixed(uint8_t* base, int64_t slots, int64_t present) {
  int16_t max_level = column_.max_definition_level;
  int16_t slot_level = options_.slot_definition_level;
  int64_t source = present - 1;
  int64_t target = slots - 1;
  for (auto level = definition_levels_.rbegin(); level != definition_levels_.rend(); ++level) {
    if (*level < slot_level) {
      continue;
    }
    if (*level == max_level) {
      if (source != target) {
        std::memmove(base + target * width_, base + source * width_, static_cast<size_t>(width_));
      }
      --source;
    } else {
      std::memset(base + target * width_, 0, static_cast<size_t>(width_));
    }
    --target;
  }
}

Status ColumnReader::Impl::DecodeFixed(const Page& page, int64_t count, uint8_t* output) {
  if (IsDictionaryEncoding(page.encoding)) {
    if (dictionary_ == nullptr) {
      return Corrupt(page.offset, "dictionary-encoded page without a dictionary page");
    }
    FLOE_RETURN_NOT_OK(DecodeIndices(page, count));
    const uint8_t* dictionary = dictionary_->values_buffer()->data();
    switch (width_) {
      case 2:
        GatherFixed<2>(dictionary, indices_.data(), count, output);
        return Status::OK();
      case 4:
        GatherFixed<4>(dictionary, indices_.data(), count, output);
        return Status::OK();
      case 8:
        GatherFixed<8>(dictionary, indices_.data(), count, output);
        return Status::OK();
      case 16:
        GatherFixed<16>(dictionary, indices_.data(), count, output);
        return Status::OK();
      default:
        return Unsupported(page.offset, "dictionary of this width");
    }
  }
  if (IsBinary(column_.physical_type)) {
    FLOE_RETURN_NOT_OK(DecodeViews(page.values, page.encoding, count));
    return ConvertViews(count, output);
  }
  if (column_.conversion == ValueConversion::kNone) {
    return DecodeNumeric(page.values, page.encoding, count, output);
  }
  scratch_.resize(static_cast<size_t>(count * physical_width_));
  FLOE_RETURN_NOT_OK(DecodeNumeric(page.values, page.encoding, count, scratch_.data()));
  ConvertNumeric(column_.conversion, scratch_.data(), count, output);
  return Status::OK();
}

Status ColumnReader::Impl::DecodeNumeric(std::span<const uint8_t> data, Encoding encoding,
                                         int64_t count, uint8_t* output) {
  int64_t bytes = count * physical_width_;
  Status status;
  switch (encoding) {
    case Encoding::kPlain:
      if (static_cast<int64_t>(data.size()) < bytes) {
        return Corrupt(current_page_offset_,
                       fmt::format("{} PLAIN values need {} bytes, the page holds {}", count, bytes,
                                   data.size()));
      }
      if (bytes > 0) {
        std::memcpy(output, data.data(), static_cast<size_t>(bytes));
      }
      return Status::OK();
    case Encoding::kByteStreamSplit:
      status = DecodeByteStreamSplit(data, physical_width_, count, 0, count, output);
      break;
    case Encoding::kDeltaBinaryPacked:
      if (column_.physical_type == PhysicalType::kInt32) {
        auto decoder = DeltaBinaryPackedDecoder<int32_t>::Make(data);
        status = decoder.ok() ? decoder->Decode(reinterpret_cast<int32_t*>(output), count)
                              : decoder.status();
      } else if (column_.physical_type == PhysicalType::kInt64) {
        auto decoder = DeltaBinaryPackedDecoder<int64_t>::Make(data);
        status = decoder.ok() ? decoder->Decode(reinterpret_cast<int64_t*>(output), count)
                              : decoder.status();
      } else {
        return Unsupported(current_page_offset_, "DELTA_BINARY_PACKED on a non-integer column");
      }
      break;
    default:
      return Unsupported(current_page_offset_, fmt::format("encoding {} for this column type",
                                                           static_cast<int>(encoding)));
  }
  if (!status.ok()) {
    return Corrupt(current_page_offset_, status.message());
  }
  return Status::OK();
}

Status ColumnReader::Impl::DecodeViews(std::span<const uint8_t> data, Encoding encoding,
                                       int64_t count) {
  views_.resize(static_cast<size_t>(count));
  Status status;
  bool is_fixed = column_.physical_type == PhysicalType::kFixedLenByteArray;
  switch (encoding) {
    case Encoding::kPlain:
      status = is_fixed ? DecodePlainFixedLenByteArrays(data, column_.type_length, views_).status()
                        : DecodePlainByteArrays(data, views_).status();
      break;
    case Encoding::kDeltaLengthByteArray:
      status = DecodeDeltaLengthByteArray(data, views_).status();
      break;
    case Encoding::kDeltaByteArray:
      status = DecodeDeltaByteArray(data, views_, delta_storage_, kMaxStringBytes);
      break;
    case Encoding::kByteStreamSplit:
      if (!is_fixed) {
        return Unsupported(current_page_offset_, "BYTE_STREAM_SPLIT on BYTE_ARRAY");
      }
      scratch_.resize(static_cast<size_t>(count * physical_width_));
      status = DecodeByteStreamSplit(data, physical_width_, count, 0, count, scratch_.data());
      for (int64_t i = 0; i < count && status.ok(); ++i) {
        views_[i] =
            std::string_view(reinterpret_cast<const char*>(scratch_.data()) + i * physical_width_,
                             static_cast<size_t>(physical_width_));
      }
      break;
    case Encoding::kPlainDictionary:
    case Encoding::kRleDictionary: {
      if (!is_string_) {
        return Unsupported(current_page_offset_, "dictionary-encoded values of this type");
      }
      Page page;
      page.offset = current_page_offset_;
      page.values = data;
      FLOE_RETURN_NOT_OK(DecodeIndices(page, count));
      for (int64_t i = 0; i < count; ++i) {
        views_[i] = dictionary_views_[indices_[i]];
      }
      return Status::OK();
    }
    default:
      return Unsupported(current_page_offset_, fmt::format("encoding {} for this column type",
                                                           static_cast<int>(encoding)));
  }
  if (!status.ok()) {
    return Corrupt(current_page_offset_, status.message());
  }
  return Status::OK();
}

Status ColumnReader::Impl::ConvertViews(int64_t count, uint8_t* output) {
  for (int64_t i = 0; i < count; ++i) {
    std::string_view view = views_[i];
    uint8_t* target = output + i * width_;
    switch (column_.conversion) {
      case ValueConversion::kBinaryToDecimal: {
        Int128 value = 0;
        if (!DecodeBinaryDecimal(view, value)) {
          return Corrupt(current_page_offset_, "DECIMAL value wider than 128 bits");
        }
        if (width_ == 8) {
          auto narrow = static_cast<int64_t>(value);
          std::memcpy(target, &narrow, 8);
        } else {
          std::memcpy(target, &value, 16);
        }
        break;
      }
      case ValueConversion::kFloat16ToReal: {
        uint16_t half = 0;
        std::memcpy(&half, view.data(), 2);
        float value = HalfToFloat(half);
        std::memcpy(target, &value, 4);
        break;
      }
      case ValueConversion::kIntervalToInterval: {
        uint32_t parts[3];
        std::memcpy(parts, view.data(), 12);
        types::Interval value{static_cast<int32_t>(parts[0]), static_cast<int32_t>(parts[1]),
                              int64_t{parts[2]} * 1000};
        std::memcpy(target, &value, 16);
        break;
      }
      default:
        if (static_cast<int>(view.size()) != width_) {
          return Corrupt(current_page_offset_,
                         fmt::format("value of {} bytes in a column of {}", view.size(), width_));
        }
        std::memcpy(target, view.data(), view.size());
        break;
    }
  }
  return Status::OK();
}

Status ColumnReader::Impl::DecodeIndices(const Page& page, int64_t count, uint32_t* output) {
  if (dictionary_ == nullptr) {
    return Corrupt(page.offset, "dictionary-encoded page without a dictionary page");
  }
  if (page.values.empty()) {
    if (count == 0) {
      return Status::OK();
    }
    return Corrupt(page.offset, "dictionary indices missing");
  }
  int bit_width = page.values[0];
  if (output == nullptr) {
    indices_.resize(static_cast<size_t>(count));
    output = indices_.data();
  }
  RleBitPackedDecoder decoder(page.values.subspan(1), bit_width);
  Status status = decoder.Decode<uint32_t>(output, count);
  if (!status.ok()) {
    return Corrupt(page.offset, fmt::format("dictionary indices: {}", status.message()));
  }
  std::span<const uint32_t> indices(output, static_cast<size_t>(count));
  if (!HasIndexPast(indices, bit_width, dictionary_->length())) {
    return Status::OK();
  }
  uint32_t highest = *std::max_element(indices.begin(), indices.end());
  return Corrupt(page.offset, fmt::format("dictionary index {} past the dictionary of {} values",
                                          highest, dictionary_->length()));
}

Status ColumnReader::Impl::DecodeBooleans(const Page& page, int64_t count) {
  booleans_.resize(static_cast<size_t>(count));
  Status status;
  if (page.encoding == Encoding::kPlain) {
    status = DecodePlainBooleans(page.values, 0, booleans_);
  } else if (page.encoding == Encoding::kRle) {
    // Encodings.md: RLE booleans in data pages carry a 4-byte length prefix.
    if (page.values.size() < 4) {
      return Corrupt(page.offset, "RLE booleans without a length prefix");
    }
    uint32_t length = 0;
    std::memcpy(&length, page.values.data(), 4);
    if (length > page.values.size() - 4) {
      return Corrupt(page.offset, fmt::format("RLE boolean length {} exceeds the page", length));
    }
    RleBitPackedDecoder decoder(page.values.subspan(4, length), 1);
    status = decoder.Decode<uint8_t>(booleans_.data(), count);
  } else {
    return Unsupported(page.offset,
                       fmt::format("encoding {} for BOOLEAN", static_cast<int>(page.encoding)));
  }
  if (!status.ok()) {
    return Corrupt(page.offset, status.message());
  }
  return Status::OK();
}

Status ColumnReader::Impl::AppendStrings(int64_t slots) {
  int64_t total = 0;
  for (std::string_view view : views_) {
    total += static_cast<int64_t>(view.size());
  }
  if (data_size_ + total > kMaxStringBytes) {
    return Corrupt(current_page_offset_, "string data of the chunk exceeds 2 GiB");
  }
  FLOE_RETURN_NOT_OK(EnsureCapacity(data_, std::max<int64_t>(data_size_ + total, 1), tracker_));
  auto* offsets = values_->mutable_data_as<int32_t>() + rows_;
  uint8_t* data = data_->mutable_data();
  int64_t position = data_size_;
  if (slots == static_cast<int64_t>(views_.size())) {
    // DELTA_LENGTH_BYTE_ARRAY (and a run of PLAIN empty strings) leaves the strings back to
    // back in the page: then one copy moves them all instead of one small copy per string.
    const char* next_source = slots > 0 ? views_[0].data() : nullptr;
    bool is_contiguous = true;
    int64_t end = position;
    for (int64_t i = 0; i < slots; ++i) {
      is_contiguous = is_contiguous && views_[i].data() == next_source;
      next_source = views_[i].data() + views_[i].size();
      end += static_cast<int64_t>(views_[i].size());
      offsets[i + 1] = static_cast<int32_t>(end);
    }
    if (is_contiguous && total > 0) {
      std::memcpy(data + position, views_[0].data(), static_cast<size_t>(total));
    } else if (!is_contiguous) {
      uint8_t* target = data + position;
      for (std::string_view view : views_) {
        std::memcpy(target, view.data(), view.size());
        target += view.size();
      }
    }
    position = end;
  } else {
    int16_t max_level = column_.max_definition_level;
    int64_t next = 0;
    int64_t slot = 0;
    for (int16_t level : definition_levels_) {
      if (level < options_.slot_definition_level) {
        continue;
      }
      if (level == max_level) {
        std::string_view view = views_[next++];
        std::memcpy(data + position, view.data(), view.size());
        position += static_cast<int64_t>(view.size());
      }
      offsets[++slot] = static_cast<int32_t>(position);
    }
  }
  data_size_ = position;
  return Status::OK();
}

// DELTA_LENGTH_BYTE_ARRAY without NULLs: the lengths are decoded into the offsets, which a
// running sum then turns into ends, and the strings, back to back in the page, are copied at
// once, without a view per string.
Status ColumnReader::Impl::AppendDeltaLengthStrings(std::span<const uint8_t> data, int64_t count) {
  int32_t* offsets = values_->mutable_data_as<int32_t>() + rows_;
  std::span<int32_t> lengths(offsets + 1, static_cast<size_t>(count));
  int64_t total = 0;
  auto start = DecodeDeltaLengthByteArrayLengths(data, lengths, total);
  if (!start.ok()) {
    return Corrupt(current_page_offset_, start.status().message());
  }
  if (data_size_ + total > kMaxStringBytes) {
    return Corrupt(current_page_offset_, "string data of the chunk exceeds 2 GiB");
  }
  FLOE_RETURN_NOT_OK(EnsureCapacity(data_, std::max<int64_t>(data_size_ + total, 1), tracker_));
  if (total > 0) {
    std::memcpy(data_->mutable_data() + data_size_, data.data() + *start,
                static_cast<size_t>(total));
  }
  auto end = static_cast<int32_t>(data_size_);
  for (int32_t& offset : lengths) {
    end += offset;
    offset = end;
  }
  data_size_ += total;
  return Status::OK();
}

Status ColumnReader::Impl::AppendIndices(int64_t slots) {
  auto* output = values_->mutable_data_as<int32_t>() + rows_;
  if (slots == static_cast<int64_t>(indices_.size())) {
    std::memcpy(output, indices_.data(), indices_.size() * 4);
    return Status::OK();
  }
  int16_t max_level = column_.max_definition_level;
  int64_t next = 0;
  int64_t slot = 0;
  for (int16_t level : definition_levels_) {
    if (level < options_.slot_definition_level) {
      continue;
    }
    output[slot++] = level == max_level ? static_cast<int32_t>(indices_[next++]) : 0;
  }
  return Status::OK();
}

// A chunk whose writer fell back from dictionary to plain pages: turn the indices read so far
// into strings and continue with flat strings.
Status ColumnReader::Impl::LeaveDictionaryMode() {
  is_dictionary_mode_ = false;
  std::shared_ptr<Buffer> indices = std::move(values_);
  values_ = nullptr;
  FLOE_RETURN_NOT_OK(EnsureCapacity(values_, (rows_ + 1) * 4, tracker_));
  auto* offsets = values_->mutable_data_as<int32_t>();
  offsets[0] = 0;
  const int32_t* source = indices != nullptr ? indices->data_as<int32_t>() : nullptr;
  views_.clear();
  for (int64_t row = 0; row < rows_; ++row) {
    bool is_valid = validity_ == nullptr || vector::GetBit(validity_->data(), row);
    views_.push_back(is_valid ? dictionary_views_[source[row]] : std::string_view());
  }
  int64_t rows = rows_;
  rows_ = 0;
  FLOE_RETURN_NOT_OK(AppendStrings(rows));
  rows_ = rows;
  return Status::OK();
}

Result<vector::Vector> ColumnReader::Impl::Finish() {
  if (is_dictionary_mode_ && dictionary_ == nullptr) {
    // No dictionary was seen (an empty chunk): hand back empty flat strings.
    is_dictionary_mode_ = false;
    values_ = nullptr;
    FLOE_RETURN_NOT_OK(EnsureCapacity(values_, (rows_ + 1) * 4, tracker_));
    std::memset(values_->mutable_data(), 0, static_cast<size_t>((rows_ + 1) * 4));
  }
  if (values_ == nullptr) {
    FLOE_RETURN_NOT_OK(EnsureCapacity(values_, 16, tracker_));
  }
  if (is_string_ && data_ == nullptr) {
    FLOE_RETURN_NOT_OK(EnsureCapacity(data_, 1, tracker_));
  }
  int64_t values_size = rows_ * width_;
  if (is_dictionary_mode_) {
    values_size = rows_ * 4;
  } else if (is_string_) {
    values_size = (rows_ + 1) * 4;
  } else if (is_boolean_) {
    values_size = vector::BitmapBytes(rows_);
  }
  FLOE_RETURN_NOT_OK(values_->Resize(values_size));
  if (data_ != nullptr) {
    FLOE_RETURN_NOT_OK(data_->Resize(data_size_));
  }
  if (validity_ != nullptr) {
    FLOE_RETURN_NOT_OK(validity_->Resize(vector::BitmapBytes(rows_)));
  }
  spare_values_ = values_;
  spare_data_ = data_;
  if (validity_ != nullptr) {
    spare_validity_ = validity_;
  }
  if (is_dictionary_mode_) {
    return vector::Vector::MakeDictionary(dictionary_, rows_, 0, values_, validity_);
  }
  auto result = vector::Vector::MakeFlat(column_.type, rows_, 0, validity_, values_, data_, {},
                                         validity_ == nullptr ? 0 : null_count_);
  if (!result.ok()) {
    return Status::Internal("{}: {}", pages_.context(), result.status().message());
  }
  return result;
}

ColumnReader::ColumnReader(const ColumnDescriptor& column, PageReader pages, MemoryTracker* tracker)
    : impl_(std::make_unique<Impl>(column, std::move(pages), tracker)) {}
ColumnReader::ColumnReader(ColumnReader&&) noexcept = default;
ColumnReader& ColumnReader::operator=(ColumnReader&&) noexcept = default;
ColumnReader::~ColumnReader() = default;

Result<LeafColumn> ColumnReader::ReadAll(const ColumnReadOptions& options) {
  return impl_->ReadAll(options);
}

Status ColumnReader::Begin(const ColumnReadOptions& options) {
  return impl_->Begin(options);
}

Result<std::optional<ColumnPiece>> ColumnReader::ReadPiece(int64_t target_rows) {
  return impl_->ReadPiece(target_rows);
}

Status ColumnReader::CheckValueCount() const {
  return impl_->CheckValueCount();
}

}  // namespace floe::format::parquet
