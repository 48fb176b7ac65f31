#include <utility>

#include <fmt/format.h>

#include "cli/tpch/table_sink.h"
#include "types/temporal.h"

namespace floe::cli::tpch {
namespace {

// Bytes gathered before each write to the stream.
constexpr size_t kFlushBytes = size_t{1} << 20;

void FormatDecimal(fmt::memory_buffer& output, int64_t unscaled, int scale) {
  int64_t divisor = 1;
  for (int digit = 0; digit < scale; ++digit) {
    divisor *= 10;
  }
  const bool is_negative = unscaled < 0;
  const uint64_t magnitude =
      is_negative ? 0 - static_cast<uint64_t>(unscaled) : static_cast<uint64_t>(unscaled);
  const auto unsigned_divisor = static_cast<uint64_t>(divisor);
  fmt::format_to(std::back_inserter(output), "{}{}.{:0{}d}", is_negative ? "-" : "",
                 magnitude / unsigned_divisor, magnitude % unsigned_divisor, scale);
}

void FormatDate(fmt::memory_buffer& output, int32_t days) {
  const types::CivilDate date = types::CivilFromDays(days);
  fmt::format_to(std::back_inserter(output), "{:04d}-{:02d}-{:02d}", date.year, date.month,
                 date.day);
}

// The generator produces flat vectors of BIGINT, INTEGER, DECIMAL(<=18), DATE and VARCHAR
// without NULLs; other types are refused in Write.
void FormatValue(fmt::memory_buffer& output, const vector::Vector& column, int64_t row) {
  switch (column.type().id()) {
    case types::TypeId::kBigInt:
      fmt::format_to(std::back_inserter(output), "{}", column.Get<int64_t>(row));
      break;
    case types::TypeId::kInteger:
      fmt::format_to(std::back_inserter(output), "{}", column.Get<int32_t>(row));
      break;
    case types::TypeId::kDecimal:
      FormatDecimal(output, column.Get<int64_t>(row), column.type().scale());
      break;
    case types::TypeId::kDate:
      FormatDate(output, column.Get<int32_t>(row));
      break;
    default: {
      const std::string_view text = column.GetString(row);
      output.append(text.data(), text.data() + text.size());
    }
  }
}

bool IsSupported(const types::LogicalType& type) {
  switch (type.id()) {
    case types::TypeId::kBigInt:
    case types::TypeId::kInteger:
    case types::TypeId::kDate:
    case types::TypeId::kVarchar:
      return true;
    case types::TypeId::kDecimal:
      return type.precision() <= types::LogicalType::kMaxInt64DecimalPrecision;
    default:
      return false;
  }
}

class CsvTableSink final : public TableSink {
 public:
  CsvTableSink(std::unique_ptr<io::OutputStream> stream,
               std::shared_ptr<const vector::Schema> schema)
      : stream_(std::move(stream)), schema_(std::move(schema)) {
    for (int64_t index = 0; index < schema_->num_fields(); ++index) {
      if (index > 0) {
        buffer_.push_back('|');
      }
      const std::string& name = schema_->field(index).name;
      buffer_.append(name.data(), name.data() + name.size());
    }
    buffer_.push_back('\n');
  }

  ~CsvTableSink() override {
    if (!is_closed_) {
      static_cast<void>(stream_->Abort());
    }
  }

  Status Write(const vector::Batch& batch) override {
    FLOE_RETURN_NOT_OK(CheckBatch(batch));
    for (int64_t row = 0; row < batch.num_rows(); ++row) {
      for (int64_t index = 0; index < batch.num_columns(); ++index) {
        if (index > 0) {
          buffer_.push_back('|');
        }
        FormatValue(buffer_, batch.column(index), row);
      }
      buffer_.push_back('\n');
      if (buffer_.size() >= kFlushBytes) {
        FLOE_RETURN_NOT_OK(Flush());
      }
    }
    return Status::OK();
  }

  Status Close() override {
    FLOE_RETURN_NOT_OK(Flush());
    is_closed_ = true;
    return stream_->Close();
  }

 private:
  Status CheckBatch(const vector::Batch& batch) const {
    if (batch.schema() != *schema_) {
      return Status::InvalidArgument("batch schema ({}) differs from the file's ({}) at {}",
                                     batch.schema().ToString(), schema_->ToString(),
                                     stream_->path());
    }
    for (const vector::Vector& column : batch.columns()) {
      if (!IsSupported(column.type()) || column.MayHaveNulls()) {
        return Status::NotSupported(
            "cannot write a {} column with NULLs or of that type as CSV "
            "to {}",
            column.type().ToString(), stream_->path());
      }
    }
    return Status::OK();
  }

  Status Flush() {
    const auto* bytes = reinterpret_cast<const std::byte*>(buffer_.data());
    FLOE_RETURN_NOT_OK(stream_->Write(std::span<const std::byte>(bytes, buffer_.size())));
    buffer_.clear();
    return Status::OK();
  }

  std::unique_ptr<io::OutputStream> stream_;
  std::shared_ptr<const vector::Schema> schema_;
  fmt::memory_buffer buffer_;
  bool is_closed_ = false;
};

}  // namespace

Result<OutputFormat> ParseOutputFormat(std::string_view name) {
  if (name == "parquet") {
    return OutputFormat::kParquet;
  }
  if (name == "csv") {
    return OutputFormat::kCsv;
  }
  if (name == "iceberg") {
    return OutputFormat::kIceberg;
  }
  return Status::InvalidArgument("unknown output format '{}' (expected parquet, csv or iceberg)",
                                 name);
}

std::string_view FileExtension(OutputFormat format) {
  return format == OutputFormat::kParquet ? ".parquet" : ".csv";
}

std::unique_ptr<TableSink> MakeCsvSink(std::unique_ptr<io::OutputStream> stream,
                                       std::shared_ptr<const vector::Schema> schema) {
  return std::make_unique<CsvTableSink>(std::move(stream), std::move(schema));
}

}  // namespace floe::cli::tpch
