#include "format/parquet/writer/column_writer.h"

#include <algorithm>
#include <array>
#include <bit>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "format/parquet/encoding/bit_packing.h"
#include "format/parquet/encoding/delta_binary_packed.h"
#include "format/parquet/encoding/delta_byte_array.h"
#include "format/parquet/encoding/plain.h"
#include "format/parquet/encoding/rle_bit_packed.h"
#include "format/parquet/writer/bloom_filter_builder.h"
#include "format/parquet/writer/dictionary_table.h"
#include "format/parquet/writer/page_builder.h"
#include "format/parquet/writer/statistics_builder.h"
#include "format/parquet/writer/value_traits.h"
#include "types/int128.h"
#include "types/uuid.h"

namespace floe::format::parquet {
namespace {

using internal::ValueOrder;

/// How a Floe vector's values become the column's physical values.
enum class SourceLayout : uint8_t {
  kBoolean,
  kInt16ToInt32,  // SMALLINT.
  kInt32,         // INTEGER, DATE.
  kInt64ToInt32,  // DECIMAL up to 9 digits (vectors hold int64).
  kInt64,         // BIGINT, TIME, TIMESTAMP[TZ], DECIMAL up to 18 digits.
  kFloat,
  kDouble,
  kBytes,          // VARCHAR, BYTEA.
  kUuid,           // 16 bytes as stored.
  kInt128ToFixed,  // DECIMAL over 18 digits: big-endian two's complement.
};

SourceLayout SourceOf(const types::LogicalType& type) {
  switch (type.id()) {
    case types::TypeId::kBoolean:
      return SourceLayout::kBoolean;
    case types::TypeId::kSmallInt:
      return SourceLayout::kInt16ToInt32;
    case types::TypeId::kInteger:
    case types::TypeId::kDate:
      return SourceLayout::kInt32;
    case types::TypeId::kDecimal:
      if (type.precision() <= 9) {
        return SourceLayout::kInt64ToInt32;
      }
      return type.precision() <= types::LogicalType::kMaxInt64DecimalPrecision
                 ? SourceLayout::kInt64
                 : SourceLayout::kInt128ToFixed;
    case types::TypeId::kReal:
      return SourceLayout::kFloat;
    case types::TypeId::kDouble:
      return SourceLayout::kDouble;
    case types::TypeId::kVarchar:
    case types::TypeId::kBytea:
      return SourceLayout::kBytes;
    case types::TypeId::kUuid:
      return SourceLayout::kUuid;
    default:
      return SourceLayout::kInt64;
  }
}

ValueOrder OrderOf(const ColumnDescriptor& column) {
  if (column.physical_type == PhysicalType::kByteArray) {
    return ValueOrder::kUnsignedBytes;
  }
  if (column.physical_type == PhysicalType::kFixedLenByteArray) {
    return column.type.id() == types::TypeId::kDecimal ? ValueOrder::kSignedBigEndian
                                                       : ValueOrder::kUnsignedBytes;
  }
  return ValueOrder::kNatural;
}

/// Reads row `row` of the flat vector `source` as the physical value T.
template <typename T>
T ReadValue(SourceLayout kind, const vector::Vector& source, int64_t row, int32_t type_length,
            std::array<char, 16>& scratch) {
  if constexpr (std::is_same_v<T, bool>) {
    return vector::GetBit(source.value_bits(), source.offset() + row);
  } else if constexpr (std::is_same_v<T, int32_t>) {
    if (kind == SourceLayout::kInt16ToInt32) {
      return source.values<int16_t>()[row];
    }
    if (kind == SourceLayout::kInt64ToInt32) {
      return static_cast<int32_t>(source.values<int64_t>()[row]);
    }
    return source.values<int32_t>()[row];
  } else if constexpr (std::is_same_v<T, std::string_view>) {
    if (kind == SourceLayout::kBytes) {
      return source.GetString(row);
    }
    const auto* bytes = reinterpret_cast<const char*>(source.values<types::Uuid>() + row);
    if (kind == SourceLayout::kUuid) {
      return std::string_view(bytes, 16);
    }
    // LogicalTypes.md, DECIMAL: FIXED_LEN_BYTE_ARRAY holds the unscaled value big-endian in the
    // column's type_length bytes (the low bytes of the two's complement).
    auto value = static_cast<types::UInt128>(source.values<types::Int128>()[row]);
    for (int32_t i = type_length - 1; i >= 0; --i) {
      scratch[static_cast<size_t>(i)] = static_cast<char>(value & 0xFF);
      value >>= 8;
    }
    return std::string_view(scratch.data(), static_cast<size_t>(type_length));
  } else {
    return source.values<T>()[row];
  }
}

/// The values of the open page that are not dictionary encoded.
template <typename T>
class PlainValues {
 public:
  void Add(T value) { values_.push_back(value); }
  std::span<const T> values() const { return values_; }
  void Clear() { values_.clear(); }
  int64_t Capacity() const { return static_cast<int64_t>(values_.capacity() * sizeof(T)); }

 private:
  std::vector<T> values_;
};

template <>
class PlainValues<bool> {
 public:
  void Add(bool value) { values_.push_back(value ? 1 : 0); }
  std::span<const uint8_t> values() const { return values_; }
  void Clear() { values_.clear(); }
  int64_t Capacity() const { return static_cast<int64_t>(values_.capacity()); }

 private:
  std::vector<uint8_t> values_;
};

template <>
class PlainValues<std::string_view> {
 public:
  void Add(std::string_view value) {
    bytes_.insert(bytes_.end(), value.begin(), value.end());
    ends_.push_back(bytes_.size());
  }
  /// Returns views of the values; valid until the next Add or Clear.
  std::span<const std::string_view> values() {
    views_.clear();
    size_t begin = 0;
    for (size_t end : ends_) {
      views_.emplace_back(bytes_.data() + begin, end - begin);
      begin = end;
    }
    return views_;
  }
  void Clear() {
    bytes_.clear();
    ends_.clear();
  }
  int64_t Capacity() const {
    return static_cast<int64_t>(bytes_.capacity() + ends_.capacity() * sizeof(size_t) +
                                views_.capacity() * sizeof(std::string_view));
  }

 private:
  std::vector<char> bytes_;
  std::vector<size_t> ends_;
  std::vector<std::string_view> views_;
};

template <typename T>
class TypedColumnWriter final : public ColumnWriter {
 public:
  TypedColumnWriter(const ColumnDescriptor& column, const ColumnWriterSettings& settings,
                    std::unique_ptr<PageBuilder> pages)
      : ColumnWriter(column),
        settings_(settings),
        pages_(std::move(pages)),
        source_(SourceOf(column.type)),
        statistics_(OrderOf(column), column.physical_type == PhysicalType::kByteArray),
        is_fixed_length_(column.physical_type == PhysicalType::kFixedLenByteArray),
        is_dictionary_enabled_(settings.is_dictionary_enabled && !std::is_same_v<T, bool>),
        is_dictionary_mode_(is_dictionary_enabled_) {}

  Status WriteColumn(const vector::Vector& column) override {
    const vector::Vector& source = column.ValueSource();
    int16_t absent_level = static_cast<int16_t>(this->column().max_definition_level - 1);
    for (int64_t row = 0; row < column.length(); ++row) {
      if (column.IsNull(row)) {
        FLOE_RETURN_NOT_OK(WriteAbsent(0, absent_level));
        continue;
      }
      FLOE_RETURN_NOT_OK(
          Add(0, ReadValue<T>(source_, source, column.ValueIndex(row), type_length(), scratch_)));
    }
    return Status::OK();
  }

  Status WriteAbsent(int16_t repetition_level, int16_t definition_level) override {
    if (repetition_level == 0 && IsPageFull()) {
      FLOE_RETURN_NOT_OK(FlushPage());
    }
    pages_->AddLevels(repetition_level, definition_level);
    statistics_.AddNull();
    return Status::OK();
  }

  Status WriteValue(int16_t repetition_level, const vector::Vector& source, int64_t row) override {
    return Add(repetition_level, ReadValue<T>(source_, source, row, type_length(), scratch_));
  }

  int64_t BufferedBytes() const override {
    return pages_->BufferedBytes() + dictionary_.BufferedBytes() + plain_.Capacity() +
           static_cast<int64_t>(indices_.capacity() * sizeof(uint32_t) +
                                hashes_.capacity() * sizeof(uint64_t));
  }

  Result<FlushedColumnChunk> FlushChunk(io::OutputStream& stream) override {
    FLOE_RETURN_NOT_OK(FlushPage());
    if (dictionary_.size() > 0) {
      scratch_bytes_.clear();
      EncodeDictionary(scratch_bytes_);
      FLOE_RETURN_NOT_OK(
          pages_->SetDictionaryPage(scratch_bytes_, static_cast<int32_t>(dictionary_.size())));
    }
    if (settings_.has_bloom_filter) {
      pages_->SetBloomFilter(BuildBloomFilter());
    }
    std::optional<ColumnIndex> column_index;
    if (settings_.has_page_index) {
      column_index = statistics_.ColumnIndexOfChunk();
    }
    FLOE_ASSIGN_OR_RETURN(
        FlushedColumnChunk flushed,
        pages_->FlushChunk(stream, statistics_.ChunkStatistics(), std::move(column_index)));
    statistics_.ResetChunk();
    dictionary_.Clear();
    is_dictionary_mode_ = is_dictionary_enabled_;
    is_fallback_pending_ = false;
    has_dictionary_page_ = false;
    hashes_ = {};
    return flushed;
  }

 private:
  int32_t type_length() const { return column().type_length; }

  int64_t EstimatedPageBytes() const {
    if (!is_dictionary_mode_) {
      return page_plain_bytes_;
    }
    int bit_width =
        std::max(1, static_cast<int>(std::bit_width(static_cast<uint64_t>(dictionary_.size()))));
    return static_cast<int64_t>(indices_.size()) * bit_width / 8;
  }

  bool IsPageFull() const {
    return pages_->page_values() > 0 &&
           (is_fallback_pending_ || pages_->page_rows() >= settings_.data_page_rows ||
            EstimatedPageBytes() >= settings_.data_page_bytes);
  }

  Status Add(int16_t repetition_level, T value) {
    if (repetition_level == 0 && IsPageFull()) {
      FLOE_RETURN_NOT_OK(FlushPage());
    }
    pages_->AddLevels(repetition_level, column().max_definition_level);
    statistics_.Add(value);
    int64_t plain_size = internal::PlainSize(value, is_fixed_length_);
    page_plain_bytes_ += plain_size;
    if (!is_dictionary_mode_) {
      plain_.Add(value);
      if (settings_.has_bloom_filter) {
        hashes_.push_back(HashForBloomFilter(value));
      }
      return Status::OK();
    }
    bool is_new = false;
    indices_.push_back(dictionary_.FindOrInsert(value, is_new));
    if (is_new) {
      if (settings_.has_bloom_filter) {
        hashes_.push_back(HashForBloomFilter(value));
      }
      // Encodings.md allows a writer to fall back to plain encoding for the rest of the chunk
      // when the dictionary grows too big.
      is_fallback_pending_ = dictionary_.plain_bytes() > settings_.dictionary_bytes_limit;
    }
    return Status::OK();
  }

  uint64_t HashForBloomFilter(const T& value) {
    char bytes[8];
    return XxHash64(internal::PlainBytes(value, bytes));
  }

  Status FlushPage() {
    if (pages_->page_values() == 0) {
      return Status::OK();
    }
    PageStatistics page_statistics = statistics_.FinishPage();
    scratch_bytes_.clear();
    Encoding encoding;
    // A page whose rows are all NULL before any value reached the dictionary is written PLAIN
    // (it holds no values): dictionary-encoded pages need a dictionary page, and a chunk of
    // NULLs alone has none.
    if (is_dictionary_mode_ && dictionary_.size() > 0) {
      encoding = Encoding::kRleDictionary;
      EncodeIndices(scratch_bytes_);
      // Like other writers, give up on a dictionary that does not pay for itself on the first
      // page: its entries plus the indices take more than the values would.
      if (!has_dictionary_page_ &&
          dictionary_.plain_bytes() + static_cast<int64_t>(scratch_bytes_.size()) >=
              page_plain_bytes_) {
        is_fallback_pending_ = true;
      }
      has_dictionary_page_ = true;
      indices_.clear();
    } else {
      encoding = EncodeValues(scratch_bytes_);
      plain_.Clear();
    }
    if (is_fallback_pending_) {
      is_dictionary_mode_ = false;
      is_fallback_pending_ = false;
    }
    page_plain_bytes_ = 0;
    return pages_->AddDataPage(encoding, scratch_bytes_, page_statistics);
  }

  void EncodeIndices(std::vector<uint8_t>& output) const {
    // Encodings.md, dictionary encoding: one byte of bit width, then the RLE/bit-packed hybrid
    // without a length prefix.
    int bit_width = std::max(1, BitWidthOf(static_cast<uint64_t>(dictionary_.size() - 1)));
    output.push_back(static_cast<uint8_t>(bit_width));
    EncodeRleBitPacked(indices_, bit_width, output);
  }

  void EncodeDictionary(std::vector<uint8_t>& output) {
    if constexpr (std::is_same_v<T, std::string_view>) {
      if (is_fixed_length_) {
        EncodePlainFixedLenByteArrays(dictionary_.values(), output);
      } else {
        EncodePlainByteArrays(dictionary_.values(), output);
      }
    } else if constexpr (!std::is_same_v<T, bool>) {
      EncodePlain(dictionary_.values(), output);
    }
  }

  Encoding EncodeValues(std::vector<uint8_t>& output) {
    if constexpr (std::is_same_v<T, bool>) {
      EncodePlainBooleans(plain_.values(), output);
      return Encoding::kPlain;
    } else if constexpr (std::is_same_v<T, int32_t> || std::is_same_v<T, int64_t>) {
      return EncodeIntegers(plain_.values(), output);
    } else if constexpr (std::is_same_v<T, std::string_view>) {
      return EncodeBinary(plain_.values(), output);
    } else {
      EncodePlain(plain_.values(), output);
      return Encoding::kPlain;
    }
  }

  Encoding EncodeIntegers(std::span<const T> values, std::vector<uint8_t>& output) {
    if (settings_.value_encoding == ValueEncoding::kPlain) {
      EncodePlain(values, output);
      return Encoding::kPlain;
    }
    EncodeDeltaBinaryPacked(values, output);
    if (settings_.value_encoding == ValueEncoding::kAuto && output.size() >= values.size_bytes()) {
      output.clear();
      EncodePlain(values, output);
      return Encoding::kPlain;
    }
    return Encoding::kDeltaBinaryPacked;
  }

  Encoding EncodeBinary(std::span<const std::string_view> values, std::vector<uint8_t>& output) {
    ValueEncoding choice = settings_.value_encoding;
    if (is_fixed_length_ || choice == ValueEncoding::kPlain) {
      is_fixed_length_ ? EncodePlainFixedLenByteArrays(values, output)
                       : EncodePlainByteArrays(values, output);
      return Encoding::kPlain;
    }
    if (choice == ValueEncoding::kAuto) {
      choice = ChooseBinaryEncoding(values);
    }
    if (choice == ValueEncoding::kDeltaPrefix) {
      EncodeDeltaByteArray(values, output);
    } else {
      EncodeDeltaLengthByteArray(values, output);
    }
    if (settings_.value_encoding == ValueEncoding::kAuto &&
        static_cast<int64_t>(output.size()) >= page_plain_bytes_) {
      output.clear();
      EncodePlainByteArrays(values, output);
      return Encoding::kPlain;
    }
    return choice == ValueEncoding::kDeltaPrefix ? Encoding::kDeltaByteArray
                                                 : Encoding::kDeltaLengthByteArray;
  }

  // Prefix sharing pays when a quarter of the bytes repeat the previous value's start (sorted
  // keys, URLs, paths); otherwise DELTA_LENGTH_BYTE_ARRAY keeps the bytes contiguous, which
  // compresses better.
  static ValueEncoding ChooseBinaryEncoding(std::span<const std::string_view> values) {
    int64_t total = 0;
    int64_t shared = 0;
    std::string_view previous;
    for (std::string_view value : values) {
      size_t limit = std::min(previous.size(), value.size());
      size_t common = 0;
      while (common < limit && previous[common] == value[common]) {
        ++common;
      }
      shared += static_cast<int64_t>(common);
      total += static_cast<int64_t>(value.size());
      previous = value;
    }
    return shared * 4 >= total && shared > 0 ? ValueEncoding::kDeltaPrefix
                                             : ValueEncoding::kDeltaLength;
  }

  std::vector<uint8_t> BuildBloomFilter() {
    std::sort(hashes_.begin(), hashes_.end());
    hashes_.erase(std::unique(hashes_.begin(), hashes_.end()), hashes_.end());
    SplitBlockBloomFilter filter(OptimalBloomFilterBytes(static_cast<int64_t>(hashes_.size()),
                                                         settings_.bloom_filter_false_positive_rate,
                                                         settings_.bloom_filter_max_bytes));
    for (uint64_t hash : hashes_) {
      filter.Insert(hash);
    }
    std::span<const uint8_t> bytes = filter.bytes();
    return std::vector<uint8_t>(bytes.begin(), bytes.end());
  }

  ColumnWriterSettings settings_;
  std::unique_ptr<PageBuilder> pages_;
  SourceLayout source_;
  internal::StatisticsBuilder<T> statistics_;
  bool is_fixed_length_;
  bool is_dictionary_enabled_;
  bool is_dictionary_mode_;
  bool is_fallback_pending_ = false;
  bool has_dictionary_page_ = false;
  // BOOLEAN columns are never dictionary encoded; the table only has to compile for them.
  internal::DictionaryTable<std::conditional_t<std::is_same_v<T, bool>, uint8_t, T>> dictionary_{
      is_fixed_length_};
  std::vector<uint32_t> indices_;
  PlainValues<T> plain_;
  int64_t page_plain_bytes_ = 0;
  std::vector<uint64_t> hashes_;
  std::vector<uint8_t> scratch_bytes_;
  std::array<char, 16> scratch_{};
};

template <typename T>
Result<std::unique_ptr<ColumnWriter>> MakeTyped(const ColumnDescriptor& column,
                                                const ColumnWriterSettings& settings) {
  FLOE_ASSIGN_OR_RETURN(std::unique_ptr<PageBuilder> pages, PageBuilder::Make(column, settings));
  return std::unique_ptr<ColumnWriter>(
      std::make_unique<TypedColumnWriter<T>>(column, settings, std::move(pages)));
}

}  // namespace

Result<std::unique_ptr<ColumnWriter>> ColumnWriter::Make(const ColumnDescriptor& column,
                                                         const ColumnWriterSettings& settings) {
  switch (column.physical_type) {
    case PhysicalType::kBoolean:
      return MakeTyped<bool>(column, settings);
    case PhysicalType::kInt32:
      return MakeTyped<int32_t>(column, settings);
    case PhysicalType::kInt64:
      return MakeTyped<int64_t>(column, settings);
    case PhysicalType::kFloat:
      return MakeTyped<float>(column, settings);
    case PhysicalType::kDouble:
      return MakeTyped<double>(column, settings);
    case PhysicalType::kByteArray:
    case PhysicalType::kFixedLenByteArray:
      return MakeTyped<std::string_view>(column, settings);
    default:
      return Status::NotSupported("writing Parquet physical type {} of column {}",
                                  static_cast<int>(column.physical_type), column.PathString());
  }
}

}  // namespace floe::format::parquet
