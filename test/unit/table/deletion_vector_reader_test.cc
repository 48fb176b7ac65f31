#include "table/deletion_vector_reader.h"

#include <limits>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "io/memory/memory_file_system.h"
#include "unit/format/puffin/roaring_test_util.h"

namespace floe::table {
namespace {

using format::puffin::testing::ContainerKind;
using format::puffin::testing::DeletionVectorBlob;
using format::puffin::testing::PuffinFile;
using format::puffin::testing::Roaring64;

constexpr int64_t kNoLimit = std::numeric_limits<int64_t>::max();

std::vector<uint8_t> BlobOf(std::vector<uint16_t> positions) {
  return DeletionVectorBlob(Roaring64({{0, {{0, std::move(positions), ContainerKind::kArray}}}}));
}

DataFile VectorEntry(std::string path, std::string referenced, int64_t cardinality) {
  DataFile file;
  file.content = FileContent::kPositionDeletes;
  file.file_format = "PUFFIN";
  file.file_path = std::move(path);
  file.referenced_data_file = std::move(referenced);
  file.record_count = cardinality;
  return file;
}

class DeletionVectorReaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto [bytes, offsets] =
        PuffinFile({{"data/a.parquet", BlobOf({0, 7})}, {"data/b.parquet", BlobOf({3, 4, 5})}});
    ASSERT_TRUE(files_.CreateExclusive("dv.puffin", bytes).ok());
    offsets_ = offsets;
    puffin_size_ = static_cast<int64_t>(bytes.size());
  }

  io::MemoryFileSystem files_;
  std::vector<int64_t> offsets_;
  int64_t puffin_size_ = 0;
};

TEST_F(DeletionVectorReaderTest, IsDeletionVector) {
  EXPECT_TRUE(IsDeletionVector(VectorEntry("x", "y", 1)));
  DataFile file = VectorEntry("x", "y", 1);
  file.file_format = "puffin";
  EXPECT_TRUE(IsDeletionVector(file));
  file.file_format = "PARQUET";
  EXPECT_FALSE(IsDeletionVector(file));
  file = VectorEntry("x", "y", 1);
  file.content = FileContent::kEqualityDeletes;
  EXPECT_FALSE(IsDeletionVector(file));
}

TEST_F(DeletionVectorReaderTest, ReadsBlobAtContentOffset) {
  DataFile entry = VectorEntry("dv.puffin", "data/b.parquet", 3);
  entry.content_offset = offsets_[1];
  entry.content_size_in_bytes = static_cast<int64_t>(BlobOf({3, 4, 5}).size());
  auto positions = ReadDeletionVector(files_, entry, kNoLimit);
  ASSERT_TRUE(positions.ok()) << positions.status().ToString();
  EXPECT_EQ(*positions, (std::vector<int64_t>{3, 4, 5}));
}

TEST_F(DeletionVectorReaderTest, FindsBlobByFooterWithoutOffsets) {
  auto positions = ReadDeletionVector(files_, VectorEntry("dv.puffin", "data/a.parquet", 2), 100);
  ASSERT_TRUE(positions.ok()) << positions.status().ToString();
  EXPECT_EQ(*positions, (std::vector<int64_t>{0, 7}));
  auto missing = ReadDeletionVector(files_, VectorEntry("dv.puffin", "data/c.parquet", 2), 100);
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
}

TEST_F(DeletionVectorReaderTest, ReadsBareBlob) {
  std::vector<uint8_t> blob = BlobOf({1});
  ASSERT_TRUE(files_.CreateExclusive("bare.puffin", std::string(blob.begin(), blob.end())).ok());
  DataFile entry = VectorEntry("bare.puffin", "data/a.parquet", 1);
  auto positions = ReadDeletionVector(files_, entry, 3);
  ASSERT_TRUE(positions.ok()) << positions.status().ToString();
  EXPECT_EQ(*positions, std::vector<int64_t>{1});
  entry.content_offset = 0;
  entry.content_size_in_bytes = static_cast<int64_t>(blob.size());
  positions = ReadDeletionVector(files_, entry, 3);
  ASSERT_TRUE(positions.ok()) << positions.status().ToString();
  EXPECT_EQ(*positions, std::vector<int64_t>{1});
}

TEST_F(DeletionVectorReaderTest, BadRangesAndCountsNameTheFile) {
  auto refused = [&](const DataFile& entry, StatusCode code, int64_t max_positions = kNoLimit) {
    Status status = ReadDeletionVector(files_, entry, max_positions).status();
    EXPECT_EQ(status.code(), code) << status.ToString();
    EXPECT_NE(status.message().find("dv.puffin"), std::string_view::npos) << status.ToString();
  };
  const int64_t size = static_cast<int64_t>(BlobOf({3, 4, 5}).size());
  DataFile entry = VectorEntry("dv.puffin", "data/b.parquet", 3);
  entry.content_offset = puffin_size_ - 4;
  entry.content_size_in_bytes = size;
  refused(entry, StatusCode::kCorruption);
  entry.content_offset = -1;
  refused(entry, StatusCode::kCorruption);
  entry.content_offset = offsets_[1];
  entry.content_size_in_bytes = std::numeric_limits<int64_t>::max();
  refused(entry, StatusCode::kCorruption);
  entry.content_size_in_bytes = std::nullopt;
  refused(entry, StatusCode::kCorruption);
  // Off by one byte: the blob's own length no longer matches.
  entry.content_offset = offsets_[1] + 1;
  entry.content_size_in_bytes = size;
  refused(entry, StatusCode::kCorruption);
  // A cardinality other than the manifest's record_count.
  entry = VectorEntry("dv.puffin", "data/b.parquet", 2);
  entry.content_offset = offsets_[1];
  entry.content_size_in_bytes = size;
  refused(entry, StatusCode::kCorruption);
  entry.record_count = 4;
  refused(entry, StatusCode::kCorruption);
  // More positions than the data file has rows.
  entry.record_count = 3;
  refused(entry, StatusCode::kCorruption, 2);
  EXPECT_EQ(
      ReadDeletionVector(files_, VectorEntry("nowhere.puffin", "a", 1), kNoLimit).status().code(),
      StatusCode::kNotFound);
}

}  // namespace
}  // namespace floe::table
