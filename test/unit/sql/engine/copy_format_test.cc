#include "sql/engine/copy_format.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace floe::sql::engine {
namespace {

CopyFormat Format(CopyFormat::Kind kind) {
  Result<CopyFormat> format = ParseCopyFormat(
      {parser::Option{
          "format",
          {parser::OptionValueKind::kIdentifier, kind == CopyFormat::Kind::kCsv ? "csv" : "text"},
          0}},
      "");
  EXPECT_TRUE(format.ok());
  return *format;
}

// Decodes `data` fed in pieces of `piece` bytes, so that records and escapes straddle chunks.
Result<std::vector<TextRow>> Decode(const CopyFormat& format, int columns, const std::string& data,
                                    size_t piece) {
  std::vector<std::string> names;
  for (int i = 0; i < columns; ++i) {
    names.push_back("c" + std::to_string(i));
  }
  CopyRowDecoder decoder(format, names);
  std::vector<TextRow> rows;
  for (size_t at = 0; at < data.size(); at += piece) {
    FLOE_RETURN_NOT_OK(decoder.Feed(std::string_view(data).substr(at, piece), rows));
  }
  FLOE_RETURN_NOT_OK(decoder.Finish(rows));
  return rows;
}

std::string Show(const std::vector<TextRow>& rows) {
  std::string out;
  for (const TextRow& row : rows) {
    for (size_t i = 0; i < row.size(); ++i) {
      out += (i > 0 ? "|" : "") + (row[i] ? "[" + *row[i] + "]" : std::string("NULL"));
    }
    out += "\n";
  }
  return out;
}

TEST(CopyRowDecoderTest, ReadsTheTextFormatWithEscapesInAnyChunking) {
  std::string data =
      "1\tplain\n"
      "2\t\\N\n"
      "3\ttab\\there\\\\back\\nline\n"
      "4\t\\x41\\101\\q\r\n"
      "5\t\n"
      "\\.\n"
      "6\tafter the end marker\n";
  std::string expected = "[1]|[plain]\n[2]|NULL\n[3]|[tab\there\\back\nline]\n[4]|[AAq]\n[5]|[]\n";
  for (size_t piece : {1, 2, 3, 7, 1000}) {
    Result<std::vector<TextRow>> rows = Decode(Format(CopyFormat::Kind::kText), 2, data, piece);
    ASSERT_TRUE(rows.ok()) << rows.status().ToString();
    EXPECT_EQ(Show(*rows), expected) << "piece " << piece;
  }
}

TEST(CopyRowDecoderTest, ReadsCsvQuotingAcrossLinesInAnyChunking) {
  std::string data =
      "1,plain\n"
      "2,\"a,b\"\n"
      "3,\"say \"\"hi\"\"\"\n"
      "4,\"\"\n"
      "5,\n"
      "6,\"two\nlines\"\n"
      "7,last without newline";
  std::string expected =
      "[1]|[plain]\n[2]|[a,b]\n[3]|[say \"hi\"]\n[4]|[]\n[5]|NULL\n[6]|[two\nlines]\n"
      "[7]|[last without newline]\n";
  for (size_t piece : {1, 2, 5, 1000}) {
    Result<std::vector<TextRow>> rows = Decode(Format(CopyFormat::Kind::kCsv), 2, data, piece);
    ASSERT_TRUE(rows.ok()) << rows.status().ToString();
    EXPECT_EQ(Show(*rows), expected) << "piece " << piece;
  }
}

TEST(CopyRowDecoderTest, SkipsTheHeaderAndReportsBadRecordsWithTheirLine) {
  CopyFormat csv = Format(CopyFormat::Kind::kCsv);
  csv.header = true;
  Result<std::vector<TextRow>> rows = Decode(csv, 2, "a,b\n1,2\n", 3);
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ(Show(*rows), "[1]|[2]\n");
  // `\.` alone on a line ends CSV data too; inside quotes it is data.
  rows = Decode(Format(CopyFormat::Kind::kCsv), 2, "1,\"\n\\.\n\"\n\\.\n2,ignored\n", 4);
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ(Show(*rows), "[1]|[\n\\.\n]\n");

  struct Case {
    CopyFormat format;
    std::string data;
    std::string message;
    std::string line;
  };
  std::vector<Case> cases = {
      {Format(CopyFormat::Kind::kCsv), "1,2\n3\n", "missing data for column \"c1\"", "line 2"},
      {Format(CopyFormat::Kind::kCsv), "1,2,3\n", "extra data after last expected column",
       "line 1"},
      {Format(CopyFormat::Kind::kCsv), "1,\"open\n", "unterminated CSV quoted field", "line"},
      {Format(CopyFormat::Kind::kText), "1\t2\t3\n", "extra data after last expected column",
       "line 1"},
  };
  for (const Case& c : cases) {
    Result<std::vector<TextRow>> result = Decode(c.format, 2, c.data, 1);
    ASSERT_FALSE(result.ok()) << c.data;
    EXPECT_EQ(result.status().sql_state(), "22P04");
    EXPECT_NE(result.status().message().find(c.message), std::string::npos)
        << result.status().ToString();
    EXPECT_NE(result.status().detail().find(c.line), std::string::npos)
        << result.status().ToString();
  }
}

}  // namespace
}  // namespace floe::sql::engine
