#include "server/http/async_queries.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <set>
#include <system_error>

#include <fcntl.h>
#include <openssl/rand.h>
#include <sys/file.h>
#include <unistd.h>

#include "common/logging.h"
#include "server/http/result_writer.h"
#include "server/metrics.h"
#include "vector/selection_vector.h"

namespace floe::server::http {
namespace {

namespace fs = std::filesystem;
using SystemClock = std::chrono::system_clock;
using SteadyClock = std::chrono::steady_clock;

constexpr size_t kMaxLoggedSql = 300;
constexpr std::string_view kResultSuffix = ".result";
constexpr std::string_view kPartialSuffix = ".result.part";
constexpr std::string_view kLockFile = "lock";
constexpr size_t kIdLength = 32;
constexpr std::chrono::seconds kMaxSweepInterval{60};
// PostgreSQL's admin_shutdown: what a session sees when the server stops under it.
constexpr std::string_view kShutdownSqlState = "57P01";

std::string_view StateName(AsyncQueryState state) {
  switch (state) {
    case AsyncQueryState::kQueued:
      return "queued";
    case AsyncQueryState::kRunning:
      return "running";
    case AsyncQueryState::kSucceeded:
      return "succeeded";
    case AsyncQueryState::kFailed:
      return "failed";
    case AsyncQueryState::kCancelled:
      return "cancelled";
  }
  return "unknown";
}

bool IsFinished(std::string_view state) {
  return state == "succeeded" || state == "failed" || state == "cancelled";
}

std::string NewQueryId() {
  unsigned char random[kIdLength / 2];
  RAND_bytes(random, sizeof(random));
  std::string id;
  for (unsigned char byte : random) {
    id += fmt::format("{:02x}", byte);
  }
  return id;
}

// Ids name files: anything but what NewQueryId() makes is unknown, never a path.
bool IsQueryId(std::string_view text) {
  return text.size() == kIdLength && std::all_of(text.begin(), text.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

int64_t NowMillis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             SystemClock::now().time_since_epoch())
      .count();
}

// RFC 3339 in UTC with milliseconds, quoted.
std::string TimeText(int64_t millis) {
  std::time_t seconds = static_cast<std::time_t>(millis / 1000);
  std::tm parts{};
  gmtime_r(&seconds, &parts);
  return fmt::format("\"{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z\"", parts.tm_year + 1900,
                     parts.tm_mon + 1, parts.tm_mday, parts.tm_hour, parts.tm_min, parts.tm_sec,
                     millis % 1000);
}

std::string ColumnsJson(const std::vector<ColumnInfo>& columns) {
  std::string text = "[";
  for (size_t index = 0; index < columns.size(); ++index) {
    text +=
        fmt::format("{}{{\"name\":{},\"type\":{}}}", index == 0 ? "" : ",",
                    JsonString(columns[index].name), JsonString(columns[index].type.ToString()));
  }
  return text + "]";
}

std::string Abbreviate(std::string_view sql) {
  std::string text(sql.substr(0, kMaxLoggedSql));
  std::replace(text.begin(), text.end(), '\n', ' ');
  return sql.size() > kMaxLoggedSql ? text + "..." : text;
}

Status UnknownQuery(std::string_view id) {
  return Status::NotFound("no query {}: unknown, expired or deleted", id.substr(0, 64));
}

// Returns the bytes of the file it removed, 0 when there was none.
int64_t RemoveFile(const fs::path& path) {
  std::error_code error;
  auto size = fs::file_size(path, error);
  if (error) {
    return 0;
  }
  return fs::remove(path, error) ? static_cast<int64_t>(size) : 0;
}

// Returns a descriptor holding an exclusive lock on `path`, or -1 when another process holds
// it (or it cannot be opened). The lock lasts while the descriptor is open, and ends with the
// process however it ends.
int TryLock(const fs::path& path) {
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) {
    return -1;
  }
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

std::string DescribeRecord(const AsyncQueryRecord& record, std::string_view base_path) {
  std::string url = fmt::format("{}/{}", base_path, record.id);
  std::string text =
      fmt::format("{{\"id\":\"{}\",\"state\":\"{}\",\"status_url\":{},\"submitted_at\":{}",
                  record.id, record.state, JsonString(url), TimeText(record.submitted_at_ms));
  bool is_finished = IsFinished(record.state);
  if (record.state != "queued") {
    text += fmt::format(",\"started_at\":{}", TimeText(record.started_at_ms));
    int64_t end = is_finished ? record.finished_at_ms : NowMillis();
    text += fmt::format(",\"elapsed_ms\":{}", std::max<int64_t>(end - record.started_at_ms, 0));
  }
  if (is_finished) {
    text += fmt::format(",\"finished_at\":{},\"expires_at\":{}", TimeText(record.finished_at_ms),
                        TimeText(record.expires_at_ms));
  }
  text += fmt::format(",\"row_count\":{}", record.row_count);
  if (record.state == "succeeded") {
    text += fmt::format(
        ",\"command_tag\":{},\"columns\":{},\"results_url\":{}", JsonString(record.command_tag),
        record.columns_json.empty() ? "[]" : record.columns_json, JsonString(url + "/results"));
  }
  if (!record.error_code.empty()) {
    text += fmt::format(",\"error\":{{\"code\":{},\"sqlstate\":{},\"message\":{}}}",
                        JsonString(record.error_code), JsonString(record.error_sqlstate),
                        JsonString(record.error_message));
  }
  text += "}\n";
  return text;
}

}  // namespace

std::string AsyncResultDirectoryOf(const Settings& settings) {
  if (!settings.http_async_result_directory.empty()) {
    return settings.http_async_result_directory;
  }
  std::string_view warehouse = settings.warehouse;
  if (warehouse.starts_with("file://")) {
    warehouse.remove_prefix(7);
  }
  if (warehouse.find("://") == std::string_view::npos) {
    return (fs::path(warehouse) / ".floe" / "async").string();
  }
  std::error_code error;
  fs::path temporary = fs::temp_directory_path(error);
  return (error ? fs::path("floe-async") : temporary / "floe-async").string();
}

struct AsyncQueries::Query {
  std::string id;
  std::string user;
  std::string sql;
  std::vector<types::Value> parameters;
  std::unique_ptr<SqlSession> session;  // Until the query finishes.
  AsyncQueryState state = AsyncQueryState::kQueued;
  bool is_cancel_requested = false;
  int64_t submitted_at_ms = 0;
  int64_t started_at_ms = 0;
  int64_t finished_at_ms = 0;
  int64_t expires_at_ms = 0;
  int64_t rows = 0;
  // Counted in used_bytes_: the blocks written while running, the file once succeeded.
  int64_t reserved_bytes = 0;
  Status error;
  std::string command_tag;
  std::string columns_json;
};

AsyncQueries::AsyncQueries(AsyncQueryOptions options, ServerMetrics& metrics)
    : options_(std::move(options)), metrics_(metrics) {
  char host[256] = {};
  if (::gethostname(host, sizeof(host) - 1) == 0) {
    server_host_ = host;
  }
  int workers = std::max(options_.workers, 1);
  for (int index = 0; index < workers; ++index) {
    workers_.emplace_back([this] { Work(); });
  }
  sweeper_ = std::thread([this] { SweepPeriodically(); });
}

AsyncQueries::~AsyncQueries() {
  {
    std::lock_guard lock(mutex_);
    is_stopping_ = true;
    for (auto& [id, query] : queries_) {
      if (query->state == AsyncQueryState::kRunning) {
        query->is_cancel_requested = true;
        query->session->Cancel();
      }
    }
  }
  wake_.notify_all();
  sweep_wake_.notify_all();
  for (std::thread& worker : workers_) {
    worker.join();
  }
  sweeper_.join();
  // The workers are gone: what is still queued never ran. Its record says so, rather than
  // "queued" for ever.
  int64_t now = NowMillis();
  for (Query* query : queue_) {
    query->state = AsyncQueryState::kFailed;
    query->error = Status::Unavailable(
                       "the server shut down before query {} started; submit it "
                       "again",
                       query->id)
                       .WithSqlState(kShutdownSqlState);
    query->started_at_ms = query->finished_at_ms = now;
    query->expires_at_ms = now + options_.result_ttl.count() * 1000;
    if (store_ != nullptr) {
      Persist(RecordOf(*query));
    }
  }
  for (auto& [id, query] : queries_) {
    if (query->session != nullptr) {
      metrics_.AddSession(Protocol::kHttp, -1);
    }
  }
  if (is_private_folder_) {
    std::error_code error;
    fs::remove_all(folder_, error);
  }
  if (lock_fd_ >= 0) {
    ::close(lock_fd_);
  }
}

Status AsyncQueries::Open() {
  std::lock_guard lock(open_mutex_);
  if (!is_opened_) {
    is_opened_ = true;
    open_status_ = OpenOnce();
  }
  return open_status_;
}

Status AsyncQueries::OpenOnce() {
  FLOE_RETURN_NOT_OK(TakeResultFolder());
  if (!options_.metastore.empty()) {
    FLOE_ASSIGN_OR_RETURN(store_, AsyncQueryStore::Open(options_.metastore));
    int64_t now = NowMillis();
    FLOE_ASSIGN_OR_RETURN(
        int64_t interrupted,
        store_->FailUnfinished(server_id_, StatusCodeName(StatusCode::kUnavailable),
                               kShutdownSqlState,
                               "the server restarted before the query finished; submit it again",
                               now, now + options_.result_ttl.count() * 1000));
    if (interrupted > 0) {
      FLOE_LOG_WARN("asynchronous queries interrupted by a restart marked failed",
                    {"queries", interrupted}, {"server_id", server_id_});
    }
  }
  SweepDisk(/*is_startup=*/true);
  FLOE_LOG_INFO("asynchronous query results", {"folder", folder_}, {"server_id", server_id_},
                {"bytes", used_bytes()}, {"durable", store_ != nullptr});
  return Status::OK();
}

Status AsyncQueries::TakeResultFolder() {
  std::error_code error;
  if (options_.result_directory.empty()) {
    fs::path temporary = fs::temp_directory_path(error);
    if (error) {
      return Status::IOError("no temporary folder for asynchronous results: {}", error.message());
    }
    std::string pattern = (temporary / "floe-async-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) {
      return Status::IOError("cannot create {}: {}", pattern, std::strerror(errno));
    }
    folder_ = pattern;
    server_id_ = NewQueryId();
    is_private_folder_ = true;
    return Status::OK();
  }
  fs::path root(options_.result_directory);
  fs::create_directories(root, error);
  if (error) {
    return Status::IOError("cannot create the folder of asynchronous results {}: {}", root.string(),
                           error.message());
  }
  // Each server takes a subfolder of its own, locked while it runs. A subfolder nobody holds is
  // an earlier run's (this server before a restart): taking it keeps its results and records.
  std::vector<std::string> candidates;
  fs::directory_iterator entry(root, error);
  for (; !error && entry != fs::directory_iterator(); entry.increment(error)) {
    std::string name = entry->path().filename().string();
    std::error_code type_error;
    if (IsQueryId(name) && entry->is_directory(type_error)) {
      candidates.push_back(std::move(name));
    }
  }
  if (error) {
    return Status::IOError("cannot list {}: {}", root.string(), error.message());
  }
  std::sort(candidates.begin(), candidates.end());
  for (const std::string& candidate : candidates) {
    int fd = TryLock(root / candidate / kLockFile);
    if (fd >= 0) {
      lock_fd_ = fd;
      server_id_ = candidate;
      folder_ = (root / candidate).string();
      return Status::OK();
    }
  }
  std::string id = NewQueryId();
  fs::create_directories(root / id, error);
  lock_fd_ = error ? -1 : TryLock(root / id / kLockFile);
  if (lock_fd_ < 0) {
    return Status::IOError("cannot create and lock the result folder {}: {}", (root / id).string(),
                           error ? error.message() : std::string(std::strerror(errno)));
  }
  server_id_ = id;
  folder_ = (root / id).string();
  return Status::OK();
}

std::string AsyncQueries::ResultPath(const std::string& id) const {
  return fmt::format("{}/{}{}", folder_, id, kResultSuffix);
}

AsyncQueryRecord AsyncQueries::RecordOf(const Query& query) const {
  AsyncQueryRecord record;
  record.id = query.id;
  record.user = query.user;
  record.sql = query.sql;
  record.state = std::string(StateName(query.state));
  record.server_id = server_id_;
  record.server_host = server_host_;
  if (!query.error.ok()) {
    record.error_code = std::string(StatusCodeName(query.error.code()));
    record.error_sqlstate = std::string(query.error.sql_state());
    record.error_message = query.error.message();
  }
  record.command_tag = query.command_tag;
  record.columns_json = query.columns_json;
  record.row_count = query.rows;
  record.result_bytes = query.state == AsyncQueryState::kSucceeded ? query.reserved_bytes : 0;
  record.submitted_at_ms = query.submitted_at_ms;
  record.started_at_ms = query.started_at_ms;
  record.finished_at_ms = query.finished_at_ms;
  record.expires_at_ms = query.expires_at_ms;
  return record;
}

bool AsyncQueries::Persist(const AsyncQueryRecord& record) {
  Result<bool> updated = store_->Update(record);
  if (updated.ok() && *updated) {
    return true;
  }
  FLOE_LOG_WARN("cannot store the record of an asynchronous query; kept in memory only",
                {"query_id", record.id}, {"state", record.state},
                {"error", updated.ok() ? "the record is gone" : updated.status().ToString()});
  return false;
}

Result<std::string> AsyncQueries::Submit(const std::string& user,
                                         std::unique_ptr<SqlSession> session, std::string sql,
                                         std::vector<types::Value> parameters) {
  FLOE_RETURN_NOT_OK(Open());
  auto query = std::make_unique<Query>();
  query->id = NewQueryId();
  query->user = user;
  query->sql = std::move(sql);
  query->parameters = std::move(parameters);
  query->session = std::move(session);
  query->submitted_at_ms = NowMillis();
  std::string id = query->id;
  AsyncQueryRecord record;
  {
    std::lock_guard lock(mutex_);
    SweepExpired();
    if (is_stopping_) {
      return Status::Unavailable("the server is shutting down");
    }
    if (queries_.size() >= options_.max_queries) {
      return Status::ResourceExhausted(
          "too many asynchronous queries ({}): fetch and delete finished ones first",
          queries_.size());
    }
    record = RecordOf(*query);
  }
  if (store_ != nullptr) {
    FLOE_RETURN_NOT_OK(store_->Insert(record));
  }
  {
    std::lock_guard lock(mutex_);
    metrics_.AddSession(Protocol::kHttp, 1);
    queue_.push_back(query.get());
    queries_.emplace(id, std::move(query));
  }
  wake_.notify_one();
  return id;
}

void AsyncQueries::Work() {
  std::unique_lock lock(mutex_);
  while (true) {
    wake_.wait(lock, [this] { return is_stopping_ || !queue_.empty(); });
    if (is_stopping_) {
      return;
    }
    Query* query = queue_.front();
    queue_.pop_front();
    query->state = AsyncQueryState::kRunning;
    query->started_at_ms = NowMillis();
    AsyncQueryRecord record = RecordOf(*query);
    lock.unlock();
    if (store_ != nullptr) {
      Persist(record);
    }
    Run(*query);
    lock.lock();
  }
}

void AsyncQueries::Run(Query& query) {
  auto started = SteadyClock::now();
  std::vector<ColumnInfo> columns;
  std::string command_tag;
  int64_t reserved = 0;
  int64_t file_bytes = 0;
  Status status = [&]() -> Status {
    FLOE_ASSIGN_OR_RETURN(std::unique_ptr<AsyncResultWriter> writer,
                          AsyncResultWriter::Create(ResultPath(query.id)));
    FLOE_ASSIGN_OR_RETURN(std::unique_ptr<StatementResult> result,
                          query.session->Execute(query.sql, query.parameters));
    {
      // A cancel that came while the statement was being planned found nothing to stop yet.
      std::lock_guard lock(mutex_);
      if (query.is_cancel_requested) {
        query.session->Cancel();
      }
    }
    columns = result->columns();
    while (true) {
      FLOE_ASSIGN_OR_RETURN(std::optional<vector::Batch> batch, result->Next());
      if (!batch.has_value()) {
        break;
      }
      // Copied into compact buffers first: a slice of a large batch would write all of it.
      FLOE_ASSIGN_OR_RETURN(vector::Batch copy,
                            batch->Gather(vector::SelectionVector::Identity(batch->num_rows())));
      FLOE_ASSIGN_OR_RETURN(std::string block, AsyncResultWriter::EncodeBlock(copy));
      auto bytes = static_cast<int64_t>(block.size());
      {
        std::lock_guard lock(mutex_);
        if (query.is_cancel_requested) {
          return Status::Cancelled("canceling statement due to user request");
        }
        if (used_bytes_ + bytes > options_.result_bytes) {
          return Status::ResourceExhausted(
                     "the result of query {} does not fit the {} bytes kept for asynchronous "
                     "results (http.async_result_bytes); add LIMIT, or fetch it synchronously",
                     query.id, options_.result_bytes)
              .WithSqlState("54000");
        }
        used_bytes_ += bytes;
        reserved += bytes;
        query.reserved_bytes = reserved;
        query.rows += copy.num_rows();
      }
      FLOE_RETURN_NOT_OK(writer->Append(block, copy.num_rows()));
    }
    command_tag = result->command_tag();
    FLOE_RETURN_NOT_OK(writer->Finish(columns, command_tag));
    file_bytes = writer->bytes();
    return Status::OK();
  }();
  int64_t now = NowMillis();
  AsyncQueryRecord record;
  {
    std::lock_guard lock(mutex_);
    if (!status.ok() && query.is_cancel_requested) {
      status = is_stopping_ ? Status::Unavailable(
                                  "the server shut down before query {} finished; submit "
                                  "it again",
                                  query.id)
                                  .WithSqlState(kShutdownSqlState)
                            : Status::Cancelled("canceling statement due to user request");
    }
    used_bytes_ += status.ok() ? file_bytes - reserved : -reserved;
    query.reserved_bytes = status.ok() ? file_bytes : 0;
    // Readers keep seeing the query running until its record is stored: one that then misses
    // it in memory finds it in the metastore.
    record = RecordOf(query);
  }
  AsyncQueryState state = status.ok()                               ? AsyncQueryState::kSucceeded
                          : status.code() == StatusCode::kCancelled ? AsyncQueryState::kCancelled
                                                                    : AsyncQueryState::kFailed;
  record.state = std::string(StateName(state));
  if (!status.ok()) {
    record.error_code = std::string(StatusCodeName(status.code()));
    record.error_sqlstate = std::string(status.sql_state());
    record.error_message = status.message();
  }
  record.command_tag = command_tag;
  record.columns_json = status.ok() ? ColumnsJson(columns) : "";
  record.result_bytes = status.ok() ? file_bytes : 0;
  record.finished_at_ms = now;
  record.expires_at_ms = now + options_.result_ttl.count() * 1000;
  bool is_stored = store_ != nullptr && Persist(record);
  std::unique_ptr<SqlSession> session;
  {
    std::lock_guard lock(mutex_);
    session = std::move(query.session);
    if (is_stored) {
      queries_.erase(record.id);
    } else {
      query.state = state;
      query.error = status;
      query.command_tag = record.command_tag;
      query.columns_json = record.columns_json;
      query.finished_at_ms = record.finished_at_ms;
      query.expires_at_ms = record.expires_at_ms;
    }
  }
  session.reset();
  metrics_.AddSession(Protocol::kHttp, -1);
  auto duration = SteadyClock::now() - started;
  metrics_.RecordStatement(Protocol::kHttp, OutcomeOf(status), duration, record.row_count);
  double millis = std::chrono::duration<double, std::milli>(duration).count();
  std::string sql = Abbreviate(record.sql);
  if (status.ok()) {
    FLOE_LOG_INFO("statement", {"protocol", "http"}, {"user", record.user}, {"query_id", record.id},
                  {"duration_ms", millis}, {"rows", record.row_count}, {"sql", sql});
  } else {
    FLOE_LOG_INFO("statement failed", {"protocol", "http"}, {"user", record.user},
                  {"query_id", record.id}, {"duration_ms", millis},
                  {"sql_state", status.sql_state()}, {"error", status.message()}, {"sql", sql});
  }
}

void AsyncQueries::SweepPeriodically() {
  auto interval = std::clamp<std::chrono::seconds>(options_.result_ttl / 2, std::chrono::seconds(1),
                                                   kMaxSweepInterval);
  std::unique_lock lock(mutex_);
  while (!is_stopping_) {
    sweep_wake_.wait_for(lock, interval, [this] { return is_stopping_; });
    if (is_stopping_) {
      return;
    }
    lock.unlock();
    bool is_open = false;
    {
      std::lock_guard open_lock(open_mutex_);
      is_open = is_opened_ && open_status_.ok();
    }
    if (is_open) {
      SweepDisk(/*is_startup=*/false);
    }
    lock.lock();
  }
}

void AsyncQueries::SweepDisk(bool is_startup) {
  {
    std::lock_guard lock(mutex_);
    SweepExpired();
  }
  // Listed before the records are read: a file listed here already had its record.
  std::vector<std::pair<std::string, bool>> files;  // Id, and whether the file is partial.
  std::error_code error;
  fs::directory_iterator entry(folder_, error);
  for (; !error && entry != fs::directory_iterator(); entry.increment(error)) {
    std::string name = entry->path().filename().string();
    if (name.ends_with(kPartialSuffix)) {
      files.emplace_back(name.substr(0, name.size() - kPartialSuffix.size()), true);
    } else if (name.ends_with(kResultSuffix)) {
      files.emplace_back(name.substr(0, name.size() - kResultSuffix.size()), false);
    }
  }
  if (error) {
    FLOE_LOG_WARN("cannot list the asynchronous results", {"folder", folder_},
                  {"error", error.message()});
    return;
  }
  std::set<std::string> live;
  if (store_ != nullptr) {
    int64_t now = NowMillis();
    Result<int64_t> deleted = store_->DeleteExpired(now);
    Result<std::vector<std::string>> ids =
        deleted.ok() ? store_->ListLive(server_id_, now) : deleted.status();
    if (!ids.ok()) {
      // Nothing is deleted on a guess; the next sweep tries again.
      FLOE_LOG_WARN("cannot sweep the records of asynchronous queries",
                    {"error", ids.status().ToString()});
      return;
    }
    live.insert(ids->begin(), ids->end());
  }
  std::vector<std::pair<fs::path, bool>> doomed;
  {
    std::lock_guard lock(mutex_);
    for (const auto& [id, is_partial] : files) {
      bool is_held = queries_.contains(id);
      bool is_kept = is_partial ? !is_startup && is_held : is_held || live.contains(id);
      if (!is_kept) {
        doomed.emplace_back(
            fs::path(folder_) / (id + std::string(is_partial ? kPartialSuffix : kResultSuffix)),
            is_partial);
      }
    }
  }
  int64_t freed = 0;
  for (const auto& [path, is_partial] : doomed) {
    int64_t bytes = RemoveFile(path);
    freed += is_partial ? 0 : bytes;
  }
  if (!doomed.empty()) {
    FLOE_LOG_INFO("deleted asynchronous results", {"files", static_cast<int64_t>(doomed.size())},
                  {"bytes", freed});
  }
  std::lock_guard lock(mutex_);
  if (is_startup) {
    // What the earlier run left counts against the budget as it did then.
    used_bytes_ = 0;
    for (const auto& [id, is_partial] : files) {
      std::error_code size_error;
      auto size = fs::file_size(ResultPath(id), size_error);
      used_bytes_ += !is_partial && !size_error ? static_cast<int64_t>(size) : 0;
    }
  } else {
    used_bytes_ -= freed;
  }
}

void AsyncQueries::SweepExpired() {
  int64_t now = NowMillis();
  for (auto it = queries_.begin(); it != queries_.end();) {
    const Query& query = *it->second;
    bool is_finished = query.state == AsyncQueryState::kSucceeded ||
                       query.state == AsyncQueryState::kFailed ||
                       query.state == AsyncQueryState::kCancelled;
    if (is_finished && query.expires_at_ms <= now) {
      used_bytes_ -= RemoveFile(ResultPath(query.id));
      it = queries_.erase(it);
    } else {
      ++it;
    }
  }
}

void AsyncQueries::RemoveResult(const std::string& id) {
  int64_t freed = RemoveFile(ResultPath(id));
  std::lock_guard lock(mutex_);
  used_bytes_ -= freed;
}

Result<AsyncQueryRecord> AsyncQueries::Lookup(const std::string& id, const std::string& user) {
  FLOE_RETURN_NOT_OK(Open());
  if (!IsQueryId(id)) {
    return UnknownQuery(id);
  }
  {
    std::lock_guard lock(mutex_);
    SweepExpired();
    auto found = queries_.find(id);
    if (found != queries_.end()) {
      // Another user's query answers as an unknown one, so that ids cannot be probed.
      if (found->second->user != user) {
        return UnknownQuery(id);
      }
      return RecordOf(*found->second);
    }
  }
  return FindStored(id, user);
}

Result<AsyncQueryRecord> AsyncQueries::FindStored(const std::string& id, const std::string& user) {
  if (store_ == nullptr) {
    return UnknownQuery(id);
  }
  FLOE_ASSIGN_OR_RETURN(std::optional<AsyncQueryRecord> record, store_->Find(id));
  if (!record.has_value() || record->user != user ||
      (IsFinished(record->state) && record->expires_at_ms <= NowMillis())) {
    return UnknownQuery(id);
  }
  return std::move(*record);
}

Result<std::string> AsyncQueries::DescribeJson(const std::string& id, const std::string& user,
                                               std::string_view base_path) {
  FLOE_ASSIGN_OR_RETURN(AsyncQueryRecord record, Lookup(id, user));
  return DescribeRecord(record, base_path);
}

Result<std::unique_ptr<AsyncResultReader>> AsyncQueries::OpenResult(const std::string& id,
                                                                    const std::string& user) {
  FLOE_ASSIGN_OR_RETURN(AsyncQueryRecord record, Lookup(id, user));
  if (record.state != "succeeded") {
    return Status::Conflict("query {} has no result: it is {}", id, record.state);
  }
  if (record.server_id != server_id_) {
    return Status::Conflict(
        "the result of query {} is held on the local disk of server {} (id {}), not on this one "
        "(server {}, id {}); fetch it from that server",
        id, record.server_host, record.server_id, server_host_, server_id_);
  }
  Result<std::unique_ptr<AsyncResultReader>> reader = AsyncResultReader::Open(ResultPath(id));
  if (!reader.ok()) {
    Status status = reader.status().code() == StatusCode::kNotFound
                        ? Status::IOError(
                              "the result of query {} is lost: {}; submit the "
                              "query again",
                              id, reader.status().message())
                        : reader.status();
    FLOE_LOG_WARN("cannot read an asynchronous result", {"query_id", id},
                  {"error", status.ToString()});
    return status;
  }
  if ((*reader)->num_rows() != record.row_count) {
    return Status::Corruption("result file {} holds {} rows where query {} returned {}",
                              ResultPath(id), (*reader)->num_rows(), id, record.row_count);
  }
  return reader;
}

Result<CancelOutcome> AsyncQueries::Cancel(const std::string& id, const std::string& user) {
  FLOE_RETURN_NOT_OK(Open());
  if (!IsQueryId(id)) {
    return UnknownQuery(id);
  }
  {
    std::unique_lock lock(mutex_);
    SweepExpired();
    auto found = queries_.find(id);
    if (found != queries_.end()) {
      if (found->second->user != user) {
        return UnknownQuery(id);
      }
      Query& query = *found->second;
      switch (query.state) {
        case AsyncQueryState::kQueued: {
          std::erase(queue_, &query);
          int64_t now = NowMillis();
          query.state = AsyncQueryState::kCancelled;
          query.error = Status::Cancelled("canceling statement due to user request");
          query.started_at_ms = query.finished_at_ms = now;
          query.expires_at_ms = now + options_.result_ttl.count() * 1000;
          query.session.reset();
          metrics_.AddSession(Protocol::kHttp, -1);
          AsyncQueryRecord record = RecordOf(query);
          lock.unlock();
          if (store_ != nullptr && Persist(record)) {
            lock.lock();
            queries_.erase(id);
          }
          return CancelOutcome::kCancelled;
        }
        case AsyncQueryState::kRunning:
          query.is_cancel_requested = true;
          query.session->Cancel();
          return CancelOutcome::kCancelling;
        default:
          queries_.erase(found);
          lock.unlock();
          RemoveResult(id);
          if (store_ != nullptr) {
            FLOE_RETURN_NOT_OK(store_->Delete(id));
          }
          return CancelOutcome::kFreed;
      }
    }
  }
  FLOE_ASSIGN_OR_RETURN(AsyncQueryRecord record, FindStored(id, user));
  if (!IsFinished(record.state)) {
    return Status::Conflict("query {} is {} on server {} (id {}); cancel it there", id,
                            record.state, record.server_host, record.server_id);
  }
  FLOE_RETURN_NOT_OK(store_->Delete(id));
  if (record.server_id == server_id_) {
    RemoveResult(id);
  }
  return CancelOutcome::kFreed;
}

int64_t AsyncQueries::used_bytes() const {
  std::lock_guard lock(mutex_);
  return used_bytes_;
}

std::string AsyncQueries::server_id() const {
  return server_id_;
}

}  // namespace floe::server::http
