#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

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

/// Returns whether `requirements` hold an `assert-create`: the commit creates the table (the
/// end of a staged create) rather than changing an existing one.
bool HasAssertCreate(const nlohmann::json& requirements);

/// Returns the metadata of a table created by a commit with `assert-create`: the `updates`
/// applied to empty metadata (format version: the one the first `upgrade-format-version` names,
/// else 2). The other requirements are checked against that empty metadata. A table uuid is
/// drawn when no `assign-uuid` gave one, the unpartitioned spec and the unsorted order are
/// added when the updates added none, and `location` is used when no `set-location` gave
/// one. Errors: those of CheckTableRequirements and ApplyTableUpdates (InvalidArgument when
/// the updates give no schema).
Result<table::TableMetadata> NewTableFromUpdates(const nlohmann::json& requirements,
                                                 const nlohmann::json& updates,
                                                 std::string_view location);

/// Shared by the table and view commit paths: the member `key` of an update object, which must
/// be present and not null (InvalidArgument naming `action` otherwise), as JSON, an integer
/// or a string.
Result<const nlohmann::json*> RequireMember(const nlohmann::json& object, std::string_view action,
                                            const char* key);
Result<int64_t> RequireLong(const nlohmann::json& object, std::string_view action, const char* key);
Result<std::string> RequireString(const nlohmann::json& object, std::string_view action,
                                  const char* key);

/// The set-properties and remove-properties updates of tables and views, applied to
/// `properties`. InvalidArgument for a malformed update.
Status ApplySetProperties(const nlohmann::json& update,
                          std::map<std::string, std::string>& properties);
Status ApplyRemoveProperties(const nlohmann::json& update,
                             std::map<std::string, std::string>& properties);

}  // namespace floe::server::http
