// A CommitTableRequest comes from any client of the Iceberg REST catalog: its requirements and
// updates must fail with a Status on bad input, never crash, and leave valid metadata when they
// succeed; so must a commit that creates its table (assert-create).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include <nlohmann/json.hpp>

#include "common/check.h"
#include "server/http/iceberg_rest_commit.h"
#include "table/new_table.h"

namespace {

const floe::table::TableMetadata& BaseMetadata() {
  static const floe::table::TableMetadata metadata = [] {
    floe::table::NewTableOptions options;
    options.schema = *floe::table::SchemaFromJson(
        R"({"type":"struct","schema-id":0,"fields":[)"
        R"({"id":1,"name":"id","type":"long","required":true},)"
        R"({"id":2,"name":"name","type":"string","required":false}]})");
    options.location = "memory://warehouse/ns/t";
    return *floe::table::MakeNewTableMetadata(options);
  }();
  return metadata;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  nlohmann::json request = nlohmann::json::parse(input, nullptr, false);
  if (request.is_discarded() || !request.is_object()) {
    return 0;
  }
  floe::table::TableMetadata metadata = BaseMetadata();
  auto member = [&request](const char* key) {
    auto found = request.find(key);
    return found == request.end() ? nlohmann::json() : *found;
  };
  if (floe::server::http::HasAssertCreate(member("requirements"))) {
    floe::Result<floe::table::TableMetadata> created = floe::server::http::NewTableFromUpdates(
        member("requirements"), member("updates"), "memory://warehouse/ns/t");
    if (created.ok()) {
      FLOE_CHECK(created->Validate().ok());
    }
    return 0;
  }
  if (!floe::server::http::CheckTableRequirements(member("requirements"), metadata).ok()) {
    return 0;
  }
  if (floe::server::http::ApplyTableUpdates(member("updates"), metadata).ok()) {
    FLOE_CHECK(metadata.Validate().ok());
  }
  return 0;
}
