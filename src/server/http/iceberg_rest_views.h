#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "common/result.h"
#include "table/view_metadata.h"

namespace floe::server::http {

/// Returns the metadata of a new view from an Iceberg REST CreateViewRequest (`schema`,
/// `view-version`, `properties`; `name` and `location` are the caller's): a fresh uuid, the
/// schema, and the version as version 1, current, logged at `now_ms`. The version's schema id
/// becomes the schema's. Errors: InvalidArgument for a malformed request.
Result<table::ViewMetadata> NewViewMetadata(const nlohmann::json& request, std::string location,
                                            int64_t now_ms);

/// Checks the `requirements` of a CommitViewRequest (only `assert-view-uuid` exists) against
/// the view's current metadata. Conflict when one does not hold; InvalidArgument for a
/// malformed or unknown requirement.
Status CheckViewRequirements(const nlohmann::json& requirements,
                             const table::ViewMetadata& metadata);

/// Applies the `updates` of a CommitViewRequest to `metadata` in order, trims old versions to
/// the `version.history.num-entries` property (10 by default; the current one stays), then
/// validates the result. Errors: InvalidArgument for a malformed update or one that does not
/// fit the view, NotSupported for other update actions.
Status ApplyViewUpdates(const nlohmann::json& updates, table::ViewMetadata& metadata,
                        int64_t now_ms);

}  // namespace floe::server::http
