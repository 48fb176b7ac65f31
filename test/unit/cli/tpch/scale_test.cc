#include "cli/tpch/scale.h"

#include <set>

#include <gtest/gtest.h>

#include "types/temporal.h"

namespace floe::cli::tpch {
namespace {

TEST(ScaleTest, CountsFollowTheSpecification) {
  Result<Scale> scale = Scale::Make(0.01);
  ASSERT_TRUE(scale.ok()) << scale.status().ToString();
  EXPECT_EQ(scale->parts, 2000);
  EXPECT_EQ(scale->suppliers, 100);
  EXPECT_EQ(scale->partsupps(), 8000);
  EXPECT_EQ(scale->customers, 1500);
  EXPECT_EQ(scale->orders, 15000);
  EXPECT_EQ(scale->clerks, 10);
}

TEST(ScaleTest, RefusesScaleFactorsOutOfRange) {
  for (double scale_factor : {0.0, -1.0, 0.001, 1e6}) {
    Result<Scale> scale = Scale::Make(scale_factor);
    ASSERT_FALSE(scale.ok()) << scale_factor;
    EXPECT_EQ(scale.status().code(), StatusCode::kInvalidArgument);
  }
}

TEST(ScaleTest, RefusesScaleFactorsWhereSuppliersRepeat) {
  // 120 suppliers: the step 30 + 10 = 40 brings the fourth supplier back to the first.
  Result<Scale> scale = Scale::Make(0.012);
  ASSERT_FALSE(scale.ok());
  EXPECT_EQ(scale.status().code(), StatusCode::kInvalidArgument);
}

TEST(ScaleTest, DatesAreThoseOfTheSpecification) {
  EXPECT_EQ(kStartDate, types::DaysFromCivil({1992, 1, 1}));
  EXPECT_EQ(kCurrentDate, types::DaysFromCivil({1995, 6, 17}));
  EXPECT_EQ(kEndDate, types::DaysFromCivil({1998, 12, 31}));
}

TEST(ScaleTest, OrderKeysUseTheFirstEightOfEveryThirtyTwo) {
  EXPECT_EQ(OrderKeyOf(0), 1);
  EXPECT_EQ(OrderKeyOf(7), 8);
  EXPECT_EQ(OrderKeyOf(8), 33);
  EXPECT_EQ(OrderKeyOf(15), 40);
  EXPECT_EQ(OrderKeyOf(16), 65);
}

TEST(ScaleTest, RetailPriceFollowsTheFormula) {
  EXPECT_EQ(RetailPriceCents(1), 90100);
  EXPECT_EQ(RetailPriceCents(1000), 90100);
  EXPECT_EQ(RetailPriceCents(200000), 90000 + 20000 % 20001 + 0);
  EXPECT_EQ(RetailPriceCents(123456), 90000 + 12345 + 100 * 456);
}

TEST(ScaleTest, EachPartHasFourDistinctSuppliers) {
  for (double scale_factor : {0.01, 0.1, 1.0, 10.0}) {
    const Scale scale = Scale::Make(scale_factor).value();
    for (int64_t part = 1; part <= scale.parts; part += 1 + scale.parts / 5000) {
      std::set<int64_t> suppliers;
      for (int64_t choice = 0; choice < 4; ++choice) {
        const int64_t supplier = SupplierOfPart(part, choice, scale.suppliers);
        EXPECT_GE(supplier, 1);
        EXPECT_LE(supplier, scale.suppliers);
        suppliers.insert(supplier);
      }
      EXPECT_EQ(suppliers.size(), 4u) << "part " << part << " at SF " << scale_factor;
    }
  }
}

}  // namespace
}  // namespace floe::cli::tpch
