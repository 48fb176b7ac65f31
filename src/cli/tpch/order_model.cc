#include "cli/tpch/order_model.h"

#include "cli/tpch/tables.h"

namespace floe::cli::tpch {

RandomStream OrderRandom(OrderStream stream) {
  return RandomStream::Of(static_cast<uint64_t>(TableId::kOrders), static_cast<uint64_t>(stream));
}

OrderModel::OrderModel(const Scale& scale)
    : scale_(scale),
      customer_(OrderRandom(OrderStream::kCustomer)),
      order_date_(OrderRandom(OrderStream::kOrderDate)),
      line_count_(OrderRandom(OrderStream::kLineCount)),
      part_(OrderRandom(OrderStream::kPart)),
      supplier_choice_(OrderRandom(OrderStream::kSupplierChoice)),
      quantity_(OrderRandom(OrderStream::kQuantity)),
      discount_(OrderRandom(OrderStream::kDiscount)),
      tax_(OrderRandom(OrderStream::kTax)),
      ship_delay_(OrderRandom(OrderStream::kShipDelay)),
      commit_delay_(OrderRandom(OrderStream::kCommitDelay)),
      receipt_delay_(OrderRandom(OrderStream::kReceiptDelay)),
      return_flag_(OrderRandom(OrderStream::kReturnFlag)) {}

// O_CUSTKEY is uniform over [1, SF * 150,000] but never a multiple of 3 (4.2.3), so a third
// of the customers have no orders (Q13 and Q22 depend on it). Draw the k-th valid key
// directly: k = 0, 1, 2, 3... maps to 1, 2, 4, 5...
int64_t OrderModel::DrawCustomer(int64_t order_index) const {
  const int64_t valid_keys = scale_.customers - scale_.customers / 3;
  const int64_t k = customer_.Uniform(order_index, 0, valid_keys - 1);
  return (k / 2) * 3 + k % 2 + 1;
}

LineValues OrderModel::GenerateLine(int64_t order_index, int line, int32_t order_date) const {
  const int64_t index = LineIndex(order_index, line);
  LineValues values;
  values.part_key = part_.Uniform(index, 1, scale_.parts);
  values.supplier_key =
      SupplierOfPart(values.part_key, supplier_choice_.Uniform(index, 0, 3), scale_.suppliers);
  values.quantity = quantity_.Uniform(index, 1, 50);
  values.extended_price = values.quantity * RetailPriceCents(values.part_key);
  values.discount = discount_.Uniform(index, 0, 10);
  values.tax = tax_.Uniform(index, 0, 8);
  values.ship_date = order_date + static_cast<int32_t>(ship_delay_.Uniform(index, 1, 121));
  values.commit_date = order_date + static_cast<int32_t>(commit_delay_.Uniform(index, 30, 90));
  values.receipt_date =
      values.ship_date + static_cast<int32_t>(receipt_delay_.Uniform(index, 1, 30));
  // 4.2.3: returned ('R') or accepted ('A') at random once received by CURRENTDATE, else
  // not yet ('N'); open ('O') while shipped after CURRENTDATE, else fulfilled ('F').
  if (values.receipt_date <= kCurrentDate) {
    values.return_flag = return_flag_.Uniform(index, 0, 1) == 0 ? 'R' : 'A';
  } else {
    values.return_flag = 'N';
  }
  values.line_status = values.ship_date > kCurrentDate ? 'O' : 'F';
  return values;
}

OrderValues OrderModel::Generate(int64_t order_index) const {
  OrderValues order;
  order.order_key = OrderKeyOf(order_index);
  order.customer_key = DrawCustomer(order_index);
  // 4.2.3: O_ORDERDATE is uniform in [STARTDATE, ENDDATE - 151 days].
  order.order_date =
      static_cast<int32_t>(order_date_.Uniform(order_index, kStartDate, kEndDate - 151));
  order.num_lines = static_cast<int32_t>(line_count_.Uniform(order_index, 1, 7));
  int num_open = 0;
  for (int line = 0; line < order.num_lines; ++line) {
    LineValues& values = order.lines[static_cast<size_t>(line)];
    values = GenerateLine(order_index, line, order.order_date);
    const int64_t charge = values.extended_price * (100 + values.tax) * (100 - values.discount);
    order.total_price += (charge + 5000) / 10000;
    num_open += values.line_status == 'O' ? 1 : 0;
  }
  // 4.2.3: 'F' when every line is fulfilled, 'O' when every line is open, else 'P'.
  if (num_open == 0) {
    order.status = 'F';
  } else if (num_open == order.num_lines) {
    order.status = 'O';
  } else {
    order.status = 'P';
  }
  return order;
}

}  // namespace floe::cli::tpch
