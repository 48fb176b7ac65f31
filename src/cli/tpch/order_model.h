#pragma once

#include <array>
#include <cstdint>

#include "cli/tpch/random.h"
#include "cli/tpch/scale.h"

namespace floe::cli::tpch {

/// The values of one LINEITEM row that other columns or ORDERS depend on. Money in cents,
/// discount and tax in hundredths, dates in days since 1970-01-01.
struct LineValues {
  int64_t part_key = 0;
  int64_t supplier_key = 0;
  int64_t quantity = 0;  // Whole units, 1..50.
  int64_t extended_price = 0;
  int64_t discount = 0;  // 0..10
  int64_t tax = 0;       // 0..8
  int32_t ship_date = 0;
  int32_t commit_date = 0;
  int32_t receipt_date = 0;
  char return_flag = 'N';
  char line_status = 'O';
};

/// The values of one ORDERS row computed from its lines.
struct OrderValues {
  int64_t order_key = 0;
  int64_t customer_key = 0;
  int32_t order_date = 0;
  int32_t num_lines = 0;
  std::array<LineValues, 7> lines;
  int64_t total_price = 0;  // Cents.
  char status = 'O';
};

/// The random streams of ORDERS and LINEITEM. Order streams are indexed by the order's index,
/// line streams by LineIndex().
enum class OrderStream : uint64_t {
  kCustomer = 1,
  kOrderDate,
  kLineCount,
  kPriority,
  kClerk,
  kOrderComment,
  kPart,
  kSupplierChoice,
  kQuantity,
  kDiscount,
  kTax,
  kShipDelay,
  kCommitDelay,
  kReceiptDelay,
  kReturnFlag,
  kInstruction,
  kShipMode,
  kLineComment,
};

/// Returns the stream `stream` of the order tables.
RandomStream OrderRandom(OrderStream stream);

/// Returns the index that line `line` (0..6) of order `order_index` draws with.
inline int64_t LineIndex(int64_t order_index, int line) {
  return order_index * 8 + line;
}

/// Computes orders and their lines by the rules of 4.2.3, so that the ORDERS and LINEITEM
/// generators agree without sharing state. Immutable; thread-safe.
class OrderModel {
 public:
  explicit OrderModel(const Scale& scale);

  /// Returns order `order_index` (0-based, below Scale::orders) with its lines.
  ///
  /// O_TOTALPRICE is the sum over the lines of L_EXTENDEDPRICE * (1 + L_TAX) * (1 - L_DISCOUNT),
  /// each line's charge rounded half up to the cent before summing.
  OrderValues Generate(int64_t order_index) const;

 private:
  LineValues GenerateLine(int64_t order_index, int line, int32_t order_date) const;
  int64_t DrawCustomer(int64_t order_index) const;

  Scale scale_;
  RandomStream customer_;
  RandomStream order_date_;
  RandomStream line_count_;
  RandomStream part_;
  RandomStream supplier_choice_;
  RandomStream quantity_;
  RandomStream discount_;
  RandomStream tax_;
  RandomStream ship_delay_;
  RandomStream commit_delay_;
  RandomStream receipt_delay_;
  RandomStream return_flag_;
};

}  // namespace floe::cli::tpch
