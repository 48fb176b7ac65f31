#include "cli/tpch/dataset.h"

#include <algorithm>
#include <cmath>

#include "cli/tpch/generators_internal.h"

namespace floe::cli::tpch {
namespace {
constexpr uint64_t kTextPoolSeed = 0x7465787420706f6fULL;
constexpr int64_t kMinTextPoolBytes = int64_t{8} << 20;
}  // namespace

int64_t Dataset::DefaultTextPoolBytes(double scale_factor) {
  const auto scaled = static_cast<int64_t>(std::ceil(scale_factor * TextPool::kSpecBytes));
  return std::clamp(scaled, kMinTextPoolBytes, TextPool::kSpecBytes);
}

Result<Dataset> Dataset::Make(const DatasetOptions& options, TaskScheduler& scheduler) {
  FLOE_ASSIGN_OR_RETURN(Scale scale, Scale::Make(options.scale_factor));
  if (options.text_pool_bytes < 0) {
    return Status::InvalidArgument("text pool size must not be negative: {}",
                                   options.text_pool_bytes);
  }
  const int64_t pool_bytes = options.text_pool_bytes > 0
                                 ? options.text_pool_bytes
                                 : DefaultTextPoolBytes(options.scale_factor);
  FLOE_ASSIGN_OR_RETURN(TextPool pool, TextPool::Make(pool_bytes, kTextPoolSeed, scheduler));
  return Dataset(scale, std::move(pool));
}

std::unique_ptr<TableGenerator> Dataset::MakeGenerator(TableId table) const {
  switch (table) {
    case TableId::kRegion:
      return MakeRegionGenerator(*this);
    case TableId::kNation:
      return MakeNationGenerator(*this);
    case TableId::kSupplier:
      return MakeSupplierGenerator(*this);
    case TableId::kCustomer:
      return MakeCustomerGenerator(*this);
    case TableId::kPart:
      return MakePartGenerator(*this);
    case TableId::kPartsupp:
      return MakePartsuppGenerator(*this);
    case TableId::kOrders:
      return MakeOrdersGenerator(*this);
    case TableId::kLineitem:
      return MakeLineitemGenerator(*this);
  }
  return nullptr;
}

}  // namespace floe::cli::tpch
