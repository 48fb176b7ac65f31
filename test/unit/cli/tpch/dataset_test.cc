#include "cli/tpch/dataset.h"

#include <algorithm>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "cli/tpch/distributions.h"

namespace floe::cli::tpch {
namespace {

// The rows of one table, column by column.
class TableRows {
 public:
  TableRows(const Dataset& dataset, TableId table) {
    const std::unique_ptr<TableGenerator> generator = dataset.MakeGenerator(table);
    for (int64_t chunk = 0; chunk < generator->NumChunks(); ++chunk) {
      Result<vector::Batch> batch = generator->GenerateChunk(chunk);
      EXPECT_TRUE(batch.ok()) << batch.status().ToString();
      batches_.push_back(std::move(batch).value());
    }
  }

  int64_t num_rows() const {
    int64_t rows = 0;
    for (const vector::Batch& batch : batches_) {
      rows += batch.num_rows();
    }
    return rows;
  }

  // BIGINT and DECIMAL columns, as stored (decimals unscaled).
  std::vector<int64_t> Int64(std::string_view name) const { return Values<int64_t>(name); }
  // INTEGER and DATE columns.
  std::vector<int32_t> Int32(std::string_view name) const { return Values<int32_t>(name); }
  std::vector<std::string> Strings(std::string_view name) const {
    std::vector<std::string> values;
    for (const vector::Batch& batch : batches_) {
      const vector::Vector& column = batch.column(IndexOf(batch, name));
      for (int64_t row = 0; row < batch.num_rows(); ++row) {
        values.emplace_back(column.GetString(row));
      }
    }
    return values;
  }

 private:
  static int64_t IndexOf(const vector::Batch& batch, std::string_view name) {
    const std::optional<int64_t> index = batch.schema().IndexOf(name);
    EXPECT_TRUE(index.has_value()) << name;
    return index.value_or(0);
  }

  template <typename T>
  std::vector<T> Values(std::string_view name) const {
    std::vector<T> values;
    for (const vector::Batch& batch : batches_) {
      const vector::Vector& column = batch.column(IndexOf(batch, name));
      for (int64_t row = 0; row < batch.num_rows(); ++row) {
        values.push_back(column.Get<T>(row));
      }
    }
    return values;
  }

  std::vector<vector::Batch> batches_;
};

Dataset MakeDataset(double scale_factor) {
  TaskScheduler scheduler(2);
  DatasetOptions options;
  options.scale_factor = scale_factor;
  options.text_pool_bytes = 2 * TextPool::kSegmentBytes;
  return Dataset::Make(options, scheduler).value();
}

class DatasetTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { dataset_ = std::make_unique<Dataset>(MakeDataset(0.01)); }
  static void TearDownTestSuite() { dataset_.reset(); }

  static std::unique_ptr<Dataset> dataset_;
};

std::unique_ptr<Dataset> DatasetTest::dataset_;

TEST_F(DatasetTest, CardinalitiesAtScaleFactorOneHundredth) {
  EXPECT_EQ(TableRows(*dataset_, TableId::kRegion).num_rows(), 5);
  EXPECT_EQ(TableRows(*dataset_, TableId::kNation).num_rows(), 25);
  EXPECT_EQ(TableRows(*dataset_, TableId::kSupplier).num_rows(), 100);
  EXPECT_EQ(TableRows(*dataset_, TableId::kCustomer).num_rows(), 1500);
  EXPECT_EQ(TableRows(*dataset_, TableId::kPart).num_rows(), 2000);
  EXPECT_EQ(TableRows(*dataset_, TableId::kPartsupp).num_rows(), 8000);
  EXPECT_EQ(TableRows(*dataset_, TableId::kOrders).num_rows(), 15000);
  // One to seven lines per order, four on average.
  const int64_t lines = TableRows(*dataset_, TableId::kLineitem).num_rows();
  EXPECT_GT(lines, 58000);
  EXPECT_LT(lines, 62000);
}

TEST(DatasetScaleTest, CardinalitiesAtScaleFactorOneTenth) {
  const Dataset dataset = MakeDataset(0.1);
  EXPECT_EQ(TableRows(dataset, TableId::kSupplier).num_rows(), 1000);
  EXPECT_EQ(TableRows(dataset, TableId::kCustomer).num_rows(), 15000);
  EXPECT_EQ(TableRows(dataset, TableId::kPart).num_rows(), 20000);
  EXPECT_EQ(TableRows(dataset, TableId::kPartsupp).num_rows(), 80000);
  EXPECT_EQ(TableRows(dataset, TableId::kOrders).num_rows(), 150000);
  const int64_t lines = TableRows(dataset, TableId::kLineitem).num_rows();
  EXPECT_GT(lines, 594000);
  EXPECT_LT(lines, 606000);
}

TEST_F(DatasetTest, NationsAndRegionsAreTheFixedOnes) {
  const TableRows nations(*dataset_, TableId::kNation);
  const std::vector<std::string> names = nations.Strings("n_name");
  const std::vector<int64_t> regions = nations.Int64("n_regionkey");
  EXPECT_EQ(names[0], "ALGERIA");
  EXPECT_EQ(names[24], "UNITED STATES");
  EXPECT_EQ(regions[24], 1);
  EXPECT_EQ(names[20], "SAUDI ARABIA");
  EXPECT_EQ(regions[20], 4);
  const std::vector<std::string> region_names =
      TableRows(*dataset_, TableId::kRegion).Strings("r_name");
  EXPECT_EQ(region_names,
            (std::vector<std::string>{"AFRICA", "AMERICA", "ASIA", "EUROPE", "MIDDLE EAST"}));
}

TEST_F(DatasetTest, KeysAreDenseAndUnique) {
  const std::vector<std::pair<TableId, std::string>> keys = {{TableId::kSupplier, "s_suppkey"},
                                                             {TableId::kCustomer, "c_custkey"},
                                                             {TableId::kPart, "p_partkey"},
                                                             {TableId::kNation, "n_nationkey"}};
  for (const auto& [table, column] : keys) {
    const std::vector<int64_t> values = TableRows(*dataset_, table).Int64(column);
    const int64_t first = table == TableId::kNation ? 0 : 1;
    for (size_t row = 0; row < values.size(); ++row) {
      ASSERT_EQ(values[row], first + static_cast<int64_t>(row)) << column;
    }
  }
}

TEST_F(DatasetTest, OrderKeysAreSparse) {
  const std::vector<int64_t> keys = TableRows(*dataset_, TableId::kOrders).Int64("o_orderkey");
  for (size_t row = 0; row < keys.size(); ++row) {
    ASSERT_LT((keys[row] - 1) % 32, 8) << keys[row];
    if (row > 0) {
      ASSERT_GT(keys[row], keys[row - 1]);
    }
  }
  EXPECT_EQ(keys.back(), (15000 / 8 - 1) * 32 + 8);
}

TEST_F(DatasetTest, ForeignKeysPointAtExistingRows) {
  const TableRows supplier(*dataset_, TableId::kSupplier);
  const TableRows customer(*dataset_, TableId::kCustomer);
  for (int64_t nation : supplier.Int64("s_nationkey")) {
    ASSERT_TRUE(nation >= 0 && nation < 25);
  }
  for (int64_t nation : customer.Int64("c_nationkey")) {
    ASSERT_TRUE(nation >= 0 && nation < 25);
  }
  const TableRows orders(*dataset_, TableId::kOrders);
  for (int64_t key : orders.Int64("o_custkey")) {
    ASSERT_TRUE(key >= 1 && key <= 1500 && key % 3 != 0) << key;
  }
  const std::vector<int64_t> order_keys = orders.Int64("o_orderkey");
  const std::set<int64_t> existing(order_keys.begin(), order_keys.end());
  const TableRows lineitem(*dataset_, TableId::kLineitem);
  const std::vector<int64_t> line_orders = lineitem.Int64("l_orderkey");
  for (int64_t key : line_orders) {
    ASSERT_TRUE(existing.contains(key)) << key;
  }
  EXPECT_EQ(std::set<int64_t>(line_orders.begin(), line_orders.end()).size(), existing.size());
}

TEST_F(DatasetTest, PartsuppPairsAreUniqueAndLineitemsUseThem) {
  const TableRows partsupp(*dataset_, TableId::kPartsupp);
  const std::vector<int64_t> parts = partsupp.Int64("ps_partkey");
  const std::vector<int64_t> suppliers = partsupp.Int64("ps_suppkey");
  std::set<std::pair<int64_t, int64_t>> pairs;
  for (size_t row = 0; row < parts.size(); ++row) {
    ASSERT_TRUE(parts[row] >= 1 && parts[row] <= 2000);
    ASSERT_TRUE(suppliers[row] >= 1 && suppliers[row] <= 100);
    ASSERT_TRUE(pairs.emplace(parts[row], suppliers[row]).second);
  }
  const TableRows lineitem(*dataset_, TableId::kLineitem);
  const std::vector<int64_t> line_parts = lineitem.Int64("l_partkey");
  const std::vector<int64_t> line_suppliers = lineitem.Int64("l_suppkey");
  for (size_t row = 0; row < line_parts.size(); ++row) {
    ASSERT_TRUE(pairs.contains({line_parts[row], line_suppliers[row]}));
  }
}

TEST_F(DatasetTest, LineitemDatesAndFlagsFollowTheRules) {
  const TableRows orders(*dataset_, TableId::kOrders);
  const std::vector<int64_t> order_keys = orders.Int64("o_orderkey");
  const std::vector<int32_t> order_dates = orders.Int32("o_orderdate");
  std::map<int64_t, int32_t> date_of;
  for (size_t row = 0; row < order_keys.size(); ++row) {
    date_of[order_keys[row]] = order_dates[row];
  }
  const TableRows lineitem(*dataset_, TableId::kLineitem);
  const std::vector<int64_t> keys = lineitem.Int64("l_orderkey");
  const std::vector<int32_t> ship = lineitem.Int32("l_shipdate");
  const std::vector<int32_t> receipt = lineitem.Int32("l_receiptdate");
  const std::vector<std::string> flags = lineitem.Strings("l_returnflag");
  const std::vector<std::string> statuses = lineitem.Strings("l_linestatus");
  for (size_t row = 0; row < keys.size(); ++row) {
    const int32_t delay = ship[row] - date_of[keys[row]];
    ASSERT_TRUE(delay >= 1 && delay <= 121) << delay;
    ASSERT_GT(receipt[row], ship[row]);
    if (receipt[row] <= kCurrentDate) {
      ASSERT_TRUE(flags[row] == "R" || flags[row] == "A");
    } else {
      ASSERT_EQ(flags[row], "N");
    }
    ASSERT_EQ(statuses[row], ship[row] > kCurrentDate ? "O" : "F");
  }
}

TEST_F(DatasetTest, TotalPriceSumsTheChargesOfTheLines) {
  const TableRows lineitem(*dataset_, TableId::kLineitem);
  const std::vector<int64_t> keys = lineitem.Int64("l_orderkey");
  const std::vector<int64_t> prices = lineitem.Int64("l_extendedprice");
  const std::vector<int64_t> discounts = lineitem.Int64("l_discount");
  const std::vector<int64_t> taxes = lineitem.Int64("l_tax");
  std::map<int64_t, int64_t> total_of;
  for (size_t row = 0; row < keys.size(); ++row) {
    const int64_t charge = prices[row] * (100 + taxes[row]) * (100 - discounts[row]);
    total_of[keys[row]] += (2 * charge + 10000) / 20000;
  }
  const TableRows orders(*dataset_, TableId::kOrders);
  const std::vector<int64_t> order_keys = orders.Int64("o_orderkey");
  const std::vector<int64_t> totals = orders.Int64("o_totalprice");
  for (size_t row = 0; row < order_keys.size(); ++row) {
    ASSERT_EQ(totals[row], total_of[order_keys[row]]) << order_keys[row];
  }
}

TEST_F(DatasetTest, PartColumnsUseTheSpecificationLists) {
  const TableRows part(*dataset_, TableId::kPart);
  const std::vector<std::string> names = part.Strings("p_name");
  const std::vector<std::string> brands = part.Strings("p_brand");
  const std::vector<std::string> manufacturers = part.Strings("p_mfgr");
  for (size_t row = 0; row < names.size(); ++row) {
    ASSERT_EQ(std::count(names[row].begin(), names[row].end(), ' '), 4) << names[row];
    ASSERT_EQ(manufacturers[row].substr(0, 13), "Manufacturer#");
    // Brand#MN repeats the manufacturer's M.
    ASSERT_EQ(brands[row][6], manufacturers[row][13]);
  }
  const std::vector<int64_t> keys = part.Int64("p_partkey");
  const std::vector<int64_t> prices = part.Int64("p_retailprice");
  for (size_t row = 0; row < keys.size(); ++row) {
    ASSERT_EQ(prices[row], RetailPriceCents(keys[row]));
  }
}

TEST_F(DatasetTest, PhonesStartWithTheCountryCode) {
  const TableRows customer(*dataset_, TableId::kCustomer);
  const std::vector<std::string> phones = customer.Strings("c_phone");
  const std::vector<int64_t> nations = customer.Int64("c_nationkey");
  for (size_t row = 0; row < phones.size(); ++row) {
    ASSERT_EQ(phones[row].size(), 15u);
    ASSERT_EQ(std::stoi(phones[row].substr(0, 2)), nations[row] + 10);
  }
}

TEST_F(DatasetTest, SomeSuppliersHaveComplaints) {
  const std::vector<std::string> comments =
      TableRows(*dataset_, TableId::kSupplier).Strings("s_comment");
  int complaints = 0;
  for (const std::string& comment : comments) {
    const size_t customer = comment.find("Customer");
    if (customer != std::string::npos &&
        comment.find("Complaints", customer) != std::string::npos) {
      ++complaints;
    }
  }
  EXPECT_GE(complaints, 1);
}

}  // namespace
}  // namespace floe::cli::tpch
