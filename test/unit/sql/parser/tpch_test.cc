#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "sql/parser/deparser.h"
#include "sql/parser/parser.h"

namespace floe::sql::parser {
namespace {

std::string ReadQuery(int number) {
  std::filesystem::path path = std::filesystem::path(FLOE_SOURCE_DIR) / "test" / "data" / "tpch" /
                               "queries" / fmt::format("q{:02}.sql", number);
  std::ifstream in(path);
  EXPECT_TRUE(in.good()) << path;
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

TEST(TpchParseTest, AllQueriesParseAndRoundTrip) {
  for (int number = 1; number <= 22; ++number) {
    std::string text = ReadQuery(number);
    Result<std::vector<ParsedStatement>> statements = ParseStatements(text);
    ASSERT_TRUE(statements.ok()) << "Q" << number << ": " << statements.status().ToString();
    ASSERT_EQ(statements->size(), 1u) << "Q" << number;
    const Statement& statement = *(*statements)[0].statement;
    EXPECT_EQ(statement.kind, StatementKind::kQuery);
    std::string printed = ToSql(statement);
    Result<StatementPtr> reparsed = ParseStatement(printed);
    ASSERT_TRUE(reparsed.ok()) << printed << ": " << reparsed.status().ToString();
    EXPECT_EQ(ToSql(**reparsed), printed) << "Q" << number;
  }
}

TEST(TpchParseTest, QueryShapes) {
  Result<StatementPtr> q15 = ParseStatement(ReadQuery(15));
  ASSERT_TRUE(q15.ok());
  EXPECT_EQ((*q15)->As<QueryStatement>().query->with->ctes[0].name, "revenue0");
  Result<StatementPtr> q13 = ParseStatement(ReadQuery(13));
  ASSERT_TRUE(q13.ok());
  const auto& select = (*q13)->As<QueryStatement>().query->body->As<SelectBody>();
  EXPECT_EQ(select.from[0]->As<SubqueryRef>().alias.columns.size(), 2u);
}

TEST(TpchParseTest, ParsingIsFast) {
  std::vector<std::string> queries;
  for (int number = 1; number <= 22; ++number) {
    queries.push_back(ReadQuery(number));
  }
  constexpr int kRounds = 20;
  auto start = std::chrono::steady_clock::now();
  for (int round = 0; round < kRounds; ++round) {
    for (const std::string& query : queries) {
      ASSERT_TRUE(ParseStatements(query).ok());
    }
  }
  auto elapsed = std::chrono::steady_clock::now() - start;
  double micros_per_query =
      std::chrono::duration<double, std::micro>(elapsed).count() / (kRounds * queries.size());
  // A generous bound that still catches accidental quadratic behaviour; typical figures are
  // tens of microseconds per query.
  EXPECT_LT(micros_per_query, 5000.0);
  std::printf("parsed TPC-H queries in %.1f us each on average\n", micros_per_query);
}

}  // namespace
}  // namespace floe::sql::parser
