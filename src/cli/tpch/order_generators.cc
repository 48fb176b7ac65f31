// ORDERS and LINEITEM. Both compute their rows from OrderModel, so an order's total price and
// status agree with its lines although the two tables are generated independently.
#include <algorithm>

#include "cli/tpch/distributions.h"
#include "cli/tpch/generators_internal.h"
#include "cli/tpch/order_model.h"

namespace floe::cli::tpch {
namespace {

constexpr int64_t kOrdersPerChunk = 16384;
// About four lines per order: lineitem chunks of about 16k rows.
constexpr int64_t kLineitemOrdersPerChunk = 4096;

class OrdersGenerator final : public RowGenerator {
 public:
  explicit OrdersGenerator(const Dataset& dataset)
      : RowGenerator(TableId::kOrders, dataset, dataset.scale().orders, kOrdersPerChunk),
        model_(dataset.scale()),
        priority_(OrderRandom(OrderStream::kPriority)),
        clerk_(OrderRandom(OrderStream::kClerk)),
        comment_(OrderRandom(OrderStream::kOrderComment)) {}

 protected:
  Status AppendRow(int64_t row, ChunkBuilder& builder) const override {
    const OrderValues order = model_.Generate(row);
    const char status[] = {order.status};
    FLOE_RETURN_NOT_OK(builder.AppendBigInt(0, order.order_key));
    FLOE_RETURN_NOT_OK(builder.AppendBigInt(1, order.customer_key));
    FLOE_RETURN_NOT_OK(builder.AppendString(2, std::string_view(status, 1)));
    FLOE_RETURN_NOT_OK(builder.AppendDecimal(3, order.total_price));
    FLOE_RETURN_NOT_OK(builder.AppendDate(4, order.order_date));
    FLOE_RETURN_NOT_OK(builder.AppendString(5, PickUniform(Priorities(), priority_.Bits(row))));
    FLOE_RETURN_NOT_OK(
        builder.AppendNumbered(6, "Clerk#", clerk_.Uniform(row, 1, dataset().scale().clerks)));
    FLOE_RETURN_NOT_OK(builder.AppendInteger(7, 0));
    return builder.AppendString(8, dataset().text_pool().Text(comment_.Bits(row), 19, 78));
  }

 private:
  OrderModel model_;
  RandomStream priority_;
  RandomStream clerk_;
  RandomStream comment_;
};

class LineitemGenerator final : public TableGenerator {
 public:
  explicit LineitemGenerator(const Dataset& dataset)
      : TableGenerator(TableId::kLineitem),
        dataset_(dataset),
        model_(dataset.scale()),
        instruction_(OrderRandom(OrderStream::kInstruction)),
        ship_mode_(OrderRandom(OrderStream::kShipMode)),
        comment_(OrderRandom(OrderStream::kLineComment)) {}

  int64_t NumChunks() const override {
    return (dataset_.scale().orders + kLineitemOrdersPerChunk - 1) / kLineitemOrdersPerChunk;
  }

  Result<vector::Batch> GenerateChunk(int64_t chunk) const override {
    const int64_t first_order = chunk * kLineitemOrdersPerChunk;
    const int64_t end_order =
        std::min(dataset_.scale().orders, first_order + kLineitemOrdersPerChunk);
    if (chunk < 0 || first_order >= dataset_.scale().orders) {
      return Status::InvalidArgument("lineitem has no chunk {}", chunk);
    }
    ChunkBuilder builder(schema(), (end_order - first_order) * 4);
    for (int64_t order_index = first_order; order_index < end_order; ++order_index) {
      const OrderValues order = model_.Generate(order_index);
      for (int line = 0; line < order.num_lines; ++line) {
        FLOE_RETURN_NOT_OK(AppendLine(order, order_index, line, builder));
      }
    }
    return builder.Finish();
  }

 private:
  Status AppendLine(const OrderValues& order, int64_t order_index, int line,
                    ChunkBuilder& builder) const {
    const LineValues& values = order.lines[static_cast<size_t>(line)];
    const int64_t index = LineIndex(order_index, line);
    const char flags[] = {values.return_flag, values.line_status};
    FLOE_RETURN_NOT_OK(builder.AppendBigInt(0, order.order_key));
    FLOE_RETURN_NOT_OK(builder.AppendBigInt(1, values.part_key));
    FLOE_RETURN_NOT_OK(builder.AppendBigInt(2, values.supplier_key));
    FLOE_RETURN_NOT_OK(builder.AppendInteger(3, line + 1));
    FLOE_RETURN_NOT_OK(builder.AppendDecimal(4, values.quantity * 100));
    FLOE_RETURN_NOT_OK(builder.AppendDecimal(5, values.extended_price));
    FLOE_RETURN_NOT_OK(builder.AppendDecimal(6, values.discount));
    FLOE_RETURN_NOT_OK(builder.AppendDecimal(7, values.tax));
    FLOE_RETURN_NOT_OK(builder.AppendString(8, std::string_view(flags, 1)));
    FLOE_RETURN_NOT_OK(builder.AppendString(9, std::string_view(flags + 1, 1)));
    FLOE_RETURN_NOT_OK(builder.AppendDate(10, values.ship_date));
    FLOE_RETURN_NOT_OK(builder.AppendDate(11, values.commit_date));
    FLOE_RETURN_NOT_OK(builder.AppendDate(12, values.receipt_date));
    FLOE_RETURN_NOT_OK(
        builder.AppendString(13, PickUniform(Instructions(), instruction_.Bits(index))));
    FLOE_RETURN_NOT_OK(builder.AppendString(14, PickUniform(ShipModes(), ship_mode_.Bits(index))));
    return builder.AppendString(15, dataset_.text_pool().Text(comment_.Bits(index), 10, 43));
  }

  const Dataset& dataset_;
  OrderModel model_;
  RandomStream instruction_;
  RandomStream ship_mode_;
  RandomStream comment_;
};

}  // namespace

std::unique_ptr<TableGenerator> MakeOrdersGenerator(const Dataset& dataset) {
  return std::make_unique<OrdersGenerator>(dataset);
}
std::unique_ptr<TableGenerator> MakeLineitemGenerator(const Dataset& dataset) {
  return std::make_unique<LineitemGenerator>(dataset);
}

}  // namespace floe::cli::tpch
