#include "format/parquet/reader/page_index_filter.h"

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "common/memory_tracker.h"
#include "common/task_scheduler.h"
#include "format/parquet/reader/parquet_reader.h"
#include "format/parquet/writer/parquet_writer.h"
#include "io/memory/memory_file_system.h"
#include "types/value.h"
#include "vector/vector_builder.h"

namespace floe::format::parquet {
namespace {

using types::LogicalType;
using types::Value;
using Op = ColumnPredicate::Op;

constexpr int64_t kRows = 10000;
constexpr char kPath[] = "t.parquet";

// The value of each column is a function of `id`, so that the test can evaluate predicates
// itself: `ascending` = id, `descending` = kRows - 1 - id, `shuffled` = a permutation of id,
// `sparse` = id except NULL for ids 2000 to 2999 (ten NULL-only pages), `name` = a string long
// enough that its pages close by size, at other rows than the others'.
std::optional<int64_t> Sparse(int64_t id) {
  return id >= 2000 && id < 3000 ? std::nullopt : std::optional<int64_t>(id);
}
int64_t Shuffled(int64_t id) {
  return (id * 7919) % kRows;
}
std::string Name(int64_t id) {
  return fmt::format("name-{:06d}-{}", id, std::string(30, 'x'));
}

vector::Vector Int64Column(int64_t begin, int64_t end,
                           const std::function<std::optional<int64_t>(int64_t)>& value) {
  vector::VectorBuilder builder(LogicalType::BigInt());
  for (int64_t id = begin; id < end; ++id) {
    std::optional<int64_t> v = value(id);
    EXPECT_TRUE((v.has_value() ? builder.Append(*v) : builder.AppendNull()).ok());
  }
  return builder.Finish().value();
}

vector::Vector NameColumn(int64_t begin, int64_t end) {
  vector::VectorBuilder builder(LogicalType::Varchar());
  for (int64_t id = begin; id < end; ++id) {
    EXPECT_TRUE(builder.AppendString(Name(id)).ok());
  }
  return builder.Finish().value();
}

ParquetWriterOptions SmallPages() {
  ParquetWriterOptions options;
  options.data_page_rows = 100;
  options.data_page_bytes = 1000;
  options.columns["ascending"].has_bloom_filter = true;
  options.columns["name"].has_bloom_filter = true;
  return options;
}

// Writes kRows rows in batches of 1000 and returns the file system holding kPath.
std::shared_ptr<io::MemoryFileSystem> WriteTable(ParquetWriterOptions options = SmallPages()) {
  auto file_system = std::make_shared<io::MemoryFileSystem>();
  auto schema = std::make_shared<const vector::Schema>(
      std::vector<vector::Field>{{"ascending", LogicalType::BigInt()},
                                 {"descending", LogicalType::BigInt()},
                                 {"shuffled", LogicalType::BigInt()},
                                 {"sparse", LogicalType::BigInt()},
                                 {"name", LogicalType::Varchar()}});
  auto writer = ParquetWriter::Open(*file_system, kPath, *schema, std::move(options));
  EXPECT_TRUE(writer.ok()) << writer.status().ToString();
  for (int64_t begin = 0; begin < kRows; begin += 1000) {
    int64_t end = begin + 1000;
    std::vector<vector::Vector> columns = {
        Int64Column(begin, end, [](int64_t id) { return id; }),
        Int64Column(begin, end, [](int64_t id) { return kRows - 1 - id; }),
        Int64Column(begin, end, Shuffled), Int64Column(begin, end, Sparse), NameColumn(begin, end)};
    auto batch = vector::Batch::Make(schema, std::move(columns), end - begin);
    EXPECT_TRUE(batch.ok());
    EXPECT_TRUE((*writer)->Write(*batch).ok());
  }
  Status closed = (*writer)->Close();
  EXPECT_TRUE(closed.ok()) << closed.ToString();
  return file_system;
}

struct ReadResult {
  std::vector<std::string> rows;  // Columns joined by "|".
  std::vector<std::pair<int, RowRanges>> row_ranges;
  ParquetReadCounters counters;
  int64_t max_batch_rows = 0;
};

Result<ReadResult> Read(io::MemoryFileSystem& file_system, ParquetReadOptions options) {
  FLOE_ASSIGN_OR_RETURN(auto file, file_system.OpenInputFile(kPath));
  FLOE_ASSIGN_OR_RETURN(auto reader,
                        ParquetReader::Open(std::shared_ptr<io::RandomAccessFile>(std::move(file)),
                                            std::move(options)));
  ReadResult result;
  while (true) {
    FLOE_ASSIGN_OR_RETURN(std::optional<vector::Batch> batch, reader->Next());
    if (!batch.has_value()) {
      break;
    }
    result.max_batch_rows = std::max(result.max_batch_rows, batch->num_rows());
    for (int64_t row = 0; row < batch->num_rows(); ++row) {
      std::string text;
      for (int64_t column = 0; column < batch->num_columns(); ++column) {
        FLOE_ASSIGN_OR_RETURN(Value value, batch->column(column).GetValue(row));
        text += (column == 0 ? "" : "|") + value.ToString();
      }
      result.rows.push_back(std::move(text));
    }
  }
  result.row_ranges = reader->row_ranges();
  result.counters = reader->counters();
  return result;
}

ColumnPredicate Predicate(std::string column, Op op, int64_t value = 0) {
  return ColumnPredicate{std::move(column), op, Value::BigInt(value)};
}

// Reads with `predicates` and checks the result against a read without them: the rows are
// exactly the unpruned rows inside the reported ranges, in order, and include every row for
// which `matches` (the predicates, evaluated on the row's id) holds.
ReadResult ExpectConsistent(io::MemoryFileSystem& file_system,
                            std::vector<ColumnPredicate> predicates,
                            const std::function<bool(int64_t)>& matches,
                            ParquetReadOptions options = {}) {
  ParquetReadOptions unpruned_options = options;
  auto unpruned = Read(file_system, unpruned_options);
  EXPECT_TRUE(unpruned.ok()) << unpruned.status().ToString();
  options.predicates = std::move(predicates);
  auto pruned = Read(file_system, options);
  EXPECT_TRUE(pruned.ok()) << pruned.status().ToString();
  if (!unpruned.ok() || !pruned.ok()) {
    return {};
  }
  FLOE_CHECK(unpruned->row_ranges.size() >= pruned->row_ranges.size());
  // Row groups are numbered in the unpruned read; turn ranges into rows of the file.
  std::vector<int64_t> first_rows;
  int64_t rows = 0;
  for (const auto& [row_group, ranges] : unpruned->row_ranges) {
    first_rows.push_back(rows);
    rows += ranges.back().end;
  }
  std::vector<std::string> expected;
  std::vector<bool> is_returned(static_cast<size_t>(rows), false);
  for (const auto& [row_group, ranges] : pruned->row_ranges) {
    for (const RowRange& range : ranges) {
      for (int64_t row = range.begin; row < range.end; ++row) {
        int64_t file_row = first_rows[static_cast<size_t>(row_group)] + row;
        expected.push_back(unpruned->rows[static_cast<size_t>(file_row)]);
        is_returned[static_cast<size_t>(file_row)] = true;
      }
    }
  }
  EXPECT_EQ(pruned->rows, expected);
  for (int64_t id = 0; id < rows; ++id) {
    if (matches(id)) {
      EXPECT_TRUE(is_returned[static_cast<size_t>(id)]) << "matching row " << id << " was pruned";
    }
  }
  return std::move(pruned).value();
}

TEST(PageIndexFilterTest, IntersectsRowRanges) {
  RowRanges left = {{0, 10}, {20, 30}, {40, 50}};
  RowRanges right = {{5, 25}, {29, 45}};
  EXPECT_EQ(IntersectRowRanges(left, right), (RowRanges{{5, 10}, {20, 25}, {29, 30}, {40, 45}}));
  EXPECT_EQ(IntersectRowRanges(left, {}), RowRanges{});
  EXPECT_EQ(CountRows(left), 30);
}

TEST(PageIndexFilterTest, RejectsOffsetIndexThatCannotLocateRows) {
  OffsetIndex index;
  EXPECT_FALSE(IsUsableOffsetIndex(index, 10));
  index.page_locations = {{100, 20, 0}, {120, 20, 5}};
  EXPECT_TRUE(IsUsableOffsetIndex(index, 10));
  EXPECT_FALSE(IsUsableOffsetIndex(index, 5));  // A page starting past the row group.
  index.page_locations[1].first_row_index = 0;  // Not increasing.
  EXPECT_FALSE(IsUsableOffsetIndex(index, 10));
}

TEST(PageIndexFilterTest, SelectsOnePageRange) {
  auto file_system = WriteTable();
  ReadResult result = ExpectConsistent(*file_system, {Predicate("ascending", Op::kEqual, 4321)},
                                       [](int64_t id) { return id == 4321; });
  ASSERT_EQ(result.row_ranges.size(), 1u);
  EXPECT_EQ(result.row_ranges[0].second, (RowRanges{{4300, 4400}}));
  EXPECT_EQ(result.rows.size(), 100u);
  EXPECT_EQ(result.counters.rows_skipped, kRows - 100);
  EXPECT_GE(result.counters.pages_skipped, 4 * 99);  // The name column has more pages.

  result = ExpectConsistent(
      *file_system,
      {Predicate("ascending", Op::kGreaterEqual, 2050), Predicate("ascending", Op::kLess, 2250)},
      [](int64_t id) { return id >= 2050 && id < 2250; });
  ASSERT_EQ(result.row_ranges.size(), 1u);
  EXPECT_EQ(result.row_ranges[0].second, (RowRanges{{2000, 2300}}));
}

TEST(PageIndexFilterTest, SelectsNoPage) {
  auto file_system = WriteTable();
  // Inside the chunk's bounds, but only in NULL-only pages.
  ReadResult result = ExpectConsistent(*file_system, {Predicate("sparse", Op::kEqual, 2500)},
                                       [](int64_t) { return false; });
  EXPECT_TRUE(result.rows.empty());
  EXPECT_TRUE(result.row_ranges.empty());
  EXPECT_EQ(result.counters.row_groups_pruned_by_page_index, 1);
  EXPECT_EQ(result.counters.row_groups_pruned_by_statistics, 0);
}

TEST(PageIndexFilterTest, SelectsEveryPage) {
  auto file_system = WriteTable();
  ReadResult result = ExpectConsistent(*file_system, {Predicate("ascending", Op::kGreaterEqual, 0)},
                                       [](int64_t) { return true; });
  EXPECT_EQ(result.rows.size(), static_cast<size_t>(kRows));
  EXPECT_EQ(result.counters.pages_skipped, 0);
  EXPECT_EQ(result.counters.rows_skipped, 0);
}

TEST(PageIndexFilterTest, TrimsColumnsWithOtherPageBoundaries) {
  auto file_system = WriteTable();
  ParquetReadOptions options;
  options.column_names = {"name", "ascending", "shuffled"};
  options.batch_size = 37;
  ReadResult result = ExpectConsistent(
      *file_system, {Predicate("ascending", Op::kEqual, 4321)},
      [](int64_t id) { return id == 4321; }, options);
  ASSERT_EQ(result.rows.size(), 100u);
  EXPECT_EQ(result.rows.front(), Name(4300) + "|4300|" + std::to_string(Shuffled(4300)));
  EXPECT_EQ(result.rows.back(), Name(4399) + "|4399|" + std::to_string(Shuffled(4399)));
  EXPECT_LE(result.max_batch_rows, 37);
}

TEST(PageIndexFilterTest, UsesNullPagesAndNullCounts) {
  auto file_system = WriteTable();
  ReadResult result = ExpectConsistent(*file_system, {Predicate("sparse", Op::kIsNull)},
                                       [](int64_t id) { return !Sparse(id).has_value(); });
  ASSERT_EQ(result.row_ranges.size(), 1u);
  EXPECT_EQ(result.row_ranges[0].second, (RowRanges{{2000, 3000}}));
  result = ExpectConsistent(*file_system, {Predicate("sparse", Op::kIsNotNull)},
                            [](int64_t id) { return Sparse(id).has_value(); });
  ASSERT_EQ(result.row_ranges.size(), 1u);
  EXPECT_EQ(result.row_ranges[0].second, (RowRanges{{0, 2000}, {3000, kRows}}));
  result = ExpectConsistent(
      *file_system, {Predicate("sparse", Op::kGreater, 2950), Predicate("sparse", Op::kLess, 3050)},
      [](int64_t id) { return id > 2950 && id < 3050 && Sparse(id).has_value(); });
  EXPECT_EQ(result.row_ranges[0].second, (RowRanges{{3000, 3100}}));
}

// Reads the ColumnIndex of leaf `leaf` of row group 0.
ColumnIndex ReadIndexOf(io::MemoryFileSystem& file_system, int leaf) {
  auto file = file_system.OpenInputFile(kPath).value();
  auto reader = ParquetReader::Open(std::shared_ptr<io::RandomAccessFile>(std::move(file))).value();
  const ColumnChunk& chunk = reader->metadata().row_groups[0].columns[static_cast<size_t>(leaf)];
  auto input = file_system.OpenInputFile(kPath).value();
  std::string bytes = input->ReadAt(*chunk.column_index_offset, *chunk.column_index_length).value();
  return ReadColumnIndex({reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()}).value();
}

TEST(PageIndexFilterTest, PrunesWhateverTheBoundaryOrder) {
  auto file_system = WriteTable();
  EXPECT_EQ(ReadIndexOf(*file_system, 0).boundary_order, BoundaryOrder::kAscending);
  EXPECT_EQ(ReadIndexOf(*file_system, 1).boundary_order, BoundaryOrder::kDescending);
  EXPECT_EQ(ReadIndexOf(*file_system, 2).boundary_order, BoundaryOrder::kUnordered);

  ReadResult result = ExpectConsistent(*file_system, {Predicate("descending", Op::kLess, 100)},
                                       [](int64_t id) { return kRows - 1 - id < 100; });
  EXPECT_EQ(result.row_ranges[0].second, (RowRanges{{9900, kRows}}));
  result = ExpectConsistent(*file_system, {Predicate("descending", Op::kGreaterEqual, 9850)},
                            [](int64_t id) { return kRows - 1 - id >= 9850; });
  EXPECT_EQ(result.row_ranges[0].second, (RowRanges{{0, 200}}));
  // The permutation spreads each page over most of the domain: check consistency only.
  for (int64_t value : {int64_t{0}, int64_t{17}, int64_t{5000}, kRows - 1}) {
    ExpectConsistent(*file_system, {Predicate("shuffled", Op::kEqual, value)},
                     [value](int64_t id) { return Shuffled(id) == value; });
  }
  ExpectConsistent(*file_system, {Predicate("shuffled", Op::kLess, 3)},
                   [](int64_t id) { return Shuffled(id) < 3; });
}

TEST(PageIndexFilterTest, PrunesStringsAndCombinesColumns) {
  auto file_system = WriteTable();
  ColumnPredicate name{"name", Op::kEqual, Value::Varchar(Name(777))};
  ReadResult result = ExpectConsistent(*file_system, {name}, [](int64_t id) { return id == 777; });
  ASSERT_EQ(result.row_ranges.size(), 1u);
  EXPECT_EQ(CountRows(result.row_ranges[0].second), result.rows.size());
  EXPECT_LT(result.rows.size(), 100u);
  result = ExpectConsistent(*file_system, {name, Predicate("ascending", Op::kGreater, 700)},
                            [](int64_t id) { return id == 777; });
  EXPECT_LT(result.rows.size(), 100u);
}

TEST(PageIndexFilterTest, PrunesPagesInEachRowGroup) {
  ParquetWriterOptions options = SmallPages();
  options.row_group_rows = 3000;
  auto file_system = WriteTable(options);
  ReadResult result = ExpectConsistent(
      *file_system,
      {Predicate("ascending", Op::kGreaterEqual, 2950), Predicate("ascending", Op::kLess, 3150)},
      [](int64_t id) { return id >= 2950 && id < 3150; });
  ASSERT_EQ(result.row_ranges.size(), 2u);
  EXPECT_EQ(result.row_ranges[0], (std::pair<int, RowRanges>{0, {{2900, 3000}}}));
  EXPECT_EQ(result.row_ranges[1], (std::pair<int, RowRanges>{1, {{0, 200}}}));
  EXPECT_EQ(result.counters.row_groups_pruned_by_statistics, 2);
}

// Nested columns are decoded whole; their rows are cut to the same ranges as the flat ones'.
TEST(PageIndexFilterTest, CutsNestedColumnsToTheRanges) {
  auto file_system = std::make_shared<io::MemoryFileSystem>();
  auto schema = std::make_shared<const vector::Schema>(std::vector<vector::Field>{
      {"ascending", LogicalType::BigInt()}, {"tags", LogicalType::List(LogicalType::BigInt())}});
  vector::VectorBuilder tags(LogicalType::List(LogicalType::BigInt()));
  for (int64_t id = 0; id < kRows; ++id) {
    for (int64_t element = 0; element < id % 3; ++element) {
      ASSERT_TRUE(tags.child(0).Append(id + element).ok());
    }
    ASSERT_TRUE(tags.AppendList().ok());
  }
  auto batch = vector::Batch::Make(
      schema, {Int64Column(0, kRows, [](int64_t id) { return id; }), tags.Finish().value()}, kRows);
  ASSERT_TRUE(batch.ok());
  ParquetWriterOptions write_options = SmallPages();
  write_options.columns.clear();
  auto writer = ParquetWriter::Open(*file_system, kPath, *schema, write_options);
  ASSERT_TRUE(writer.ok()) << writer.status().ToString();
  ASSERT_TRUE((*writer)->Write(*batch).ok());
  ASSERT_TRUE((*writer)->Close().ok());
  ParquetReadOptions options;
  options.column_names = {"tags", "ascending"};
  ReadResult result = ExpectConsistent(
      *file_system, {Predicate("ascending", Op::kEqual, 4321)},
      [](int64_t id) { return id == 4321; }, options);
  ASSERT_EQ(result.rows.size(), 100u);
  EXPECT_EQ(result.rows[21], "{4321}|4321");
  EXPECT_EQ(result.rows[22], "{4322,4323}|4322");
}

TEST(PageIndexFilterTest, DecodesColumnsInParallel) {
  auto file_system = WriteTable();
  TaskScheduler scheduler(2);
  ParquetReadOptions options;
  options.scheduler = &scheduler;
  options.batch_size = 64;
  ExpectConsistent(
      *file_system, {Predicate("ascending", Op::kLess, 150), Predicate("sparse", Op::kIsNotNull)},
      [](int64_t id) { return id < 150; }, options);
}

}  // namespace
}  // namespace floe::format::parquet
