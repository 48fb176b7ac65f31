// Writes Parquet sample files with Floe's writer, for independent readers to check
// (parquet_write_interop_test.sh): every type, NULLs, nesting, every codec, dictionary, plain
// and delta encodings, data pages v1 and v2, several row groups, Bloom filters, field ids.
//
// Usage: floe_parquet_write_samples OUTPUT_DIRECTORY
// Writes <sample>.parquet for each sample, plus rows.json (the expected values of every file,
// normalized as the reading script expects) and manifest.json (what each file should contain).
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "format/parquet/writer/parquet_writer.h"
#include "io/local/local_file_system.h"
#include "types/decimal.h"
#include "types/uuid.h"
#include "types/value.h"
#include "vector/batch.h"
#include "vector/vector_builder.h"

namespace floe::format::parquet {
namespace {

using types::LogicalType;
using types::Value;

constexpr int64_t kRows = 1500;

// SplitMix64: a small deterministic generator, so every run writes the same files.
class Generator {
 public:
  uint64_t Next() {
    state_ += 0x9E3779B97F4A7C15ULL;
    uint64_t z = state_;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  int64_t Below(int64_t bound) {
    return static_cast<int64_t>(Next() % static_cast<uint64_t>(bound));
  }
  bool OneIn(int64_t n) { return Below(n) == 0; }

 private:
  uint64_t state_ = 42;
};

LogicalType StructOf(std::vector<std::pair<std::string, LogicalType>> fields) {
  std::vector<types::StructField> result;
  for (auto& [name, type] : fields) {
    result.push_back({.name = name, .type = std::make_shared<LogicalType>(type)});
  }
  return LogicalType::Struct(std::move(result));
}

std::vector<vector::Field> SampleFields() {
  LogicalType pair = StructOf({{"a", LogicalType::BigInt()}, {"b", LogicalType::Varchar()}});
  return {
      {"b", LogicalType::Boolean(), true},
      {"s", LogicalType::SmallInt(), true},
      {"i", LogicalType::Integer(), false},
      {"l", LogicalType::BigInt(), true},
      {"r", LogicalType::Real(), true},
      {"d", LogicalType::Double(), true},
      {"d9", LogicalType::Decimal(9, 2).value(), true},
      {"d18", LogicalType::Decimal(18, 4).value(), true},
      {"d38", LogicalType::Decimal(38, 6).value(), true},
      {"date", LogicalType::Date(), true},
      {"time", LogicalType::Time(), true},
      {"ts", LogicalType::Timestamp(), true},
      {"tstz", LogicalType::TimestampTz(), true},
      {"v", LogicalType::Varchar(), true},
      {"bytes", LogicalType::Bytea(), true},
      {"u", LogicalType::Uuid(), true},
      {"list", LogicalType::List(LogicalType::Integer()), true},
      {"map", LogicalType::Map(LogicalType::Varchar(), LogicalType::BigInt()), true},
      {"st", StructOf({{"x", LogicalType::Integer()}, {"y", LogicalType::Varchar()}}), true},
      {"pairs", LogicalType::List(pair), true},
  };
}

Value RandomDouble(Generator& generator, bool is_real) {
  static const double kSpecial[] = {0.0,
                                    -0.0,
                                    std::numeric_limits<double>::infinity(),
                                    -std::numeric_limits<double>::infinity(),
                                    std::numeric_limits<double>::quiet_NaN(),
                                    1e300,
                                    -1.5e-300};
  double value = generator.OneIn(40) ? kSpecial[generator.Below(7)]
                                     : static_cast<double>(generator.Below(2000000) - 1000000) / 64;
  if (is_real) {
    return Value::Real(static_cast<float>(value));
  }
  return Value::Double(value);
}

Value RandomDecimal(Generator& generator, int precision, int scale) {
  types::Int128 limit = types::PowerOfTen(precision) - 1;
  types::Int128 value = 0;
  if (generator.OneIn(30)) {
    value = generator.OneIn(2) ? limit : -limit;
  } else {
    value = static_cast<types::Int128>(generator.Next() % 1000000000000ULL) *
            (generator.OneIn(2) ? 1 : -1);
    if (precision > 18) {
      value = value * 1000000000000LL + static_cast<types::Int128>(generator.Below(1000000));
    }
    value %= limit;
  }
  return Value::Decimal(value, precision, scale);
}

std::string RandomText(Generator& generator) {
  static const char* kWords[] = {"",        "alpha",        "beta",        "gamma", "δέλτα",
                                 "emoji 🌊", "tab\tquote\"", "backslash\\", "zzz"};
  if (generator.OneIn(3)) {
    return fmt::format("key-{:06d}", generator.Below(100000));
  }
  return kWords[generator.Below(9)];
}

Value RandomScalar(const LogicalType& type, Generator& generator) {
  switch (type.id()) {
    case types::TypeId::kBoolean:
      return Value::Boolean(generator.OneIn(2));
    case types::TypeId::kSmallInt:
      return Value::SmallInt(static_cast<int16_t>(generator.Below(65536) - 32768));
    case types::TypeId::kInteger:
      return Value::Integer(static_cast<int32_t>(generator.Below(1000)));
    case types::TypeId::kBigInt:
      if (generator.OneIn(50)) {
        return Value::BigInt(generator.OneIn(2) ? std::numeric_limits<int64_t>::min()
                                                : std::numeric_limits<int64_t>::max());
      }
      return Value::BigInt(generator.Below(2000000000000LL) - 1000000000000LL);
    case types::TypeId::kReal:
      return RandomDouble(generator, true);
    case types::TypeId::kDouble:
      return RandomDouble(generator, false);
    case types::TypeId::kDecimal:
      return RandomDecimal(generator, type.precision(), type.scale());
    case types::TypeId::kDate:
      return Value::Date(static_cast<int32_t>(generator.Below(100000) - 30000));
    case types::TypeId::kTime:
      return Value::Time(generator.Below(86400000000LL));
    case types::TypeId::kTimestamp:
      return Value::Timestamp(generator.Below(4000000000000000LL) - 1000000000000000LL);
    case types::TypeId::kTimestampTz:
      return Value::TimestampTz(generator.Below(4000000000000000LL));
    case types::TypeId::kVarchar:
      return Value::Varchar(RandomText(generator));
    case types::TypeId::kBytea: {
      std::string bytes(static_cast<size_t>(generator.Below(6)), '\0');
      for (char& byte : bytes) {
        byte = static_cast<char>(generator.Below(256));
      }
      return Value::Bytea(bytes);
    }
    case types::TypeId::kUuid: {
      types::Uuid uuid;
      for (uint8_t& byte : uuid.bytes) {
        byte = static_cast<uint8_t>(generator.Below(generator.OneIn(4) ? 256 : 3));
      }
      return Value::Uuid(uuid);
    }
    default:
      return Value::Null(type);
  }
}

Value RandomValue(const LogicalType& type, Generator& generator, bool is_nullable) {
  if (is_nullable && generator.OneIn(8)) {
    return Value::Null(type);
  }
  switch (type.id()) {
    case types::TypeId::kList: {
      std::vector<Value> elements;
      for (int64_t i = generator.Below(5); i > 0; --i) {
        elements.push_back(RandomValue(type.element_type(), generator, true));
      }
      return Value::List(type.element_type(), std::move(elements));
    }
    case types::TypeId::kMap: {
      std::vector<std::pair<Value, Value>> entries;
      for (int64_t i = generator.Below(4); i > 0; --i) {
        entries.emplace_back(Value::Varchar(fmt::format("k{}", i)),
                             RandomValue(type.value_type(), generator, true));
      }
      return Value::Map(type, std::move(entries));
    }
    case types::TypeId::kStruct: {
      std::vector<Value> fields;
      for (const types::StructField& field : type.fields()) {
        fields.push_back(RandomValue(*field.type, generator, true));
      }
      return Value::Struct(type, std::move(fields));
    }
    default:
      return RandomScalar(type, generator);
  }
}

void AppendJsonString(std::string_view text, std::string& output) {
  output += '"';
  for (char c : text) {
    if (c == '"' || c == '\\') {
      output += '\\';
      output += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      output += fmt::format("\\u{:04x}", static_cast<int>(c));
    } else {
      output += c;
    }
  }
  output += '"';
}

std::string FloatJson(double value) {
  if (std::isnan(value)) {
    return "\"NaN\"";
  }
  if (std::isinf(value)) {
    return value > 0 ? "\"Infinity\"" : "\"-Infinity\"";
  }
  if (value == 0 && std::signbit(value)) {
    return "\"-0\"";
  }
  return fmt::format("{}", value);
}

// The normalized JSON the reading script compares against: 64-bit integers, decimals, times
// and timestamps as decimal strings; dates as day numbers; binary as hex; maps as [key, value]
// pairs; special floats as strings.
void AppendJson(const Value& value, std::string& output) {
  if (value.is_null()) {
    output += "null";
    return;
  }
  const LogicalType& type = value.type();
  switch (type.id()) {
    case types::TypeId::kBoolean:
      output += value.boolean_value() ? "true" : "false";
      return;
    case types::TypeId::kSmallInt:
      output += std::to_string(value.smallint_value());
      return;
    case types::TypeId::kInteger:
      output += std::to_string(value.integer_value());
      return;
    case types::TypeId::kBigInt:
      output += fmt::format("\"{}\"", value.bigint_value());
      return;
    case types::TypeId::kReal:
      output += FloatJson(value.real_value());
      return;
    case types::TypeId::kDouble:
      output += FloatJson(value.double_value());
      return;
    case types::TypeId::kDecimal:
      AppendJsonString(types::FormatDecimal(value.decimal_value(), type.scale()), output);
      return;
    case types::TypeId::kDate:
      output += std::to_string(value.date_value());
      return;
    case types::TypeId::kTime:
    case types::TypeId::kTimestamp:
    case types::TypeId::kTimestampTz:
      output += fmt::format("\"{}\"", value.time_value());
      return;
    case types::TypeId::kVarchar:
      AppendJsonString(value.string_value(), output);
      return;
    case types::TypeId::kBytea: {
      std::string hex;
      for (char byte : value.string_value()) {
        hex += fmt::format("{:02x}", static_cast<uint8_t>(byte));
      }
      AppendJsonString(hex, output);
      return;
    }
    case types::TypeId::kUuid:
      AppendJsonString(types::FormatUuid(value.uuid_value()), output);
      return;
    default:
      break;
  }
  output += '[';
  if (type.id() == types::TypeId::kMap) {
    for (size_t i = 0; i < value.map_size(); ++i) {
      output += i == 0 ? "[" : ",[";
      AppendJson(value.map_key(i), output);
      output += ',';
      AppendJson(value.map_value(i), output);
      output += ']';
    }
  } else {
    // LIST elements; STRUCT fields in order (the script names them from the type).
    for (size_t i = 0; i < value.children().size(); ++i) {
      output += i == 0 ? "" : ",";
      AppendJson(value.children()[i], output);
    }
  }
  output += ']';
}

// The type of a column as the reading script needs it for normalization.
std::string TypeJson(const LogicalType& type) {
  switch (type.id()) {
    case types::TypeId::kList:
      return fmt::format(R"({{"kind":"list","element":{}}})", TypeJson(type.element_type()));
    case types::TypeId::kMap:
      return fmt::format(R"({{"kind":"map","key":{},"value":{}}})", TypeJson(type.key_type()),
                         TypeJson(type.value_type()));
    case types::TypeId::kStruct: {
      std::string fields;
      for (const types::StructField& field : type.fields()) {
        fields += fmt::format(R"({}{{"name":"{}","type":{}}})", fields.empty() ? "" : ",",
                              field.name, TypeJson(*field.type));
      }
      return fmt::format(R"({{"kind":"struct","fields":[{}]}})", fields);
    }
    case types::TypeId::kDecimal:
      return fmt::format(R"({{"kind":"decimal","precision":{},"scale":{}}})", type.precision(),
                         type.scale());
    default: {
      std::string name;
      switch (type.id()) {
        case types::TypeId::kBoolean:
          name = "boolean";
          break;
        case types::TypeId::kSmallInt:
          name = "smallint";
          break;
        case types::TypeId::kInteger:
          name = "integer";
          break;
        case types::TypeId::kBigInt:
          name = "bigint";
          break;
        case types::TypeId::kReal:
          name = "real";
          break;
        case types::TypeId::kDouble:
          name = "double";
          break;
        case types::TypeId::kDate:
          name = "date";
          break;
        case types::TypeId::kTime:
          name = "time";
          break;
        case types::TypeId::kTimestamp:
          name = "timestamp";
          break;
        case types::TypeId::kTimestampTz:
          name = "timestamptz";
          break;
        case types::TypeId::kVarchar:
          name = "varchar";
          break;
        case types::TypeId::kBytea:
          name = "bytea";
          break;
        case types::TypeId::kUuid:
          name = "uuid";
          break;
        default:
          name = "unknown";
          break;
      }
      return fmt::format(R"({{"kind":"{}"}})", name);
    }
  }
}

// Numbers every schema element depth-first from 1, so the script can expect field id n on the
// n-th element below the root.
FieldIds NumberFieldIds(const LogicalType& type, int32_t& next) {
  FieldIds ids{.id = next++, .children = {}};
  if (type.id() == types::TypeId::kList) {
    ids.children.push_back(NumberFieldIds(type.element_type(), next));
  } else if (type.id() == types::TypeId::kMap) {
    ids.children.push_back(NumberFieldIds(type.key_type(), next));
    ids.children.push_back(NumberFieldIds(type.value_type(), next));
  } else if (type.id() == types::TypeId::kStruct) {
    for (const types::StructField& field : type.fields()) {
      ids.children.push_back(NumberFieldIds(*field.type, next));
    }
  }
  return ids;
}

struct Sample {
  std::string name;
  ParquetWriterOptions options;
  std::vector<std::string> expected_encodings;
  std::vector<std::string> forbidden_encodings;
  std::vector<std::string> bloom_columns;
};

std::vector<Sample> Samples(const std::vector<vector::Field>& fields) {
  std::vector<Sample> samples;
  ParquetWriterOptions base;
  int32_t next_id = 1;
  for (const vector::Field& field : fields) {
    base.field_ids.push_back(NumberFieldIds(field.type, next_id));
  }
  base.key_value_metadata.push_back({.key = "floe.sample", .value = "yes"});
  for (CompressionCodec codec :
       {CompressionCodec::kUncompressed, CompressionCodec::kSnappy, CompressionCodec::kGzip,
        CompressionCodec::kZstd, CompressionCodec::kLz4Raw, CompressionCodec::kBrotli}) {
    Sample sample{.name = fmt::format("codec_{}", CompressionCodecName(codec)),
                  .options = base,
                  .expected_encodings = {"RLE_DICTIONARY"},
                  .forbidden_encodings = {},
                  .bloom_columns = {}};
    sample.options.codec = codec;
    samples.push_back(std::move(sample));
  }
  Sample plain{.name = "plain_v1",
               .options = base,
               .expected_encodings = {"PLAIN"},
               .forbidden_encodings = {"RLE_DICTIONARY", "DELTA_BINARY_PACKED"},
               .bloom_columns = {}};
  plain.options.is_dictionary_enabled = false;
  plain.options.value_encoding = ValueEncoding::kPlain;
  plain.options.codec = CompressionCodec::kUncompressed;
  samples.push_back(std::move(plain));
  Sample length{.name = "delta_length_v2",
                .options = base,
                .expected_encodings = {"DELTA_BINARY_PACKED", "DELTA_LENGTH_BYTE_ARRAY"},
                .forbidden_encodings = {"RLE_DICTIONARY"},
                .bloom_columns = {}};
  length.options.is_dictionary_enabled = false;
  length.options.value_encoding = ValueEncoding::kDeltaLength;
  length.options.data_page_version = DataPageVersion::kV2;
  length.options.codec = CompressionCodec::kSnappy;
  samples.push_back(std::move(length));
  Sample prefix{.name = "delta_prefix_v2",
                .options = base,
                .expected_encodings = {"DELTA_BINARY_PACKED", "DELTA_BYTE_ARRAY"},
                .forbidden_encodings = {"RLE_DICTIONARY"},
                .bloom_columns = {}};
  prefix.options.is_dictionary_enabled = false;
  prefix.options.value_encoding = ValueEncoding::kDeltaPrefix;
  prefix.options.data_page_version = DataPageVersion::kV2;
  samples.push_back(std::move(prefix));
  Sample dictionary_v2{.name = "dictionary_v2",
                       .options = base,
                       .expected_encodings = {"RLE_DICTIONARY"},
                       .forbidden_encodings = {},
                       .bloom_columns = {}};
  dictionary_v2.options.data_page_version = DataPageVersion::kV2;
  dictionary_v2.options.codec = CompressionCodec::kGzip;
  samples.push_back(std::move(dictionary_v2));
  Sample groups{.name = "row_groups",
                .options = base,
                .expected_encodings = {"RLE_DICTIONARY"},
                .forbidden_encodings = {},
                .bloom_columns = {"l", "v"}};
  groups.options.row_group_rows = 400;
  groups.options.data_page_rows = 64;
  groups.options.columns["l"].has_bloom_filter = true;
  groups.options.columns["v"].has_bloom_filter = true;
  samples.push_back(std::move(groups));
  Sample fallback{.name = "dictionary_fallback",
                  .options = base,
                  .expected_encodings = {"RLE_DICTIONARY", "PLAIN"},
                  .forbidden_encodings = {},
                  .bloom_columns = {}};
  fallback.options.dictionary_bytes_limit = 256;
  fallback.options.data_page_rows = 100;
  fallback.options.data_page_version = DataPageVersion::kV2;
  samples.push_back(std::move(fallback));
  return samples;
}

Result<vector::Batch> MakeRows(const std::vector<vector::Field>& fields, std::string& json) {
  Generator generator;
  std::vector<vector::VectorBuilder> builders;
  for (const vector::Field& field : fields) {
    builders.emplace_back(field.type);
  }
  json += "[";
  for (int64_t row = 0; row < kRows; ++row) {
    json += row == 0 ? "\n[" : ",\n[";
    for (size_t column = 0; column < fields.size(); ++column) {
      Value value = RandomValue(fields[column].type, generator, fields[column].is_nullable);
      FLOE_RETURN_NOT_OK(builders[column].AppendValue(value));
      json += column == 0 ? "" : ",";
      AppendJson(value, json);
    }
    json += "]";
  }
  json += "\n]\n";
  std::vector<vector::Vector> columns;
  for (vector::VectorBuilder& builder : builders) {
    FLOE_ASSIGN_OR_RETURN(vector::Vector column, builder.Finish());
    columns.push_back(std::move(column));
  }
  return vector::Batch::Make(std::make_shared<const vector::Schema>(fields), std::move(columns),
                             kRows);
}

std::string ListJson(const std::vector<std::string>& items) {
  std::string result = "[";
  for (const std::string& item : items) {
    result += fmt::format("{}\"{}\"", result.size() > 1 ? "," : "", item);
  }
  return result + "]";
}

std::string ManifestEntry(const Sample& sample, const ParquetWriter& writer) {
  std::string row_groups;
  for (const RowGroup& group : writer.metadata().row_groups) {
    row_groups += fmt::format("{}{}", row_groups.empty() ? "" : ",", group.num_rows);
  }
  return fmt::format(
      R"({{"name":"{}","file":"{}.parquet","codec":"{}","page_version":{},"row_groups":[{}],)"
      R"("expected_encodings":{},"forbidden_encodings":{},"bloom_columns":{}}})",
      sample.name, sample.name, CompressionCodecName(sample.options.codec),
      sample.options.data_page_version == DataPageVersion::kV2 ? 2 : 1, row_groups,
      ListJson(sample.expected_encodings), ListJson(sample.forbidden_encodings),
      ListJson(sample.bloom_columns));
}

Status WriteText(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  return out.good() ? Status::OK() : Status::IOError("cannot write {}", path);
}

Status Run(const std::string& directory) {
  std::vector<vector::Field> fields = SampleFields();
  std::string rows;
  FLOE_ASSIGN_OR_RETURN(vector::Batch batch, MakeRows(fields, rows));
  io::LocalFileSystem file_system(io::LocalFileSystemOptions{.is_durable = false});
  std::string manifest = "{\"columns\":[";
  for (size_t i = 0; i < fields.size(); ++i) {
    manifest += fmt::format(R"({}{{"name":"{}","type":{}}})", i == 0 ? "" : ",", fields[i].name,
                            TypeJson(fields[i].type));
  }
  manifest += "],\"samples\":[";
  bool is_first = true;
  for (Sample& sample : Samples(fields)) {
    FLOE_ASSIGN_OR_RETURN(
        auto writer, ParquetWriter::Open(file_system, directory + "/" + sample.name + ".parquet",
                                         batch.schema(), sample.options));
    // Three uneven batches, so that batch and row group boundaries differ.
    for (auto [offset, length] : {std::pair<int64_t, int64_t>{0, 333}, {333, 1000}, {1333, 167}}) {
      FLOE_RETURN_NOT_OK(writer->Write(batch.Slice(offset, length)));
    }
    FLOE_RETURN_NOT_OK(writer->Close());
    manifest += (is_first ? "\n" : ",\n") + ManifestEntry(sample, *writer);
    is_first = false;
  }
  manifest += "\n]}\n";
  FLOE_RETURN_NOT_OK(WriteText(directory + "/rows.json", rows));
  return WriteText(directory + "/manifest.json", manifest);
}

}  // namespace
}  // namespace floe::format::parquet

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s OUTPUT_DIRECTORY\n", argv[0]);
    return 2;
  }
  floe::Status status = floe::format::parquet::Run(argv[1]);
  if (!status.ok()) {
    std::fprintf(stderr, "%s\n", status.ToString().c_str());
    return 1;
  }
  return 0;
}
