#include "server/http/iceberg_rest_catalog.h"

#include <cctype>
#include <filesystem>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <stdlib.h>

#include "catalog/metastore.h"
#include "catalog/user_store.h"
#include "common/logging.h"
#include "io/local/local_file_system.h"
#include "raw_client.h"
#include "server/metrics.h"
#include "table/table.h"

namespace floe::server::http {
namespace {

using Json = nlohmann::json;
using test::RawClient;

struct Reply {
  int status = 0;
  std::string head;
  Json body;
};

constexpr const char* kSchema = R"({"type": "struct", "schema-id": 0, "fields": [
    {"id": 1, "name": "id", "type": "long", "required": true},
    {"id": 2, "name": "name", "type": "string", "required": false}]})";

// A real catalog over a SQLite metastore and a local warehouse in a temporary folder, served by
// a real HTTP server on loopback.
class IcebergRestCatalogTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { Logger::Configure(LogLevel::kWarn, LogFormat::kText); }

  void SetUp() override {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "floe-iceberg-rest-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    folder_ = pattern;
    warehouse_ = folder_ + "/warehouse";
    std::filesystem::create_directories(warehouse_);
    std::string uri = "sqlite:" + folder_ + "/floe.db";
    Result<std::unique_ptr<catalog::Metastore>> metastore = catalog::OpenMetastore(uri);
    ASSERT_TRUE(metastore.ok()) << metastore.status().ToString();
    metastore_ = std::move(metastore).value();
    Result<std::unique_ptr<catalog::UserStore>> users = catalog::UserStore::Open(uri);
    ASSERT_TRUE(users.ok()) << users.status().ToString();
    users_ = std::move(users).value();
    file_system_ = std::make_shared<io::LocalFileSystem>();
  }

  void TearDown() override {
    if (server_ != nullptr) {
      server_->Shutdown(std::chrono::milliseconds(0));
    }
    std::filesystem::remove_all(folder_);
  }

  void Start(bool trust) {
    catalog_ = std::make_unique<IcebergRestCatalog>(IcebergRestOptions{.trust_loopback = trust},
                                                    *metastore_, file_system_, warehouse_,
                                                    users_.get(), metrics_);
    HttpRouter router;
    catalog_->AddRoutes(router);
    HttpServerOptions options;
    options.tcp.port = 0;
    Result<std::unique_ptr<HttpServer>> started =
        HttpServer::Start(std::move(options), std::move(router), metrics_);
    ASSERT_TRUE(started.ok()) << started.status().ToString();
    server_ = std::move(started).value();
  }

  Reply Request(std::string_view method, std::string_view target, std::string_view body = "",
                std::string_view headers = "") {
    RawClient client(server_->port());
    client.Send(fmt::format(
        "{} {} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n{}Content-Length: {}\r\n\r\n{}",
        method, target, headers, body.size(), body));
    std::string text = client.ReadAll();
    Reply reply;
    size_t end = text.find("\r\n\r\n");
    reply.head = text.substr(0, end);
    if (text.size() > 12) {
      reply.status = std::atoi(text.substr(9, 3).c_str());
    }
    if (end != std::string::npos && end + 4 < text.size()) {
      reply.body = Json::parse(text.substr(end + 4), nullptr, false);
    }
    return reply;
  }

  Reply Post(std::string_view target, const Json& body, std::string_view headers = "") {
    return Request("POST", target, body.dump(), headers);
  }

  void CreateNamespace(const Json& levels) {
    Reply reply = Post("/v1/namespaces", {{"namespace", levels}});
    ASSERT_EQ(reply.status, 200) << reply.body.dump();
  }

  Reply CreateTable(std::string_view namespace_path, std::string_view name) {
    return Post(fmt::format("/v1/namespaces/{}/tables", namespace_path),
                {{"name", name}, {"schema", Json::parse(kSchema)}});
  }

  std::string folder_;
  std::string warehouse_;
  std::unique_ptr<catalog::Metastore> metastore_;
  std::unique_ptr<catalog::UserStore> users_;
  std::shared_ptr<io::FileSystem> file_system_;
  ServerMetrics metrics_;
  std::unique_ptr<IcebergRestCatalog> catalog_;
  std::unique_ptr<HttpServer> server_;
};

TEST_F(IcebergRestCatalogTest, ServesConfig) {
  Start(true);
  Reply reply = Request("GET", "/v1/config");
  ASSERT_EQ(reply.status, 200);
  EXPECT_TRUE(reply.body["defaults"].is_object());
  EXPECT_TRUE(reply.body["overrides"].is_object());
  EXPECT_NE(reply.body["endpoints"].dump().find("POST /v1/{prefix}/tables/rename"),
            std::string::npos);
}

TEST_F(IcebergRestCatalogTest, CreatesListsLoadsAndDropsNamespaces) {
  Start(true);
  Reply created =
      Post("/v1/namespaces", {{"namespace", {"sales"}}, {"properties", {{"owner", "ada"}}}});
  ASSERT_EQ(created.status, 200) << created.body.dump();
  EXPECT_EQ(created.body["namespace"], Json({"sales"}));
  EXPECT_EQ(created.body["properties"]["owner"], "ada");
  CreateNamespace({"sales", "eu"});
  EXPECT_EQ(Post("/v1/namespaces", {{"namespace", {"sales"}}}).body["error"]["type"],
            "AlreadyExistsException");

  Reply top = Request("GET", "/v1/namespaces");
  ASSERT_EQ(top.status, 200);
  EXPECT_EQ(top.body["namespaces"], Json::array({Json({"sales"})}));
  Reply children = Request("GET", "/v1/namespaces?parent=sales");
  EXPECT_EQ(children.body["namespaces"], Json::array({Json({"sales", "eu"})}));
  Reply nested = Request("GET", "/v1/namespaces/sales%1Feu");
  ASSERT_EQ(nested.status, 200) << nested.body.dump();
  EXPECT_EQ(nested.body["namespace"], Json({"sales", "eu"}));
  EXPECT_EQ(Request("HEAD", "/v1/namespaces/sales%1Feu").status, 204);
  EXPECT_EQ(Request("HEAD", "/v1/namespaces/nothing").status, 404);

  Reply not_empty = Request("DELETE", "/v1/namespaces/sales");
  EXPECT_EQ(not_empty.status, 409);
  EXPECT_EQ(not_empty.body["error"]["type"], "NamespaceNotEmptyException");
  EXPECT_EQ(Request("DELETE", "/v1/namespaces/sales%1Feu").status, 204);
  EXPECT_EQ(Request("DELETE", "/v1/namespaces/sales").status, 204);
  Reply missing = Request("GET", "/v1/namespaces/sales");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.body["error"]["type"], "NoSuchNamespaceException");
  EXPECT_EQ(missing.body["error"]["code"], 404);
}

TEST_F(IcebergRestCatalogTest, UpdatesNamespaceProperties) {
  Start(true);
  Post("/v1/namespaces", {{"namespace", {"ns"}}, {"properties", {{"a", "1"}, {"b", "2"}}}});
  Reply reply =
      Post("/v1/namespaces/ns/properties", {{"removals", {"a", "zzz"}}, {"updates", {{"c", "3"}}}});
  ASSERT_EQ(reply.status, 200) << reply.body.dump();
  EXPECT_EQ(reply.body["updated"], Json({"c"}));
  EXPECT_EQ(reply.body["removed"], Json({"a"}));
  EXPECT_EQ(reply.body["missing"], Json({"zzz"}));
  EXPECT_EQ(Request("GET", "/v1/namespaces/ns").body["properties"], Json({{"b", "2"}, {"c", "3"}}));
  Reply both =
      Post("/v1/namespaces/ns/properties", {{"removals", {"b"}}, {"updates", {{"b", "x"}}}});
  EXPECT_EQ(both.status, 422);
}

TEST_F(IcebergRestCatalogTest, CreatesLoadsListsAndDropsTables) {
  Start(true);
  CreateNamespace({"ns"});
  Reply created = CreateTable("ns", "events");
  ASSERT_EQ(created.status, 200) << created.body.dump();
  std::string location = created.body["metadata-location"];
  EXPECT_TRUE(location.starts_with(warehouse_ + "/ns/events/metadata/")) << location;
  EXPECT_EQ(created.body["metadata"]["format-version"], 2);
  EXPECT_TRUE(created.body["config"].is_object());
  EXPECT_EQ(CreateTable("ns", "events").status, 409);
  Reply no_namespace = CreateTable("other", "t");
  EXPECT_EQ(no_namespace.body["error"]["type"], "NoSuchNamespaceException");

  // The table is the metastore's: what the SQL engine reads.
  Result<catalog::TableEntry> entry = metastore_->LoadTable({{"ns"}, "events"});
  ASSERT_TRUE(entry.ok());
  EXPECT_EQ(entry->metadata_location, location);

  Reply loaded = Request("GET", "/v1/namespaces/ns/tables/events");
  ASSERT_EQ(loaded.status, 200);
  EXPECT_EQ(loaded.body["metadata"]["schemas"][0]["fields"][1]["name"], "name");
  Reply listed = Request("GET", "/v1/namespaces/ns/tables");
  EXPECT_EQ(listed.body["identifiers"], Json::parse(R"([{"namespace":["ns"],"name":"events"}])"));
  EXPECT_EQ(Request("HEAD", "/v1/namespaces/ns/tables/events").status, 204);

  EXPECT_EQ(Request("DELETE", "/v1/namespaces/ns/tables/events?purgeRequested=true").status, 204);
  EXPECT_FALSE(std::filesystem::exists(location));
  Reply gone = Request("GET", "/v1/namespaces/ns/tables/events");
  EXPECT_EQ(gone.status, 404);
  EXPECT_EQ(gone.body["error"]["type"], "NoSuchTableException");
}

TEST_F(IcebergRestCatalogTest, CreatesTablesWithSpecOrderAndProperties) {
  Start(true);
  CreateNamespace({"ns"});
  Json request = {
      {"name", "t"},
      {"schema", Json::parse(kSchema)},
      {"partition-spec",
       {{"fields", {{{"source-id", 1}, {"name", "id_bucket"}, {"transform", "bucket[4]"}}}}}},
      {"write-order",
       {{"order-id", 1},
        {"fields",
         {{{"source-id", 2},
           {"transform", "identity"},
           {"direction", "asc"},
           {"null-order", "nulls-first"}}}}}},
      {"properties", {{"format-version", "1"}, {"owner", "ada"}}}};
  Reply reply = Post("/v1/namespaces/ns/tables", request);
  ASSERT_EQ(reply.status, 200) << reply.body.dump();
  const Json& metadata = reply.body["metadata"];
  EXPECT_EQ(metadata["format-version"], 1);
  EXPECT_EQ(metadata["properties"], Json({{"owner", "ada"}}));
  EXPECT_EQ(metadata["partition-specs"][0]["fields"][0]["transform"], "bucket[4]");
  EXPECT_EQ(metadata["default-sort-order-id"], 1);

  Json staged = {{"name", "s"}, {"schema", Json::parse(kSchema)}, {"stage-create", "yes"}};
  EXPECT_EQ(Post("/v1/namespaces/ns/tables", staged).status, 400);
  Json outside = {{"name", "o"}, {"schema", Json::parse(kSchema)}, {"location", "/tmp/elsewhere"}};
  EXPECT_EQ(Post("/v1/namespaces/ns/tables", outside).status, 403);
}

TEST_F(IcebergRestCatalogTest, CommitsUpdatesWhenRequirementsHold) {
  Start(true);
  CreateNamespace({"ns"});
  Reply created = CreateTable("ns", "t");
  ASSERT_EQ(created.status, 200);
  std::string uuid = created.body["metadata"]["table-uuid"];
  Json schema = Json::parse(kSchema);
  schema["fields"].push_back(
      {{"id", 3}, {"name", "score"}, {"type", "double"}, {"required", false}});
  Json commit = {
      {"requirements",
       {{{"type", "assert-table-uuid"}, {"uuid", uuid}},
        {{"type", "assert-current-schema-id"}, {"current-schema-id", 0}},
        {{"type", "assert-last-assigned-field-id"}, {"last-assigned-field-id", 2}},
        {{"type", "assert-ref-snapshot-id"}, {"ref", "main"}, {"snapshot-id", nullptr}}}},
      {"updates",
       {{{"action", "add-schema"}, {"schema", schema}, {"last-column-id", 3}},
        {{"action", "set-current-schema"}, {"schema-id", -1}},
        {{"action", "set-properties"}, {"updates", {{"k", "v"}}}}}}};
  Reply committed = Post("/v1/namespaces/ns/tables/t", commit);
  ASSERT_EQ(committed.status, 200) << committed.body.dump();
  EXPECT_EQ(committed.body["metadata"]["current-schema-id"], 1);
  EXPECT_EQ(committed.body["metadata"]["last-column-id"], 3);
  EXPECT_EQ(committed.body["metadata"]["properties"]["k"], "v");
  EXPECT_NE(committed.body["metadata-location"], created.body["metadata-location"]);
  EXPECT_EQ(metastore_->LoadTable({{"ns"}, "t"})->metadata_location,
            committed.body["metadata-location"]);

  // The same requirements no longer hold: the schema changed.
  Reply stale = Post("/v1/namespaces/ns/tables/t", commit);
  EXPECT_EQ(stale.status, 409);
  EXPECT_EQ(stale.body["error"]["type"], "CommitFailedException");
  EXPECT_EQ(metastore_->LoadTable({{"ns"}, "t"})->metadata_location,
            committed.body["metadata-location"]);

  Json removal = {{"requirements", Json::array()},
                  {"updates", {{{"action", "remove-properties"}, {"removals", {"k"}}}}}};
  Reply removed = Post("/v1/namespaces/ns/tables/t", removal);
  ASSERT_EQ(removed.status, 200);
  EXPECT_FALSE(removed.body["metadata"]["properties"].contains("k"));
}

TEST_F(IcebergRestCatalogTest, CommitsSpecsSortOrdersAndSnapshots) {
  Start(true);
  CreateNamespace({"ns"});
  ASSERT_EQ(CreateTable("ns", "t").status, 200);
  Json snapshot = {{"snapshot-id", 42},
                   {"sequence-number", 1},
                   {"timestamp-ms", 1700000000000},
                   {"manifest-list", warehouse_ + "/ns/t/metadata/snap-42.avro"},
                   {"summary", {{"operation", "append"}}},
                   {"schema-id", 0}};
  Json commit = {
      {"requirements",
       {{{"type", "assert-default-spec-id"}, {"default-spec-id", 0}},
        {{"type", "assert-last-assigned-partition-id"}, {"last-assigned-partition-id", 999}},
        {{"type", "assert-default-sort-order-id"}, {"default-sort-order-id", 0}}}},
      {"updates",
       {{{"action", "add-spec"},
         {"spec",
          {{"fields",
            {{{"source-id", 1}, {"field-id", 1000}, {"name", "b"}, {"transform", "bucket[8]"}}}}}}},
        {{"action", "set-default-spec"}, {"spec-id", -1}},
        {{"action", "add-sort-order"},
         {"sort-order",
          {{"order-id", 5},
           {"fields",
            {{{"source-id", 1},
              {"transform", "identity"},
              {"direction", "desc"},
              {"null-order", "nulls-last"}}}}}}},
        {{"action", "set-default-sort-order"}, {"sort-order-id", -1}},
        {{"action", "add-snapshot"}, {"snapshot", snapshot}},
        {{"action", "set-snapshot-ref"},
         {"ref-name", "main"},
         {"type", "branch"},
         {"snapshot-id", 42}},
        {{"action", "set-snapshot-ref"},
         {"ref-name", "v1"},
         {"type", "tag"},
         {"snapshot-id", 42}}}}};
  Reply reply = Post("/v1/namespaces/ns/tables/t", commit);
  ASSERT_EQ(reply.status, 200) << reply.body.dump();
  const Json& metadata = reply.body["metadata"];
  EXPECT_EQ(metadata["default-spec-id"], 1);
  EXPECT_EQ(metadata["last-partition-id"], 1000);
  EXPECT_EQ(metadata["default-sort-order-id"], 1);
  EXPECT_EQ(metadata["current-snapshot-id"], 42);
  EXPECT_EQ(metadata["last-sequence-number"], 1);
  EXPECT_EQ(metadata["refs"]["v1"]["type"], "tag");

  Json drop_tag = {{"requirements",
                    {{{"type", "assert-ref-snapshot-id"}, {"ref", "main"}, {"snapshot-id", 42}}}},
                   {"updates", {{{"action", "remove-snapshot-ref"}, {"ref-name", "v1"}}}}};
  Reply dropped = Post("/v1/namespaces/ns/tables/t", drop_tag);
  ASSERT_EQ(dropped.status, 200) << dropped.body.dump();
  EXPECT_FALSE(dropped.body["metadata"]["refs"].contains("v1"));
  Reply stale = Post("/v1/namespaces/ns/tables/t",
                     {{"requirements",
                       {{{"type", "assert-ref-snapshot-id"}, {"ref", "main"}, {"snapshot-id", 7}}}},
                      {"updates", Json::array()}});
  EXPECT_EQ(stale.status, 409);
}

TEST_F(IcebergRestCatalogTest, RejectsBadCommits) {
  Start(true);
  CreateNamespace({"ns"});
  ASSERT_EQ(CreateTable("ns", "t").status, 200);
  auto commit = [&](const Json& updates) {
    return Post("/v1/namespaces/ns/tables/t",
                {{"requirements", Json::array()}, {"updates", updates}});
  };
  EXPECT_EQ(commit({{{"action", "set-current-schema"}, {"schema-id", 9}}}).status, 400);
  EXPECT_EQ(commit({{{"action", "upgrade-format-version"}, {"format-version", 1}}}).status, 400);
  EXPECT_EQ(commit({{{"action", "set-location"}, {"location", "/etc"}}}).status, 403);
  EXPECT_EQ(commit({{{"action", "no-such-action"}}}).status, 406);
  EXPECT_EQ(commit({{{"action", "set-properties"}, {"updates", {{"k", 1}}}}}).status, 400);
  Reply create =
      Post("/v1/namespaces/ns/tables/t",
           {{"requirements", {{{"type", "assert-create"}}}}, {"updates", Json::array()}});
  EXPECT_EQ(create.status, 409);
  Reply malformed = Request("POST", "/v1/namespaces/ns/tables/t", "{not json");
  EXPECT_EQ(malformed.status, 400);
  EXPECT_EQ(malformed.body["error"]["type"], "BadRequestException");
  EXPECT_EQ(
      Request("POST", "/v1/namespaces/ns/tables/missing", R"({"requirements": [], "updates": []})")
          .status,
      404);
}

// What Java's and PyIceberg's create transactions send to commit a staged table: its whole
// metadata as updates.
Json CreateUpdates(const Json& staged) {
  return {{{"action", "assign-uuid"}, {"uuid", staged["table-uuid"]}},
          {{"action", "upgrade-format-version"}, {"format-version", staged["format-version"]}},
          {{"action", "add-schema"},
           {"schema", staged["schemas"][0]},
           {"last-column-id", staged["last-column-id"]}},
          {{"action", "set-current-schema"}, {"schema-id", -1}},
          {{"action", "add-spec"}, {"spec", staged["partition-specs"][0]}},
          {{"action", "set-default-spec"}, {"spec-id", -1}},
          {{"action", "add-sort-order"}, {"sort-order", staged["sort-orders"][0]}},
          {{"action", "set-default-sort-order"}, {"sort-order-id", -1}},
          {{"action", "set-location"}, {"location", staged["location"]}},
          {{"action", "set-properties"}, {"updates", staged["properties"]}}};
}

Json AssertCreate() {
  return Json::array({{{"type", "assert-create"}}});
}

TEST_F(IcebergRestCatalogTest, StagesCreatesAndCommitsThem) {
  Start(true);
  CreateNamespace({"ns"});
  Reply staged = Post("/v1/namespaces/ns/tables", {{"name", "s"},
                                                   {"schema", Json::parse(kSchema)},
                                                   {"properties", {{"owner", "ada"}}},
                                                   {"stage-create", true}});
  ASSERT_EQ(staged.status, 200) << staged.body.dump();
  EXPECT_TRUE(staged.body["metadata-location"].is_null());
  const Json& metadata = staged.body["metadata"];
  EXPECT_EQ(metadata["location"], warehouse_ + "/ns/s");
  EXPECT_EQ(metadata["format-version"], 2);
  EXPECT_EQ(metadata["properties"], Json({{"owner", "ada"}}));
  EXPECT_EQ(metadata.value("current-snapshot-id", int64_t{-1}), -1);
  EXPECT_TRUE(metadata.value("snapshots", Json::array()).empty());
  // Nothing is kept: no metastore entry, no file.
  EXPECT_EQ(Request("HEAD", "/v1/namespaces/ns/tables/s").status, 404);
  EXPECT_TRUE(Request("GET", "/v1/namespaces/ns/tables").body["identifiers"].empty());
  EXPECT_FALSE(std::filesystem::exists(warehouse_ + "/ns/s"));

  Json snapshot = {{"snapshot-id", 7},
                   {"sequence-number", 1},
                   {"timestamp-ms", 1700000000000},
                   {"manifest-list", warehouse_ + "/ns/s/metadata/snap-7.avro"},
                   {"summary", {{"operation", "append"}}},
                   {"schema-id", 0}};
  Json updates = CreateUpdates(metadata);
  updates.push_back({{"action", "add-snapshot"}, {"snapshot", snapshot}});
  updates.push_back({{"action", "set-snapshot-ref"},
                     {"ref-name", "main"},
                     {"type", "branch"},
                     {"snapshot-id", 7}});
  Json commit = {{"identifier", {{"namespace", {"ns"}}, {"name", "s"}}},
                 {"requirements", AssertCreate()},
                 {"updates", updates}};
  Reply created = Post("/v1/namespaces/ns/tables/s", commit);
  ASSERT_EQ(created.status, 200) << created.body.dump();
  std::string location = created.body["metadata-location"];
  EXPECT_TRUE(location.starts_with(warehouse_ + "/ns/s/metadata/00000-")) << location;
  EXPECT_EQ(created.body["metadata"]["table-uuid"], metadata["table-uuid"]);
  EXPECT_EQ(created.body["metadata"]["current-snapshot-id"], 7);
  Reply loaded = Request("GET", "/v1/namespaces/ns/tables/s");
  ASSERT_EQ(loaded.status, 200);
  EXPECT_EQ(loaded.body["metadata-location"], location);
  EXPECT_EQ(loaded.body["metadata"]["properties"]["owner"], "ada");
  EXPECT_EQ(loaded.body["metadata"]["schemas"], metadata["schemas"]);

  // The table exists now: staging or creating it again fails.
  Reply again = Post("/v1/namespaces/ns/tables/s", commit);
  EXPECT_EQ(again.status, 409);
  EXPECT_EQ(again.body["error"]["type"], "CommitFailedException");
  Reply restaged = Post("/v1/namespaces/ns/tables",
                        {{"name", "s"}, {"schema", Json::parse(kSchema)}, {"stage-create", true}});
  EXPECT_EQ(restaged.status, 409);
  EXPECT_EQ(restaged.body["error"]["type"], "AlreadyExistsException");
  // Without assert-create, a commit needs the table.
  Reply missing = Post("/v1/namespaces/ns/tables/nothing",
                       {{"requirements", Json::array()}, {"updates", CreateUpdates(metadata)}});
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.body["error"]["type"], "NoSuchTableException");
}

TEST_F(IcebergRestCatalogTest, CreatesTablesByCommit) {
  Start(true);
  CreateNamespace({"ns"});
  Json schema = Json::parse(kSchema);
  // The bare minimum: a schema; uuid, location, spec and order are filled in.
  Reply minimal = Post("/v1/namespaces/ns/tables/m",
                       {{"requirements", AssertCreate()},
                        {"updates", {{{"action", "add-schema"}, {"schema", schema}}}}});
  ASSERT_EQ(minimal.status, 200) << minimal.body.dump();
  EXPECT_EQ(minimal.body["metadata"]["format-version"], 2);
  EXPECT_EQ(minimal.body["metadata"]["location"], warehouse_ + "/ns/m");
  EXPECT_EQ(minimal.body["metadata"]["table-uuid"].get<std::string>().size(), 36u);
  EXPECT_EQ(minimal.body["metadata"]["default-spec-id"], 0);
  EXPECT_EQ(minimal.body["metadata"]["last-partition-id"], 999);

  Reply v1 = Post("/v1/namespaces/ns/tables/old",
                  {{"requirements", AssertCreate()},
                   {"updates",
                    {{{"action", "upgrade-format-version"}, {"format-version", 1}},
                     {{"action", "add-schema"}, {"schema", schema}}}}});
  ASSERT_EQ(v1.status, 200) << v1.body.dump();
  EXPECT_EQ(v1.body["metadata"]["format-version"], 1);

  Reply no_schema =
      Post("/v1/namespaces/ns/tables/x",
           {{"requirements", AssertCreate()},
            {"updates", {{{"action", "set-properties"}, {"updates", {{"a", "b"}}}}}}});
  EXPECT_EQ(no_schema.status, 400);
  Reply outside = Post("/v1/namespaces/ns/tables/x",
                       {{"requirements", AssertCreate()},
                        {"updates",
                         {{{"action", "add-schema"}, {"schema", schema}},
                          {{"action", "set-location"}, {"location", "/tmp/elsewhere"}}}}});
  EXPECT_EQ(outside.status, 403);
  Reply other_requirement =
      Post("/v1/namespaces/ns/tables/x",
           {{"requirements",
             {{{"type", "assert-create"}}, {{"type", "assert-table-uuid"}, {"uuid", "u"}}}},
            {"updates", {{{"action", "add-schema"}, {"schema", schema}}}}});
  EXPECT_EQ(other_requirement.status, 409);
  EXPECT_EQ(Request("HEAD", "/v1/namespaces/ns/tables/x").status, 404);
  Reply no_namespace = Post("/v1/namespaces/none/tables/x",
                            {{"requirements", AssertCreate()},
                             {"updates", {{{"action", "add-schema"}, {"schema", schema}}}}});
  EXPECT_EQ(no_namespace.body["error"]["type"], "NoSuchNamespaceException");
}

TEST_F(IcebergRestCatalogTest, CreatesTablesInTransactions) {
  Start(true);
  CreateNamespace({"ns"});
  ASSERT_EQ(CreateTable("ns", "a").status, 200);
  Json schema = Json::parse(kSchema);
  auto create = [&](std::string_view name) {
    return Json{{"identifier", {{"namespace", {"ns"}}, {"name", name}}},
                {"requirements", AssertCreate()},
                {"updates", {{{"action", "add-schema"}, {"schema", schema}}}}};
  };
  Json change_a = {{"identifier", {{"namespace", {"ns"}}, {"name", "a"}}},
                   {"requirements", Json::array()},
                   {"updates", {{{"action", "set-properties"}, {"updates", {{"k", "1"}}}}}}};
  Reply done = Post("/v1/transactions/commit", {{"table-changes", {change_a, create("b")}}});
  ASSERT_EQ(done.status, 204) << done.body.dump();
  EXPECT_EQ(Request("GET", "/v1/namespaces/ns/tables/a").body["metadata"]["properties"]["k"], "1");
  EXPECT_EQ(Request("HEAD", "/v1/namespaces/ns/tables/b").status, 204);

  // b exists now: the transaction fails as a whole, c is not created.
  Reply failed = Post("/v1/transactions/commit", {{"table-changes", {create("c"), create("b")}}});
  EXPECT_EQ(failed.status, 409);
  EXPECT_EQ(failed.body["error"]["type"], "CommitFailedException");
  EXPECT_EQ(Request("HEAD", "/v1/namespaces/ns/tables/c").status, 404);
  Json missing = {{"identifier", {{"namespace", {"ns"}}, {"name", "d"}}},
                  {"requirements", Json::array()},
                  {"updates", Json::array()}};
  EXPECT_EQ(Post("/v1/transactions/commit", {{"table-changes", {missing}}}).status, 404);
}

TEST_F(IcebergRestCatalogTest, RenamesAndRegistersTables) {
  Start(true);
  CreateNamespace({"a"});
  CreateNamespace({"b"});
  Reply created = CreateTable("a", "t");
  ASSERT_EQ(created.status, 200);
  Json rename = {{"source", {{"namespace", {"a"}}, {"name", "t"}}},
                 {"destination", {{"namespace", {"b"}}, {"name", "u"}}}};
  EXPECT_EQ(Post("/v1/tables/rename", rename).status, 204);
  EXPECT_EQ(Request("HEAD", "/v1/namespaces/a/tables/t").status, 404);
  EXPECT_EQ(Request("HEAD", "/v1/namespaces/b/tables/u").status, 204);
  EXPECT_EQ(Post("/v1/tables/rename", rename).status, 404);

  Json registration = {{"name", "copy"}, {"metadata-location", created.body["metadata-location"]}};
  Reply registered = Post("/v1/namespaces/a/register", registration);
  ASSERT_EQ(registered.status, 200) << registered.body.dump();
  EXPECT_EQ(registered.body["metadata"]["table-uuid"], created.body["metadata"]["table-uuid"]);
  EXPECT_EQ(Post("/v1/namespaces/a/register", registration).status, 409);
  Json missing = {{"name", "x"}, {"metadata-location", warehouse_ + "/nothing.metadata.json"}};
  EXPECT_EQ(Post("/v1/namespaces/a/register", missing).status, 400);
}

TEST_F(IcebergRestCatalogTest, CommitsTransactionsAcrossTables) {
  Start(true);
  CreateNamespace({"ns"});
  ASSERT_EQ(CreateTable("ns", "a").status, 200);
  ASSERT_EQ(CreateTable("ns", "b").status, 200);
  auto change = [](std::string_view name, int64_t schema_id, std::string_view value) {
    return Json{{"identifier", {{"namespace", {"ns"}}, {"name", name}}},
                {"requirements",
                 {{{"type", "assert-current-schema-id"}, {"current-schema-id", schema_id}}}},
                {"updates", {{{"action", "set-properties"}, {"updates", {{"k", value}}}}}}};
  };
  Reply done = Post("/v1/transactions/commit",
                    {{"table-changes", {change("a", 0, "1"), change("b", 0, "1")}}});
  ASSERT_EQ(done.status, 204) << done.body.dump();
  EXPECT_EQ(Request("GET", "/v1/namespaces/ns/tables/a").body["metadata"]["properties"]["k"], "1");
  EXPECT_EQ(Request("GET", "/v1/namespaces/ns/tables/b").body["metadata"]["properties"]["k"], "1");

  // The second table's requirement fails: neither table changes.
  std::string a_location = metastore_->LoadTable({{"ns"}, "a"})->metadata_location;
  Reply failed = Post("/v1/transactions/commit",
                      {{"table-changes", {change("a", 0, "2"), change("b", 5, "2")}}});
  EXPECT_EQ(failed.status, 409);
  EXPECT_EQ(failed.body["error"]["type"], "CommitFailedException");
  EXPECT_EQ(metastore_->LoadTable({{"ns"}, "a"})->metadata_location, a_location);
  EXPECT_EQ(Request("GET", "/v1/namespaces/ns/tables/a").body["metadata"]["properties"]["k"], "1");
  Reply twice = Post("/v1/transactions/commit",
                     {{"table-changes", {change("a", 0, "3"), change("a", 0, "4")}}});
  EXPECT_EQ(twice.status, 400);
  EXPECT_EQ(Post("/v1/transactions/commit", {{"table-changes", Json::array()}}).status, 400);
  size_t files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(warehouse_ + "/ns/a/metadata")) {
    files += entry.is_regular_file() ? 1 : 0;
  }
  EXPECT_EQ(files, 2u);  // Created and committed once; failed attempts left nothing.
}

TEST_F(IcebergRestCatalogTest, AcceptsAPrefixSegment) {
  Start(true);
  CreateNamespace({"ns"});
  EXPECT_EQ(Request("GET", "/v1/main/namespaces/ns").status, 200);
  EXPECT_EQ(Request("GET", "http://localhost/v1/namespaces/ns").status, 200);
  EXPECT_EQ(Request("GET", "/v1/namespaces/n%ZZ").status, 400);
  EXPECT_EQ(Request("GET", "/v1/nothing-here").status, 404);
}

TEST_F(IcebergRestCatalogTest, IssuesAndChecksBearerTokens) {
  ASSERT_TRUE(users_->CreateUser("alice", "s3cret").ok());
  Start(false);
  Reply anonymous = Request("GET", "/v1/config");
  EXPECT_EQ(anonymous.status, 401);
  EXPECT_EQ(anonymous.body["error"]["type"], "NotAuthorizedException");
  Reply wrong = Request("POST", "/v1/oauth/tokens",
                        "grant_type=client_credentials&client_id=alice&client_secret=nope",
                        "Content-Type: application/x-www-form-urlencoded\r\n");
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(wrong.body["error"], "invalid_client");
  Reply granted = Request("POST", "/v1/oauth/tokens",
                          "grant_type=client_credentials&client_id=alice&client_secret=s3cret"
                          "&scope=catalog",
                          "Content-Type: application/x-www-form-urlencoded\r\n");
  ASSERT_EQ(granted.status, 200) << granted.body.dump();
  EXPECT_EQ(granted.body["token_type"], "bearer");
  std::string token = granted.body["access_token"];
  EXPECT_EQ(Request("GET", "/v1/config", "", "Authorization: Bearer " + token + "\r\n").status,
            200);
  std::string forged = token;
  forged[0] = forged[0] == 'A' ? 'B' : 'A';
  EXPECT_EQ(Request("GET", "/v1/config", "", "Authorization: Bearer " + forged + "\r\n").status,
            401);
  EXPECT_TRUE(catalog_->VerifyToken(token).ok());
  EXPECT_EQ(*catalog_->VerifyToken(token), "alice");
}

std::string FormEncode(std::string_view text) {
  std::string encoded;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      encoded += static_cast<char>(c);
    } else {
      encoded += fmt::format("%{:02X}", c);
    }
  }
  return encoded;
}

std::string ExchangeForm(std::string_view subject_token,
                         std::string_view type = "urn:ietf:params:oauth:token-type:access_token") {
  return fmt::format(
      "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Atoken-exchange"
      "&subject_token={}&subject_token_type={}&scope=catalog",
      FormEncode(subject_token), FormEncode(type));
}

TEST_F(IcebergRestCatalogTest, RefreshesTokensByTokenExchange) {
  ASSERT_TRUE(users_->CreateUser("alice", "s3cret").ok());
  Start(false);
  constexpr const char* kForm = "Content-Type: application/x-www-form-urlencoded\r\n";
  std::string token = catalog_->IssueToken("alice");
  Reply refreshed = Request("POST", "/v1/oauth/tokens", ExchangeForm(token),
                            std::string(kForm) + "Authorization: Bearer " + token + "\r\n");
  ASSERT_EQ(refreshed.status, 200) << refreshed.body.dump();
  EXPECT_EQ(refreshed.body["token_type"], "bearer");
  EXPECT_EQ(refreshed.body["expires_in"], 3600);
  EXPECT_EQ(refreshed.body["issued_token_type"], "urn:ietf:params:oauth:token-type:access_token");
  std::string fresh = refreshed.body["access_token"];
  EXPECT_EQ(*catalog_->VerifyToken(fresh), "alice");
  EXPECT_EQ(Request("GET", "/v1/config", "", "Authorization: Bearer " + fresh + "\r\n").status,
            200);

  Reply garbage = Request("POST", "/v1/oauth/tokens", ExchangeForm("garbage"), kForm);
  EXPECT_EQ(garbage.status, 400);
  EXPECT_EQ(garbage.body["error"], "invalid_request");
  EXPECT_TRUE(garbage.body["error_description"].is_string());
  Reply jwt = Request("POST", "/v1/oauth/tokens",
                      ExchangeForm(token, "urn:ietf:params:oauth:token-type:jwt"), kForm);
  EXPECT_EQ(jwt.status, 400);
  EXPECT_EQ(jwt.body["error"], "invalid_request");
  Reply bad_actor = Request("POST", "/v1/oauth/tokens",
                            ExchangeForm(token) + "&actor_token=x&actor_token_type=" +
                                FormEncode("urn:ietf:params:oauth:token-type:access_token"),
                            kForm);
  EXPECT_EQ(bad_actor.status, 400);
  Reply unknown = Request("POST", "/v1/oauth/tokens", "grant_type=password", kForm);
  EXPECT_EQ(unknown.status, 400);
  EXPECT_EQ(unknown.body["error"], "unsupported_grant_type");

  // A dropped user's token still authenticates until it expires, but is not refreshed.
  ASSERT_TRUE(users_->DropUser("alice").ok());
  Reply dropped = Request("POST", "/v1/oauth/tokens", ExchangeForm(fresh), kForm);
  EXPECT_EQ(dropped.status, 400);
  EXPECT_EQ(dropped.body["error"], "invalid_request");
}

TEST_F(IcebergRestCatalogTest, RejectsExpiredTokens) {
  catalog_ = std::make_unique<IcebergRestCatalog>(
      IcebergRestOptions{.token_lifetime = std::chrono::seconds(-1)}, *metastore_, file_system_,
      warehouse_, users_.get(), metrics_);
  Result<std::string> user = catalog_->VerifyToken(catalog_->IssueToken("alice"));
  EXPECT_EQ(user.status().code(), StatusCode::kUnauthenticated);
}

// Views.

Json ViewVersion(std::string_view sql, std::string_view dialect, int schema_id = 0) {
  return {{"version-id", 1},
          {"timestamp-ms", 1700000000000},
          {"schema-id", schema_id},
          {"summary", Json::object()},
          {"representations", {{{"type", "sql"}, {"sql", sql}, {"dialect", dialect}}}},
          {"default-namespace", {"sales"}}};
}

Json AddVersion(std::string_view sql, int schema_id = -1) {
  return {{"action", "add-view-version"}, {"view-version", ViewVersion(sql, "floe", schema_id)}};
}

TEST_F(IcebergRestCatalogTest, CreatesLoadsAndReplacesViews) {
  Start(true);
  CreateNamespace({"sales"});
  Reply created =
      Post("/v1/namespaces/sales/views", {{"name", "recent"},
                                          {"schema", Json::parse(kSchema)},
                                          {"view-version", ViewVersion("SELECT 1", "floe")}});
  ASSERT_EQ(created.status, 200) << created.body.dump();
  std::string uuid = created.body["metadata"]["view-uuid"];
  std::string first_location = created.body["metadata-location"];
  EXPECT_TRUE(first_location.starts_with(warehouse_ + "/sales/recent/metadata/00001-"));
  EXPECT_EQ(created.body["metadata"]["versions"][0]["version-id"], 1);

  // -1 names what the same request added; an equal schema reuses its id.
  Json updates = {{{"action", "add-schema"}, {"schema", Json::parse(kSchema)}},
                  AddVersion("SELECT 2"),
                  {{"action", "set-current-view-version"}, {"view-version-id", -1}}};
  Reply replaced = Post(
      "/v1/namespaces/sales/views/recent",
      {{"requirements", {{{"type", "assert-view-uuid"}, {"uuid", uuid}}}}, {"updates", updates}});
  ASSERT_EQ(replaced.status, 200) << replaced.body.dump();
  EXPECT_EQ(replaced.body["metadata"]["current-version-id"], 2);
  EXPECT_EQ(replaced.body["metadata"]["schemas"].size(), 1u);
  EXPECT_EQ(replaced.body["metadata"]["versions"][1]["schema-id"], 0);
  EXPECT_EQ(Request("GET", "/v1/namespaces/sales/views/recent").body["metadata-location"],
            replaced.body["metadata-location"]);

  // Re-adding the first definition makes version 1 current again instead of adding a third.
  Reply back = Post("/v1/namespaces/sales/views/recent",
                    {{"updates",
                      {AddVersion("SELECT 1", 0),
                       {{"action", "set-current-view-version"}, {"view-version-id", -1}}}}});
  ASSERT_EQ(back.status, 200) << back.body.dump();
  EXPECT_EQ(back.body["metadata"]["current-version-id"], 1);
  EXPECT_EQ(back.body["metadata"]["versions"].size(), 2u);
  EXPECT_EQ(back.body["metadata"]["version-log"].size(), 3u);

  // The newest versions up to version.history.num-entries stay, and the current one.
  Reply trimmed =
      Post("/v1/namespaces/sales/views/recent",
           {{"updates",
             {{{"action", "set-properties"}, {"updates", {{"version.history.num-entries", "1"}}}},
              AddVersion("SELECT 3", 0)}}});
  ASSERT_EQ(trimmed.status, 200) << trimmed.body.dump();
  Json kept = Json::array();
  for (const Json& version : trimmed.body["metadata"]["versions"]) {
    kept.push_back(version["version-id"]);
  }
  EXPECT_EQ(kept, Json({1, 3}));
}

TEST_F(IcebergRestCatalogTest, RejectsBadViewCommits) {
  Start(true);
  CreateNamespace({"sales"});
  ASSERT_EQ(Post("/v1/namespaces/sales/views", {{"name", "recent"},
                                                {"schema", Json::parse(kSchema)},
                                                {"view-version", ViewVersion("SELECT 1", "floe")}})
                .status,
            200);
  auto commit = [&](const Json& updates, const Json& requirements = Json::array()) {
    return Post("/v1/namespaces/sales/views/recent",
                {{"requirements", requirements}, {"updates", updates}});
  };
  Reply stale = commit(Json::array(), {{{"type", "assert-view-uuid"}, {"uuid", "other"}}});
  EXPECT_EQ(stale.status, 409);
  EXPECT_EQ(stale.body["error"]["type"], "CommitFailedException");
  EXPECT_EQ(commit(Json::array(), {{{"type", "assert-table-uuid"}, {"uuid", "x"}}}).status, 400);
  EXPECT_EQ(commit({AddVersion("SELECT 2")}).status, 400);  // -1 without an added schema.
  EXPECT_EQ(commit({AddVersion("SELECT 2", 7)}).status, 400);
  EXPECT_EQ(commit({{{"action", "assign-uuid"}, {"uuid", "other"}}}).status, 400);
  EXPECT_EQ(commit({{{"action", "upgrade-format-version"}, {"format-version", 2}}}).status, 400);
  EXPECT_EQ(commit({{{"action", "set-current-view-version"}, {"view-version-id", -1}}}).status,
            400);
  EXPECT_EQ(commit({{{"action", "set-properties"}, {"updates", {{"a", 1}}}}}).status, 400);
  EXPECT_EQ(commit({{{"action", "set-location"}, {"location", "/elsewhere"}}}).status, 403);
  Reply unsupported = commit({{{"action", "remove-schemas"}, {"schema-ids", {0}}}});
  EXPECT_EQ(unsupported.status, 406);
  EXPECT_EQ(unsupported.body["error"]["type"], "UnsupportedOperationException");
  EXPECT_EQ(Post("/v1/namespaces/sales/views/recent", {{"updates", "none"}}).status, 400);
  // Nothing above changed the view.
  Reply loaded = Request("GET", "/v1/namespaces/sales/views/recent");
  EXPECT_EQ(loaded.body["metadata"]["versions"].size(), 1u);
  EXPECT_TRUE(loaded.body["metadata"]["properties"].empty());
}

TEST_F(IcebergRestCatalogTest, RefusesToDescribeSqlViewsWithoutAnEngine) {
  Start(true);
  CreateNamespace({"sales"});
  ASSERT_TRUE(metastore_->CreateView({{"sales"}, "by_sql"}, {.sql = "SELECT 1"}).ok());
  EXPECT_EQ(Request("HEAD", "/v1/namespaces/sales/views/by_sql").status, 204);
  Reply loaded = Request("GET", "/v1/namespaces/sales/views/by_sql");
  EXPECT_EQ(loaded.status, 406);
  EXPECT_NE(loaded.body["error"]["message"].get<std::string>().find("defined by SQL only"),
            std::string::npos);
}

}  // namespace
}  // namespace floe::server::http
