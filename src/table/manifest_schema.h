#pragma once

#include "common/result.h"
#include "format/avro/avro_schema.h"
#include "table/schema.h"

namespace floe::table {

/// Returns the Avro schema of a partition tuple of `partition_type` (a struct as
/// PartitionSpec::PartitionType gives): record "r102" with one optional field per partition
/// field, carrying the partition field id as "field-id" and the Avro form of its type from the
/// spec's Appendix A (dates as int/date, timestamps as long/timestamp-micros, decimals as
/// fixed/decimal, UUIDs as fixed[16]/uuid). NotSupported for nested or v3-only types.
Result<format::avro::AvroSchema> PartitionAvroSchema(const Type& partition_type);

/// Returns the Avro schema of manifest entries ("manifest_entry") for format version 1 or 2,
/// with the spec's field names, field ids and field order (spec: "Manifests").
format::avro::AvroSchema ManifestEntryAvroSchema(int format_version,
                                                 const format::avro::AvroSchema& partition);

/// Returns the Avro schema of manifest list entries ("manifest_file") for version 1 or 2.
format::avro::AvroSchema ManifestFileAvroSchema(int format_version);

}  // namespace floe::table
