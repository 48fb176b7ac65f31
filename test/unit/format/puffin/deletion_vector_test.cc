#include "format/puffin/deletion_vector.h"

#include <limits>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "format/puffin/puffin_footer.h"
#include "io/memory/memory_file_system.h"
#include "unit/format/puffin/roaring_test_util.h"

namespace floe::format::puffin {
namespace {

using testing::ContainerKind;
using testing::DeletionVectorBlob;
using testing::PuffinFile;
using testing::Roaring64;

constexpr int64_t kNoLimit = std::numeric_limits<int64_t>::max();

std::vector<uint8_t> SampleBlob() {
  return DeletionVectorBlob(Roaring64({{0, {{0, {1, 4, 9}, ContainerKind::kArray}}},
                                       {3, {{2, {0, 1, 2, 3}, ContainerKind::kRun}}}}));
}

TEST(DeletionVectorTest, DecodesPositions) {
  auto positions = DecodeDeletionVector(SampleBlob(), kNoLimit);
  ASSERT_TRUE(positions.ok()) << positions.status().ToString();
  const int64_t high = int64_t{3} << 32 | 2 << 16;
  EXPECT_EQ(*positions, (std::vector<int64_t>{1, 4, 9, high, high + 1, high + 2, high + 3}));
}

TEST(DeletionVectorTest, DecodesBlobOfAnotherWriter) {
  // A blob as Iceberg's Java writer lays it out, deleting position 1: a bitmap without run
  // containers (cookie 12346, one array container) and its checksum.
  const std::vector<uint8_t> blob = {
      0x00, 0x00, 0x00, 0x22, 0xd1, 0xd3, 0x39, 0x64, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00,
      0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x3a, 0x30, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00,
      0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x00, 0x00, 0x01, 0x00, 0xee, 0xbd, 0x85, 0xf4};
  auto positions = DecodeDeletionVector(blob, kNoLimit);
  ASSERT_TRUE(positions.ok()) << positions.status().ToString();
  EXPECT_EQ(*positions, std::vector<int64_t>{1});
  EXPECT_EQ(DeletionVectorBlob(Roaring64({{0, {{0, {1}, ContainerKind::kArray}}}})), blob);
}

TEST(DeletionVectorTest, CorruptBlobsAreRefused) {
  auto refused = [](const std::vector<uint8_t>& blob, const char* expected) {
    Status status = DecodeDeletionVector(blob, kNoLimit).status();
    EXPECT_EQ(status.code(), StatusCode::kCorruption) << expected;
    EXPECT_NE(status.message().find(expected), std::string_view::npos) << status.ToString();
  };
  std::vector<uint8_t> blob = SampleBlob();
  refused(std::vector<uint8_t>(blob.begin(), blob.begin() + 10), "shorter than the minimum");
  refused(std::vector<uint8_t>(blob.begin(), blob.end() - 1), "records a length");
  std::vector<uint8_t> bad = blob;
  bad[0] = 0x80;
  refused(bad, "records a length");
  bad = blob;
  bad[5] = 0x00;
  refused(bad, "magic");
  bad = blob;
  bad.back() ^= 1;
  refused(bad, "checksum mismatch");
  bad = blob;
  bad[20] ^= 0x40;  // Inside the bitmap: the checksum catches it first.
  refused(bad, "checksum mismatch");
  // A valid envelope around a malformed bitmap.
  std::vector<uint8_t> bitmap = Roaring64({{0, {{0, {5, 2}, ContainerKind::kArray}}}});
  refused(DeletionVectorBlob(bitmap), "array container");
  // More positions than the caller allows.
  Status limited = DecodeDeletionVector(blob, 6).status();
  EXPECT_EQ(limited.code(), StatusCode::kCorruption);
  EXPECT_TRUE(DecodeDeletionVector(blob, 7).ok());
}

TEST(PuffinFooterTest, ReadsFooterOfFullFile) {
  std::vector<uint8_t> first = SampleBlob();
  std::vector<uint8_t> second = DeletionVectorBlob(Roaring64({}));
  auto [bytes, offsets] = PuffinFile({{"s3://b/data/a.parquet", first}, {"b.parquet", second}});
  io::MemoryFileSystem files;
  ASSERT_TRUE(files.CreateExclusive("dv.puffin", bytes).ok());
  auto file = files.OpenInputFile("dv.puffin");
  ASSERT_TRUE(file.ok());
  auto footer = ReadPuffinFooter(**file);
  ASSERT_TRUE(footer.ok()) << footer.status().ToString();
  ASSERT_EQ(footer->blobs.size(), 2u);
  EXPECT_EQ(footer->properties.at("created-by"), "test");
  const PuffinBlob& blob = footer->blobs[0];
  EXPECT_EQ(blob.type, kDeletionVectorBlobType);
  EXPECT_EQ(blob.offset, 4);
  EXPECT_EQ(blob.length, static_cast<int64_t>(first.size()));
  EXPECT_EQ(blob.snapshot_id, -1);
  EXPECT_EQ(blob.fields, std::vector<int32_t>{2147483645});
  EXPECT_EQ(blob.properties.at("referenced-data-file"), "s3://b/data/a.parquet");
  EXPECT_EQ(footer->blobs[1].offset, offsets[1]);
}

TEST(PuffinFooterTest, CorruptFootersAreRefused) {
  auto [good, offsets] = PuffinFile({{"a.parquet", SampleBlob()}});
  auto read = [](const std::string& bytes) {
    io::MemoryFileSystem files;
    EXPECT_TRUE(files.CreateExclusive("x.puffin", bytes).ok());
    auto file = files.OpenInputFile("x.puffin");
    EXPECT_TRUE(file.ok());
    return ReadPuffinFooter(**file).status();
  };
  EXPECT_TRUE(read(good).ok());
  EXPECT_EQ(read("PFA1").code(), StatusCode::kCorruption);
  std::string bad = good;
  bad[0] = 'X';
  EXPECT_EQ(read(bad).code(), StatusCode::kCorruption);
  bad = good;
  bad[bad.size() - 12] = static_cast<char>(0xff);  // Footer size beyond the file.
  bad[bad.size() - 9] = 0x7f;
  EXPECT_EQ(read(bad).code(), StatusCode::kCorruption);
  bad = good;
  bad[bad.size() - 8] = 1;  // Compressed footer.
  EXPECT_EQ(read(bad).code(), StatusCode::kNotSupported);
  // A blob said to lie past the blobs.
  std::string json = R"({"blobs":[{"type":"deletion-vector-v1","offset":4,"length":999}]})";
  std::string file = "PFA1PFA1" + json;
  std::vector<uint8_t> trailer;
  testing::Put32(trailer, static_cast<uint32_t>(json.size()));
  testing::Put32(trailer, 0);
  file.append(trailer.begin(), trailer.end());
  file += "PFA1";
  Status outside = read(file);
  EXPECT_EQ(outside.code(), StatusCode::kCorruption);
  EXPECT_NE(outside.message().find("outside"), std::string_view::npos) << outside.ToString();
  EXPECT_EQ(ParsePuffinFooter("[1]").status().code(), StatusCode::kCorruption);
  EXPECT_EQ(ParsePuffinFooter(R"({"blobs":[{"type":"x","offset":-1,"length":2}]})").status().code(),
            StatusCode::kCorruption);
}

}  // namespace
}  // namespace floe::format::puffin
