#pragma once

#include <cstdint>

#include "common/result.h"

namespace floe::cli::tpch {

/// The dates of TPC-H 4.2.2.12, in days since 1970-01-01.
inline constexpr int32_t kStartDate = 8035;    // 1992-01-01
inline constexpr int32_t kCurrentDate = 9298;  // 1995-06-17
inline constexpr int32_t kEndDate = 10591;     // 1998-12-31

/// The row counts of one scale factor (4.2.5) and the key ranges derived from them.
struct Scale {
  /// Smallest and largest scale factors accepted.
  static constexpr double kMinScaleFactor = 0.01;
  static constexpr double kMaxScaleFactor = 100000;

  double scale_factor = 1;
  int64_t parts = 0;      // SF * 200,000
  int64_t suppliers = 0;  // SF * 10,000
  int64_t customers = 0;  // SF * 150,000
  int64_t orders = 0;     // SF * 1,500,000
  int64_t clerks = 0;     // SF * 1,000, at least 1

  /// Returns the counts for `scale_factor`, rounded to whole rows, or InvalidArgument when it
  /// lies outside [kMinScaleFactor, kMaxScaleFactor] or when PS_SUPPKEY's formula would give
  /// some part the same supplier twice (a few small scale factors, such as 0.012).
  static Result<Scale> Make(double scale_factor);

  int64_t partsupps() const { return parts * 4; }
};

/// Returns O_ORDERKEY of the order at `order_index` (0-based). Keys are sparse (4.2.3): of every
/// 32 consecutive keys only the first 8 are used.
inline int64_t OrderKeyOf(int64_t order_index) {
  return (order_index / 8) * 32 + order_index % 8 + 1;
}

/// Returns P_RETAILPRICE of `part_key` in cents (4.2.3):
/// (90000 + ((P_PARTKEY / 10) modulo 20001) + 100 * (P_PARTKEY modulo 1000)) / 100.
inline int64_t RetailPriceCents(int64_t part_key) {
  return 90000 + (part_key / 10) % 20001 + 100 * (part_key % 1000);
}

/// Returns the key of supplier `choice` (0..3) of `part_key` (4.2.3 PS_SUPPKEY):
/// (ps_partkey + (i * ((S / 4) + (int)(ps_partkey - 1) / S))) modulo S + 1.
inline int64_t SupplierOfPart(int64_t part_key, int64_t choice, int64_t suppliers) {
  return (part_key + choice * (suppliers / 4 + (part_key - 1) / suppliers)) % suppliers + 1;
}

}  // namespace floe::cli::tpch
