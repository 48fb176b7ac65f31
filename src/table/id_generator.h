#pragma once

#include <cstdint>
#include <string>

namespace floe::table {

/// Returns a random (version 4) UUID in its 8-4-4-4-12 text form, for table uuids and the
/// names of metadata, manifest and data files. Thread-safe.
std::string NewUuid();

/// Returns a random positive snapshot id, as other Iceberg writers make them. Thread-safe.
int64_t NewSnapshotId();

/// Returns the milliseconds since the epoch now.
int64_t NowMillis();

}  // namespace floe::table
