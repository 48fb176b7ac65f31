#include "table/sort_order.h"

#include <gtest/gtest.h>

namespace floe::table {
namespace {

TEST(SortOrderTest, JsonRoundTrips) {
  Result<SortOrder> order = SortOrderFromJson(R"({"order-id": 1, "fields": [
    {"transform": "identity", "source-id": 2, "direction": "asc", "null-order": "nulls-first"},
    {"transform": "bucket[4]", "source-id": 3, "direction": "desc", "null-order": "nulls-last"}]})");
  ASSERT_TRUE(order.ok()) << order.status().ToString();
  EXPECT_EQ(order->order_id, 1);
  ASSERT_EQ(order->fields.size(), 2U);
  EXPECT_EQ(order->fields[1].transform, *Transform::Bucket(4));
  EXPECT_EQ(order->fields[1].direction, SortDirection::kDescending);
  EXPECT_EQ(order->fields[1].null_order, NullOrder::kNullsLast);
  EXPECT_EQ(*SortOrderFromJson(SortOrderToJson(*order)), *order);
}

TEST(SortOrderTest, RefusesMalformedAndInvalidOrders) {
  EXPECT_EQ(SortOrderFromJson(R"({"order-id": 1, "fields": [{"transform": "identity",
    "source-id": 2, "direction": "up", "null-order": "nulls-first"}]})")
                .status()
                .code(),
            StatusCode::kCorruption);
  EXPECT_EQ(SortOrderFromJson("[]").status().code(), StatusCode::kCorruption);
  Schema schema = *Schema::Make(
      0, {NestedField{.id = 1, .name = "s", .type = Type::Primitive(TypeKind::kString)}});
  SortOrder order{.order_id = 1, .fields = {{.transform = Transform::Day(), .source_ids = {1}}}};
  EXPECT_FALSE(order.Validate(schema).ok());
  order.fields[0].transform = Transform::Identity();
  EXPECT_TRUE(order.Validate(schema).ok());
  order.order_id = 0;
  EXPECT_FALSE(order.Validate(schema).ok());
  EXPECT_TRUE(SortOrder::Unsorted().Validate(schema).ok());
}

}  // namespace
}  // namespace floe::table
