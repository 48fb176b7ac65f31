#include "server/http/async_result_file.h"

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>
#include <unistd.h>

#include "types/value.h"
#include "vector/vector_builder.h"

namespace floe::server::http {
namespace {

namespace fs = std::filesystem;
using types::LogicalType;
using types::Value;

class AsyncResultFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "floe-result-file-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    folder_ = pattern;
    path_ = (fs::path(folder_) / "query.result").string();
  }
  void TearDown() override { fs::remove_all(folder_); }

  static std::vector<ColumnInfo> Columns() {
    LogicalType text = LogicalType::Varchar();
    LogicalType pair =
        LogicalType::Struct({{"a", std::make_shared<const LogicalType>(LogicalType::Integer())},
                             {"b", std::make_shared<const LogicalType>(text)}});
    return {{"id", LogicalType::BigInt()},
            {"name", text},
            {"small", LogicalType::Decimal(10, 2).value()},
            {"wide", LogicalType::Decimal(30, 5).value()},
            {"at", LogicalType::TimestampTz()},
            {"span", LogicalType::Interval()},
            {"flag", LogicalType::Boolean()},
            {"raw", LogicalType::Bytea()},
            {"tags", LogicalType::List(text)},
            {"pair", pair},
            {"counts", LogicalType::Map(text, LogicalType::Integer())}};
  }

  // Row `row` of the sample: every third value NULL, the rest derived from the row number.
  static std::vector<Value> Row(int64_t row) {
    std::vector<ColumnInfo> columns = Columns();
    std::vector<Value> values = {
        Value::BigInt(row),
        Value::Varchar(std::string(static_cast<size_t>(row % 7), 'x') + "é"),
        Value::Decimal(row * 101, 10, 2),
        Value::Decimal(static_cast<types::Int128>(row) * 1'000'000'000'000'000'000, 30, 5),
        Value::TimestampTz(row * 86'400'000'000),
        Value::Interval({.months = static_cast<int32_t>(row), .days = 2, .micros = -row}),
        Value::Boolean(row % 2 == 0),
        Value::Bytea(std::string(static_cast<size_t>(row % 4), '\0')),
        Value::List(LogicalType::Varchar(),
                    {Value::Varchar("a"), Value::Null(LogicalType::Varchar())}),
        Value::Struct(columns[9].type, {Value::Integer(static_cast<int32_t>(row)),
                                        Value::Varchar(std::to_string(row))}),
        Value::Map(columns[10].type, {{Value::Varchar("k"), Value::Integer(1)}})};
    for (size_t index = 0; index < values.size(); ++index) {
      if ((row + static_cast<int64_t>(index)) % 3 == 0) {
        values[index] = Value::Null(columns[index].type);
      }
    }
    return values;
  }

  static vector::Batch MakeBatch(int64_t first_row, int64_t num_rows) {
    std::vector<ColumnInfo> columns = Columns();
    std::vector<vector::Field> fields;
    std::vector<vector::Vector> vectors;
    for (const ColumnInfo& column : columns) {
      fields.push_back({column.name, column.type});
    }
    for (size_t index = 0; index < columns.size(); ++index) {
      vector::VectorBuilder builder(columns[index].type);
      for (int64_t row = first_row; row < first_row + num_rows; ++row) {
        EXPECT_TRUE(builder.AppendValue(Row(row)[index]).ok());
      }
      vectors.push_back(builder.Finish().value());
    }
    return vector::Batch::Make(std::make_shared<const vector::Schema>(fields), vectors, num_rows)
        .value();
  }

  // Writes rows 0..299 in three blocks of 100.
  void WriteSample() {
    std::unique_ptr<AsyncResultWriter> writer = AsyncResultWriter::Create(path_).value();
    for (int64_t first = 0; first < 300; first += 100) {
      std::string block = AsyncResultWriter::EncodeBlock(MakeBatch(first, 100)).value();
      ASSERT_TRUE(writer->Append(block, 100).ok());
    }
    ASSERT_TRUE(writer->Finish(Columns(), "SELECT 300").ok());
  }

  // Returns every row the reader gives for [offset, offset + limit).
  static std::vector<std::vector<Value>> ReadRows(AsyncResultReader& reader, int64_t offset,
                                                  int64_t limit) {
    std::vector<std::vector<Value>> rows;
    reader.Seek(offset, limit);
    while (true) {
      Result<std::optional<vector::Batch>> batch = reader.Next();
      EXPECT_TRUE(batch.ok()) << batch.status().ToString();
      if (!batch.ok() || !batch->has_value()) {
        break;
      }
      for (int64_t row = 0; row < (*batch)->num_rows(); ++row) {
        std::vector<Value> values;
        for (const vector::Vector& column : (*batch)->columns()) {
          values.push_back(column.GetValue(row).value());
        }
        rows.push_back(std::move(values));
      }
    }
    return rows;
  }

  void Overwrite(int64_t offset, std::string_view bytes) {
    std::fstream file(path_, std::ios::in | std::ios::out | std::ios::binary);
    file.seekp(offset);
    file.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  }

  std::string folder_;
  std::string path_;
};

TEST_F(AsyncResultFileTest, PagesEveryTypeBackAsWritten) {
  WriteSample();
  EXPECT_FALSE(fs::exists(path_ + ".part"));
  std::unique_ptr<AsyncResultReader> reader = AsyncResultReader::Open(path_).value();
  EXPECT_EQ(reader->num_rows(), 300);
  EXPECT_EQ(reader->command_tag(), "SELECT 300");
  ASSERT_EQ(reader->columns().size(), Columns().size());
  for (size_t index = 0; index < Columns().size(); ++index) {
    EXPECT_EQ(reader->columns()[index].name, Columns()[index].name);
    EXPECT_EQ(reader->columns()[index].type, Columns()[index].type);
  }
  // A page across two block boundaries, one inside a block, one clamped at the end.
  for (auto [offset, limit] : {std::pair<int64_t, int64_t>{95, 110}, {150, 3}, {290, 1000}}) {
    std::vector<std::vector<Value>> rows = ReadRows(*reader, offset, limit);
    ASSERT_EQ(static_cast<int64_t>(rows.size()), std::min<int64_t>(limit, 300 - offset));
    for (size_t row = 0; row < rows.size(); ++row) {
      std::vector<Value> expected = Row(offset + static_cast<int64_t>(row));
      for (size_t column = 0; column < expected.size(); ++column) {
        EXPECT_EQ(rows[row][column].ToString(), expected[column].ToString())
            << "row " << offset + static_cast<int64_t>(row) << " column " << column;
      }
    }
  }
  EXPECT_TRUE(ReadRows(*reader, 300, 10).empty());
  EXPECT_TRUE(ReadRows(*reader, 10, 0).empty());
}

TEST_F(AsyncResultFileTest, ReadsAnEmptyResult) {
  std::unique_ptr<AsyncResultWriter> writer = AsyncResultWriter::Create(path_).value();
  ASSERT_TRUE(writer->Finish(Columns(), "SELECT 0").ok());
  std::unique_ptr<AsyncResultReader> reader = AsyncResultReader::Open(path_).value();
  EXPECT_EQ(reader->num_rows(), 0);
  EXPECT_TRUE(ReadRows(*reader, 0, 100).empty());
}

TEST_F(AsyncResultFileTest, RemovesTheFileOfAnUnfinishedWriter) {
  {
    std::unique_ptr<AsyncResultWriter> writer = AsyncResultWriter::Create(path_).value();
    std::string block = AsyncResultWriter::EncodeBlock(MakeBatch(0, 10)).value();
    ASSERT_TRUE(writer->Append(block, 10).ok());
    EXPECT_TRUE(fs::exists(path_ + ".part"));
  }
  EXPECT_FALSE(fs::exists(path_ + ".part"));
  EXPECT_FALSE(fs::exists(path_));
}

TEST_F(AsyncResultFileTest, ReportsADamagedBlockWhenItIsRead) {
  WriteSample();
  Overwrite(200, "\xde\xad\xbe\xef");
  std::unique_ptr<AsyncResultReader> reader = AsyncResultReader::Open(path_).value();
  reader->Seek(0, 10);
  Result<std::optional<vector::Batch>> batch = reader->Next();
  ASSERT_FALSE(batch.ok());
  EXPECT_EQ(batch.status().code(), StatusCode::kCorruption);
  EXPECT_NE(batch.status().message().find("checksum mismatch"), std::string::npos)
      << batch.status().ToString();
  // The other blocks still read.
  EXPECT_EQ(ReadRows(*reader, 200, 100).size(), 100u);
}

TEST_F(AsyncResultFileTest, RejectsTruncatedForeignAndMissingFiles) {
  WriteSample();
  auto size = static_cast<int64_t>(fs::file_size(path_));
  for (int64_t length : {int64_t{0}, int64_t{7}, int64_t{100}, size - 1}) {
    fs::resize_file(path_, static_cast<uintmax_t>(length));
    Result<std::unique_ptr<AsyncResultReader>> reader = AsyncResultReader::Open(path_);
    ASSERT_FALSE(reader.ok()) << length;
    EXPECT_EQ(reader.status().code(), StatusCode::kCorruption) << reader.status().ToString();
    EXPECT_NE(reader.status().message().find(path_), std::string::npos);
  }
  std::ofstream(path_, std::ios::trunc) << std::string(64, 'z');
  EXPECT_EQ(AsyncResultReader::Open(path_).status().code(), StatusCode::kCorruption);
  fs::remove(path_);
  EXPECT_EQ(AsyncResultReader::Open(path_).status().code(), StatusCode::kNotFound);
}

TEST_F(AsyncResultFileTest, RejectsADamagedFooter) {
  WriteSample();
  auto size = static_cast<int64_t>(fs::file_size(path_));
  // The footer ends where the 16-byte trailer starts; its last bytes are the block index.
  Overwrite(size - 20, "\x01\x02");
  Result<std::unique_ptr<AsyncResultReader>> reader = AsyncResultReader::Open(path_);
  ASSERT_FALSE(reader.ok());
  EXPECT_EQ(reader.status().code(), StatusCode::kCorruption);
}

}  // namespace
}  // namespace floe::server::http
