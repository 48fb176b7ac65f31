#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "common/memory_tracker.h"
#include "common/result.h"
#include "format/parquet/reader/column_reader.h"
#include "format/parquet/schema.h"
#include "vector/vector.h"

namespace floe::format::parquet {

/// Returns the definition level below which a leaf's level entries have no slot in its values:
/// the element level of the innermost LIST or MAP around it, 0 when there is none. Pass it as
/// ColumnReadOptions::slot_definition_level when reading the leaf for AssembleField.
int16_t SlotDefinitionLevel(const SchemaNode& field, int32_t leaf_index);

/// Builds the vector of one top-level field from its decoded leaves, following the record
/// shredding the spec describes (Dremel): repetition level 0 starts a row; a LIST or MAP row is
/// NULL below its definition level, empty below its element level, and gains an element at each
/// entry repeating at its level; a STRUCT row is NULL below its definition level.
///
/// `leaves` is indexed by column index and must hold, for every leaf of `field`, the result of
/// reading it with levels kept and its SlotDefinitionLevel. Corruption (prefixed with
/// `context`) when the leaves disagree on the shape of the data.
Result<vector::Vector> AssembleField(const SchemaNode& field, std::span<const LeafColumn> leaves,
                                     std::string_view context, MemoryTracker* tracker);

}  // namespace floe::format::parquet
