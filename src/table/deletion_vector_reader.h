#pragma once

#include <cstdint>
#include <vector>

#include "common/result.h"
#include "io/fwd.h"
#include "table/data_file.h"

namespace floe::table {

/// Returns true when `file` is a v3 deletion vector: a position delete file in Puffin format.
bool IsDeletionVector(const DataFile& file);

/// Reads the deleted positions of the deletion vector `deletes` (spec: "Deletion Vectors"), in
/// ascending order, for the data file it references.
///
/// The blob is the content_size_in_bytes bytes at content_offset of the Puffin file. Without
/// them, a file starting with the Puffin magic is searched by its footer for the
/// deletion-vector-v1 blob whose referenced-data-file property names the data file, and any
/// other file is taken to be one bare blob. At most `max_positions` positions are decoded (the
/// data file's row count is the natural bound). Errors name the Puffin file: Corruption for a
/// range outside the file, a malformed blob, or a cardinality other than the delete file's
/// record_count; NotFound when a Puffin footer lists no matching blob; IOError from storage.
Result<std::vector<int64_t>> ReadDeletionVector(io::FileSystem& file_system,
                                                const DataFile& deletes, int64_t max_positions);

}  // namespace floe::table
