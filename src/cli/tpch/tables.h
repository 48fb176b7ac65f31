#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string_view>

#include "common/result.h"
#include "vector/schema.h"

namespace floe::cli::tpch {

/// The eight TPC-H tables (clause 1.4).
enum class TableId : uint8_t {
  kRegion,
  kNation,
  kSupplier,
  kCustomer,
  kPart,
  kPartsupp,
  kOrders,
  kLineitem,
};

inline constexpr std::array<TableId, 8> kAllTables = {
    TableId::kRegion, TableId::kNation,   TableId::kSupplier, TableId::kCustomer,
    TableId::kPart,   TableId::kPartsupp, TableId::kOrders,   TableId::kLineitem,
};

/// Returns the table's name in lower case, as files and SQL name it ("lineitem").
std::string_view TableName(TableId table);
/// Returns the table named `name` (lower case), or InvalidArgument listing the valid names.
Result<TableId> ParseTableName(std::string_view name);

/// Returns the schema of `table`: the standard column names (l_orderkey, ...), every column
/// NOT NULL. Keys are BIGINT (order keys pass 2^31 above SF 350), other integers INTEGER,
/// money, quantities, discounts and taxes DECIMAL(15,2), dates DATE, text VARCHAR.
const std::shared_ptr<const vector::Schema>& TableSchema(TableId table);

}  // namespace floe::cli::tpch
