#include "cli/tpch/tables.h"

#include <string>
#include <utility>
#include <vector>

#include "types/logical_type.h"

namespace floe::cli::tpch {
namespace {

using types::LogicalType;
using vector::Field;
using vector::Schema;

constexpr std::array<std::string_view, 8> kTableNames = {
    "region", "nation", "supplier", "customer", "part", "partsupp", "orders", "lineitem",
};

// DECIMAL(15,2) always fits; the call cannot fail.
LogicalType Money() {
  return LogicalType::Decimal(15, 2).value();
}

std::shared_ptr<const Schema> MakeSchema(std::vector<std::pair<std::string, LogicalType>> columns) {
  std::vector<Field> fields;
  for (auto& [name, type] : columns) {
    fields.push_back(Field{std::move(name), std::move(type), false});
  }
  return std::make_shared<const Schema>(std::move(fields));
}

std::shared_ptr<const Schema> MakeTableSchema(TableId table) {
  const LogicalType key = LogicalType::BigInt();
  const LogicalType integer = LogicalType::Integer();
  const LogicalType text = LogicalType::Varchar();
  const LogicalType date = LogicalType::Date();
  switch (table) {
    case TableId::kRegion:
      return MakeSchema({{"r_regionkey", key}, {"r_name", text}, {"r_comment", text}});
    case TableId::kNation:
      return MakeSchema(
          {{"n_nationkey", key}, {"n_name", text}, {"n_regionkey", key}, {"n_comment", text}});
    case TableId::kSupplier:
      return MakeSchema({{"s_suppkey", key},
                         {"s_name", text},
                         {"s_address", text},
                         {"s_nationkey", key},
                         {"s_phone", text},
                         {"s_acctbal", Money()},
                         {"s_comment", text}});
    case TableId::kCustomer:
      return MakeSchema({{"c_custkey", key},
                         {"c_name", text},
                         {"c_address", text},
                         {"c_nationkey", key},
                         {"c_phone", text},
                         {"c_acctbal", Money()},
                         {"c_mktsegment", text},
                         {"c_comment", text}});
    case TableId::kPart:
      return MakeSchema({{"p_partkey", key},
                         {"p_name", text},
                         {"p_mfgr", text},
                         {"p_brand", text},
                         {"p_type", text},
                         {"p_size", integer},
                         {"p_container", text},
                         {"p_retailprice", Money()},
                         {"p_comment", text}});
    case TableId::kPartsupp:
      return MakeSchema({{"ps_partkey", key},
                         {"ps_suppkey", key},
                         {"ps_availqty", integer},
                         {"ps_supplycost", Money()},
                         {"ps_comment", text}});
    case TableId::kOrders:
      return MakeSchema({{"o_orderkey", key},
                         {"o_custkey", key},
                         {"o_orderstatus", text},
                         {"o_totalprice", Money()},
                         {"o_orderdate", date},
                         {"o_orderpriority", text},
                         {"o_clerk", text},
                         {"o_shippriority", integer},
                         {"o_comment", text}});
    case TableId::kLineitem:
      return MakeSchema({{"l_orderkey", key},
                         {"l_partkey", key},
                         {"l_suppkey", key},
                         {"l_linenumber", integer},
                         {"l_quantity", Money()},
                         {"l_extendedprice", Money()},
                         {"l_discount", Money()},
                         {"l_tax", Money()},
                         {"l_returnflag", text},
                         {"l_linestatus", text},
                         {"l_shipdate", date},
                         {"l_commitdate", date},
                         {"l_receiptdate", date},
                         {"l_shipinstruct", text},
                         {"l_shipmode", text},
                         {"l_comment", text}});
  }
  return MakeSchema({});
}

}  // namespace

std::string_view TableName(TableId table) {
  return kTableNames[static_cast<size_t>(table)];
}

Result<TableId> ParseTableName(std::string_view name) {
  for (TableId table : kAllTables) {
    if (TableName(table) == name) {
      return table;
    }
  }
  return Status::InvalidArgument(
      "unknown TPC-H table '{}' (expected region, nation, supplier, customer, part, partsupp, "
      "orders or lineitem)",
      name);
}

const std::shared_ptr<const vector::Schema>& TableSchema(TableId table) {
  static const std::array<std::shared_ptr<const Schema>, 8> schemas = [] {
    std::array<std::shared_ptr<const Schema>, 8> result;
    for (TableId id : kAllTables) {
      result[static_cast<size_t>(id)] = MakeTableSchema(id);
    }
    return result;
  }();
  return schemas[static_cast<size_t>(table)];
}

}  // namespace floe::cli::tpch
