#include "cli/tpch/scale.h"

#include <algorithm>
#include <cmath>

namespace floe::cli::tpch {
namespace {

// PS_SUPPKEY's formula steps through the suppliers by S / 4 + (partkey - 1) / S; when some
// multiple of that step up to three is a multiple of S, two of a part's four suppliers
// coincide and PARTSUPP's key repeats. Large S never hits it; some small ones do.
bool HasFourSuppliersPerPart(const Scale& scale) {
  const int64_t largest_quotient = (scale.parts - 1) / scale.suppliers;
  for (int64_t quotient = 0; quotient <= largest_quotient; ++quotient) {
    const int64_t step = scale.suppliers / 4 + quotient;
    for (int64_t multiple = 1; multiple <= 3; ++multiple) {
      if ((step * multiple) % scale.suppliers == 0) {
        return false;
      }
    }
  }
  return true;
}

}  // namespace

Result<Scale> Scale::Make(double scale_factor) {
  if (!(scale_factor >= kMinScaleFactor && scale_factor <= kMaxScaleFactor)) {
    return Status::InvalidArgument("TPC-H scale factor must lie in [{}, {}]: {}", kMinScaleFactor,
                                   kMaxScaleFactor, scale_factor);
  }
  const auto rows = [scale_factor](double per_unit) {
    return static_cast<int64_t>(std::llround(scale_factor * per_unit));
  };
  Scale scale;
  scale.scale_factor = scale_factor;
  scale.parts = rows(200'000);
  scale.suppliers = rows(10'000);
  scale.customers = rows(150'000);
  scale.orders = rows(1'500'000);
  scale.clerks = std::max<int64_t>(1, rows(1'000));
  if (!HasFourSuppliersPerPart(scale)) {
    return Status::InvalidArgument(
        "TPC-H scale factor {} gives some parts the same supplier twice; choose another",
        scale_factor);
  }
  return scale;
}

}  // namespace floe::cli::tpch
