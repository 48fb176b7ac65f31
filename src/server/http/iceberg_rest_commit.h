#pragma once

#include <nlohmann/json_fwd.hpp>

#include "common/result.h"
#include "table/table_metadata.h"

namespace floe::server::http {

/// Checks the `requirements` of an Iceberg REST CommitTableRequest against `metadata`, the
/// table's current version (docs/protocols/iceberg-rest.md). Conflict naming the requirement
/// when one does not hold; InvalidArgument for a malformed or unknown requirement.
Status CheckTableRequirements(const nlohmann::json& requirements,
                              const table::TableMetadata& metadata);

/// Applies the `updates` of a CommitTableRequest to `metadata` in order, then validates the
/// result. Errors: InvalidArgument for a malformed update or one that does not fit the table
/// (an unknown schema id, a spec that does not fit the schema, a format downgrade),
/// NotSupported for update actions Floe does not implement.
Status ApplyTableUpdates(const nlohmann::json& updates, table::TableMetadata& metadata);

}  // namespace floe::server::http
