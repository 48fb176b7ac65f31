#include "sql/engine/database.h"

#include <filesystem>
#include <system_error>

#include "common/config.h"
#include "io/object_storage_settings.h"
#include "sql/engine/session.h"

namespace floe::sql::engine {
namespace {

// The namespace unqualified names resolve in with the default search_path.
constexpr std::string_view kDefaultSchema = "public";

bool IsLocalPath(std::string_view location) {
  return location.find("://") == std::string_view::npos;
}

}  // namespace

Result<std::shared_ptr<Database>> Database::Open(const Settings& settings) {
  std::shared_ptr<Database> database(new Database(settings));
  if (IsLocalPath(settings.warehouse)) {
    std::error_code error;
    std::filesystem::create_directories(settings.warehouse, error);
    if (error) {
      return Status::IOError("cannot create the warehouse directory {}: {}", settings.warehouse,
                             error.message());
    }
  }
  FLOE_ASSIGN_OR_RETURN(database->metastore_, catalog::OpenMetastore(settings.metastore));
  database->file_systems_ = std::make_unique<io::FileSystemRegistry>();
  FLOE_RETURN_NOT_OK(io::ConfigureObjectStorage(*database->file_systems_, settings));
  database->scheduler_ = std::make_unique<TaskScheduler>(settings.threads);
  int64_t limit =
      settings.memory_limit > 0 ? settings.memory_limit : PhysicalMemoryBytes() / 10 * 8;
  database->memory_ = std::make_unique<MemoryTracker>("process", limit);
  if (settings.cache_memory > 0) {
    database->column_cache_ =
        std::make_unique<format::parquet::ColumnChunkCache>(settings.cache_memory);
  }
  catalog::Namespace schema = {std::string(kDefaultSchema)};
  FLOE_ASSIGN_OR_RETURN(bool exists, database->metastore_->NamespaceExists(schema));
  if (!exists) {
    Status created = database->metastore_->CreateNamespace(schema, {});
    // Another process may have created it at the same time.
    if (!created.ok() && created.code() != StatusCode::kAlreadyExists) {
      return created;
    }
  }
  return database;
}

Result<catalog::UserStore*> Database::users() {
  std::lock_guard<std::mutex> lock(users_mutex_);
  if (users_ == nullptr) {
    FLOE_ASSIGN_OR_RETURN(users_, catalog::UserStore::Open(settings_.metastore));
  }
  return users_.get();
}

Database::~Database() {
  if (scheduler_ != nullptr) {
    scheduler_->Shutdown();
  }
}

std::unique_ptr<Session> Database::Connect(std::string user) {
  return std::make_unique<Session>(shared_from_this(), std::move(user));
}

int64_t Database::query_memory_limit() const {
  if (settings_.query_memory_limit > 0) {
    return std::min(settings_.query_memory_limit, memory_->limit());
  }
  return memory_->limit();
}

std::string Database::temp_directory() const {
  if (!settings_.temp_directory.empty()) {
    return settings_.temp_directory;
  }
  if (IsLocalPath(settings_.warehouse)) {
    return (std::filesystem::path(settings_.warehouse) / ".tmp").string();
  }
  std::error_code error;
  std::filesystem::path system = std::filesystem::temp_directory_path(error);
  return ((error ? std::filesystem::path("/tmp") : system) / "floe").string();
}

}  // namespace floe::sql::engine
