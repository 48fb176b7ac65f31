#include "cli/tpch/order_model.h"

#include <gtest/gtest.h>

namespace floe::cli::tpch {
namespace {

class OrderModelTest : public ::testing::Test {
 protected:
  Scale scale_ = Scale::Make(0.01).value();
  OrderModel model_{scale_};
};

TEST_F(OrderModelTest, LinesFollowTheDateRules) {
  for (int64_t index = 0; index < scale_.orders; index += 3) {
    const OrderValues order = model_.Generate(index);
    ASSERT_GE(order.order_date, kStartDate);
    ASSERT_LE(order.order_date, kEndDate - 151);
    ASSERT_GE(order.num_lines, 1);
    ASSERT_LE(order.num_lines, 7);
    for (int line = 0; line < order.num_lines; ++line) {
      const LineValues& values = order.lines[static_cast<size_t>(line)];
      ASSERT_GE(values.ship_date - order.order_date, 1);
      ASSERT_LE(values.ship_date - order.order_date, 121);
      ASSERT_GE(values.commit_date - order.order_date, 30);
      ASSERT_LE(values.commit_date - order.order_date, 90);
      ASSERT_GE(values.receipt_date - values.ship_date, 1);
      ASSERT_LE(values.receipt_date - values.ship_date, 30);
    }
  }
}

TEST_F(OrderModelTest, FlagsFollowCurrentDate) {
  int64_t returned = 0;
  int64_t accepted = 0;
  for (int64_t index = 0; index < scale_.orders; ++index) {
    const OrderValues order = model_.Generate(index);
    for (int line = 0; line < order.num_lines; ++line) {
      const LineValues& values = order.lines[static_cast<size_t>(line)];
      if (values.receipt_date <= kCurrentDate) {
        ASSERT_TRUE(values.return_flag == 'R' || values.return_flag == 'A');
        (values.return_flag == 'R' ? returned : accepted) += 1;
      } else {
        ASSERT_EQ(values.return_flag, 'N');
      }
      ASSERT_EQ(values.line_status, values.ship_date > kCurrentDate ? 'O' : 'F');
    }
  }
  // R and A are equally likely.
  EXPECT_NEAR(static_cast<double>(returned) / static_cast<double>(returned + accepted), 0.5, 0.02);
}

TEST_F(OrderModelTest, TotalPriceAndStatusComeFromTheLines) {
  for (int64_t index = 0; index < scale_.orders; index += 5) {
    const OrderValues order = model_.Generate(index);
    int64_t total = 0;
    int open = 0;
    for (int line = 0; line < order.num_lines; ++line) {
      const LineValues& values = order.lines[static_cast<size_t>(line)];
      ASSERT_EQ(values.extended_price, values.quantity * RetailPriceCents(values.part_key));
      // extendedprice * (1 + tax) * (1 - discount) in 1/10000 cents, rounded half up to cents.
      const int64_t charge = values.extended_price * (100 + values.tax) * (100 - values.discount);
      total += (2 * charge + 10000) / 20000;
      open += values.line_status == 'O' ? 1 : 0;
    }
    ASSERT_EQ(order.total_price, total) << "order " << index;
    const char expected = open == 0 ? 'F' : (open == order.num_lines ? 'O' : 'P');
    ASSERT_EQ(order.status, expected);
  }
}

TEST_F(OrderModelTest, CustomersAreNeverMultiplesOfThree) {
  for (int64_t index = 0; index < scale_.orders; ++index) {
    const int64_t customer = model_.Generate(index).customer_key;
    ASSERT_GE(customer, 1);
    ASSERT_LE(customer, scale_.customers);
    ASSERT_NE(customer % 3, 0);
  }
}

TEST_F(OrderModelTest, SameIndexGivesSameOrder) {
  const OrderValues first = model_.Generate(1234);
  const OrderValues second = OrderModel(scale_).Generate(1234);
  EXPECT_EQ(first.order_key, second.order_key);
  EXPECT_EQ(first.total_price, second.total_price);
  EXPECT_EQ(first.lines[0].part_key, second.lines[0].part_key);
}

}  // namespace
}  // namespace floe::cli::tpch
