#pragma once

#include <functional>
#include <span>
#include <string>
#include <string_view>

#include "common/result.h"
#include "server/sql_service.h"
#include "vector/batch.h"

namespace floe::server::http {

/// Encodes a result in the Arrow IPC streaming format (Arrow columnar format, "Serialization and
/// Interprocess Communication"): a Schema message, a RecordBatch message per batch, then the
/// end-of-stream marker. Metadata is FlatBuffers written by hand (flatbuffer_builder.h); the
/// mapping of Floe types to Arrow types is in docs/protocols/http.md. Buffers of flat vectors
/// go out as they are; dictionary and constant vectors are flattened first. Not thread-safe.
class ArrowIpcWriter {
 public:
  /// Receives the stream's bytes in order; an error stops the writer.
  using Sink = std::function<Status(std::string_view bytes)>;

  explicit ArrowIpcWriter(Sink sink) : sink_(std::move(sink)) {}

  /// Writes the Schema message; call once, first.
  Status WriteSchema(std::span<const ColumnInfo> columns);
  /// Writes one RecordBatch message. Fails with OutOfRange when an INTERVAL's microseconds do
  /// not fit Arrow's 64-bit nanoseconds, ResourceExhausted when flattening runs out of memory.
  Status WriteBatch(const vector::Batch& batch);
  /// Writes the end-of-stream marker.
  Status WriteEnd();

 private:
  Sink sink_;
};

/// Returns the encapsulated Schema message for `columns`: continuation marker, metadata length,
/// the FlatBuffers Message, padding to 8 bytes.
std::string EncodeArrowSchemaMessage(std::span<const ColumnInfo> columns);

}  // namespace floe::server::http
