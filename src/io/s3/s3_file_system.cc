#include "io/s3/s3_file_system.h"

#include <algorithm>
#include <cstdlib>
#include <ctime>
#include <map>
#include <mutex>
#include <utility>

#include "common/logging.h"
#include "io/file_system_registry.h"
#include "io/s3/s3_client.h"
#include "io/s3/sigv4.h"
#include "io/s3/xml_reader.h"

namespace floe::io {
namespace {

// The S3 limit on keys per DeleteObjects request.
constexpr size_t kMaxKeysPerDelete = 1000;

Result<S3Location> ObjectLocationOf(std::string_view path) {
  FLOE_ASSIGN_OR_RETURN(S3Location location, ParseS3Location(path));
  FLOE_RETURN_NOT_OK(CheckObjectPath(location.key).WithContext(path));
  return location;
}

std::chrono::system_clock::time_point FromUtc(std::tm& utc) {
  return std::chrono::system_clock::from_time_t(timegm(&utc));
}

// Parses an RFC 7231 date ("Wed, 21 Oct 2015 07:28:00 GMT"), as in Last-Modified.
std::chrono::system_clock::time_point ParseHttpDate(std::string_view text) {
  std::tm utc{};
  std::string copy(text);
  if (strptime(copy.c_str(), "%a, %d %b %Y %H:%M:%S", &utc) == nullptr) {
    return {};
  }
  return FromUtc(utc);
}

// Parses an ISO 8601 time as ListObjectsV2 gives it ("2009-10-12T17:50:30.000Z").
std::chrono::system_clock::time_point ParseIsoTime(std::string_view text) {
  std::tm utc{};
  std::string copy(text);
  const char* rest = strptime(copy.c_str(), "%Y-%m-%dT%H:%M:%S", &utc);
  if (rest == nullptr) {
    return {};
  }
  auto time = FromUtc(utc);
  if (*rest == '.') {
    time += std::chrono::milliseconds(std::strtol(rest + 1, nullptr, 10));
  }
  return time;
}

Result<int64_t> ParseSize(std::string_view text, std::string_view location) {
  if (text.empty() || text.size() > 18 ||
      !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return Status::IOError("S3 gave an invalid size for {}: '{}'", location, text);
  }
  return std::strtoll(std::string(text).c_str(), nullptr, 10);
}

std::string XmlEscape(std::string_view text) {
  std::string escaped;
  escaped.reserve(text.size());
  for (char character : text) {
    switch (character) {
      case '&':
        escaped += "&amp;";
        break;
      case '<':
        escaped += "&lt;";
        break;
      case '>':
        escaped += "&gt;";
        break;
      case '"':
        escaped += "&quot;";
        break;
      case '\'':
        escaped += "&apos;";
        break;
      default:
        escaped.push_back(character);
    }
  }
  return escaped;
}

Result<XmlElement> ParseResponseXml(const HttpResponse& response, std::string_view root_name,
                                    std::string_view location) {
  Result<XmlElement> document = ParseXml(response.body);
  if (!document.ok()) {
    return document.status().WithContext(fmt::format("S3 response for {}", location));
  }
  if (document->name != root_name) {
    return Status::IOError("S3 answered {} with <{}> where <{}> was expected: {}", location,
                           document->name, root_name, response.body.substr(0, 512));
  }
  return document;
}

// Returns the first byte of a Content-Range ("bytes 0-9/10"), or -1.
int64_t RangeStartOf(std::string_view content_range) {
  if (!content_range.starts_with("bytes ")) {
    return -1;
  }
  content_range.remove_prefix(6);
  std::string_view digits = content_range.substr(0, content_range.find('-'));
  if (digits.empty() || digits.size() > 18 ||
      !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return -1;
  }
  return std::strtoll(std::string(digits).c_str(), nullptr, 10);
}

// Returns the object's whole size from a Content-Range ("bytes 0-9/10"), or -1 when absent or
// unknown ("bytes 0-9/*").
int64_t TotalSizeOf(std::string_view content_range) {
  size_t slash = content_range.rfind('/');
  if (slash == std::string_view::npos) {
    return -1;
  }
  std::string_view digits = content_range.substr(slash + 1);
  if (digits.empty() || digits.size() > 18 ||
      !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return -1;
  }
  return std::strtoll(std::string(digits).c_str(), nullptr, 10);
}

// An open with a recorded size makes no request, so the file learns the object's ETag from its
// first read and pins later reads to it with If-Match, as a HEAD-opened file does from the start.
class S3RandomAccessFile final : public RandomAccessFile {
 public:
  S3RandomAccessFile(std::string path, int64_t size, S3Location location, std::string etag,
                     std::shared_ptr<const S3Client> client, bool is_size_recorded)
      : RandomAccessFile(std::move(path), size, etag),
        location_(std::move(location)),
        client_(std::move(client)),
        is_size_recorded_(is_size_recorded),
        etag_(std::move(etag)) {}

 protected:
  Status ReadWithinBounds(int64_t offset, std::span<std::byte> buffer) const override {
    auto last = offset + static_cast<int64_t>(buffer.size()) - 1;
    S3Request request{"GET", location_.bucket, location_.key};
    request.headers.emplace_back("Range", fmt::format("bytes={}-{}", offset, last));
    if (std::string etag = Etag(); !etag.empty()) {
      request.headers.emplace_back("If-Match", std::move(etag));
    }
    request.body_target = buffer;
    Result<HttpResponse> sent = client_->Send(request, path());
    if (!sent.ok()) {
      // 416: the range starts past the real end, so the recorded size is too large.
      if (is_size_recorded_ && sent.status().message().find("HTTP 416") != std::string::npos) {
        return Status::Corruption(
            "file size mismatch: table metadata records {} bytes for {}, but storage has no byte "
            "at offset {} ({})",
            Size(), path(), offset, sent.status().message());
      }
      return std::move(sent).status();
    }
    const HttpResponse& response = *sent;
    if (is_size_recorded_) {
      FLOE_RETURN_NOT_OK(CheckRecordedSize(response));
    }
    if (response.target_bytes != static_cast<int64_t>(buffer.size())) {
      return Status::IOError("short read of {}: {} bytes at offset {}, got {}", path(),
                             buffer.size(), offset, response.target_bytes);
    }
    // Some servers widen a range ("bytes=0-0" answered whole) or ignore it (200): the bytes
    // are right as long as they start at the offset asked for.
    int64_t start = response.status == 206 ? RangeStartOf(response.Header("content-range")) : 0;
    if ((response.status != 206 && response.status != 200) || start != offset) {
      return Status::IOError("S3 answered a read of {} at offset {} with HTTP {} from offset {}",
                             path(), offset, response.status, start);
    }
    return Status::OK();
  }

 private:
  std::string Etag() const {
    std::lock_guard lock(mutex_);
    return etag_;
  }

  // Every answer to a ranged GET tells the object's size (Content-Range of a 206, Content-Length
  // of a 200 that ignored the range), so a wrong recorded size is caught at the first read.
  Status CheckRecordedSize(const HttpResponse& response) const {
    int64_t actual = -1;
    if (response.status == 206) {
      actual = TotalSizeOf(response.Header("content-range"));
    } else if (Result<int64_t> length = ParseSize(response.Header("content-length"), path());
               length.ok()) {
      actual = *length;
    }
    if (actual >= 0 && actual != Size()) {
      return SizeMismatch(path(), Size(), actual);
    }
    std::lock_guard lock(mutex_);
    if (etag_.empty()) {
      etag_ = std::string(response.Header("etag"));
    }
    return Status::OK();
  }

  const S3Location location_;
  const std::shared_ptr<const S3Client> client_;
  const bool is_size_recorded_;
  mutable std::mutex mutex_;
  mutable std::string etag_;  // Guarded by mutex_.
};

class S3OutputStream final : public OutputStream {
 public:
  S3OutputStream(std::string path, S3Location location, std::shared_ptr<const S3Client> client)
      : OutputStream(std::move(path)),
        location_(std::move(location)),
        client_(std::move(client)),
        part_size_(static_cast<size_t>(client_->options().part_size)) {}

  ~S3OutputStream() override {
    if (state_ == State::kOpen) {
      Status status = Abort();
      if (!status.ok()) {
        FLOE_LOG_WARN("abandoned S3 multipart upload not aborted", {"path", path()},
                      {"error", status.ToString()});
      }
    }
  }

  Status Write(std::span<const std::byte> bytes) override {
    if (state_ != State::kOpen) {
      return Status::InvalidArgument("write to a finished stream for {}", path());
    }
    buffer_.append(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    written_ += static_cast<int64_t>(bytes.size());
    while (buffer_.size() >= part_size_) {
      Status status = UploadPart(std::string_view(buffer_).substr(0, part_size_));
      if (!status.ok()) {
        return FailAndAbort(std::move(status));
      }
      buffer_.erase(0, part_size_);
    }
    return Status::OK();
  }

  int64_t Tell() const override { return written_; }

  Status Close() override {
    if (state_ == State::kAborted) {
      return Status::InvalidArgument("close of an aborted stream for {}", path());
    }
    if (state_ == State::kClosed) {
      return Status::OK();
    }
    Status status = upload_id_.empty() ? PutWhole() : FinishMultipart();
    if (!status.ok()) {
      return FailAndAbort(std::move(status));
    }
    state_ = State::kClosed;
    buffer_ = std::string();
    return Status::OK();
  }

  Status Abort() override {
    if (state_ != State::kOpen) {
      return Status::OK();
    }
    state_ = State::kAborted;
    buffer_ = std::string();
    if (upload_id_.empty()) {
      return Status::OK();
    }
    S3Request request{"DELETE", location_.bucket, location_.key, {{"uploadId", upload_id_}}};
    return client_->Send(request, path()).status();
  }

 private:
  enum class State { kOpen, kClosed, kAborted };

  Status FailAndAbort(Status status) {
    Status abort = Abort();
    if (!abort.ok()) {
      FLOE_LOG_WARN("S3 multipart upload not aborted", {"path", path()},
                    {"error", abort.ToString()});
    }
    return status;
  }

  Status PutWhole() {
    S3Request request{"PUT", location_.bucket, location_.key};
    request.headers.emplace_back("Content-MD5", Md5Base64(buffer_));
    request.body = buffer_;
    return client_->Send(request, path()).status();
  }

  Status StartMultipart() {
    S3Request request{"POST", location_.bucket, location_.key, {{"uploads", ""}}};
    FLOE_ASSIGN_OR_RETURN(HttpResponse response, client_->Send(request, path()));
    FLOE_ASSIGN_OR_RETURN(XmlElement result,
                          ParseResponseXml(response, "InitiateMultipartUploadResult", path()));
    upload_id_ = std::string(result.ChildText("UploadId"));
    if (upload_id_.empty()) {
      return Status::IOError("S3 started a multipart upload of {} without an upload id", path());
    }
    return Status::OK();
  }

  Status UploadPart(std::string_view bytes) {
    if (upload_id_.empty()) {
      FLOE_RETURN_NOT_OK(StartMultipart());
    }
    std::string part_number = std::to_string(etags_.size() + 1);
    S3Request request{"PUT",
                      location_.bucket,
                      location_.key,
                      {{"partNumber", part_number}, {"uploadId", upload_id_}}};
    request.headers.emplace_back("Content-MD5", Md5Base64(bytes));
    request.body = bytes;
    FLOE_ASSIGN_OR_RETURN(HttpResponse response, client_->Send(request, path()));
    std::string_view etag = response.Header("etag");
    if (etag.empty()) {
      return Status::IOError("S3 accepted part {} of {} without an ETag", part_number, path());
    }
    etags_.emplace_back(etag);
    return Status::OK();
  }

  Status FinishMultipart() {
    if (!buffer_.empty()) {
      FLOE_RETURN_NOT_OK(UploadPart(buffer_));
    }
    std::string body = "<CompleteMultipartUpload>";
    for (size_t index = 0; index < etags_.size(); ++index) {
      body += fmt::format("<Part><PartNumber>{}</PartNumber><ETag>{}</ETag></Part>", index + 1,
                          XmlEscape(etags_[index]));
    }
    body += "</CompleteMultipartUpload>";
    S3Request request{"POST", location_.bucket, location_.key, {{"uploadId", upload_id_}}};
    request.body = body;
    FLOE_ASSIGN_OR_RETURN(HttpResponse response, client_->Send(request, path()));
    // S3 may answer 200 and still fail, with an <Error> document in the body.
    return ParseResponseXml(response, "CompleteMultipartUploadResult", path()).status();
  }

  const S3Location location_;
  const std::shared_ptr<const S3Client> client_;
  const size_t part_size_;
  std::string buffer_;
  int64_t written_ = 0;
  std::string upload_id_;
  std::vector<std::string> etags_;
  State state_ = State::kOpen;
};

// One page of ListObjectsV2, appended to `infos`; returns the continuation token, empty after
// the last page.
Result<std::string> ListPage(const S3Client& client, const S3Location& location,
                             std::string_view prefix, const std::string& token,
                             std::vector<FileInfo>& infos) {
  S3Request request{"GET", location.bucket, "", {{"list-type", "2"}, {"prefix", location.key}}};
  request.query.emplace_back("max-keys", std::to_string(client.options().max_keys_per_list_page));
  if (!token.empty()) {
    request.query.emplace_back("continuation-token", token);
  }
  FLOE_ASSIGN_OR_RETURN(HttpResponse response, client.Send(request, prefix));
  FLOE_ASSIGN_OR_RETURN(XmlElement result, ParseResponseXml(response, "ListBucketResult", prefix));
  for (const XmlElement& child : result.children) {
    if (child.name != "Contents") {
      continue;
    }
    std::string_view key = child.ChildText("Key");
    if (!key.starts_with(location.key)) {
      return Status::IOError("S3 listed key '{}' outside prefix {}", key, prefix);
    }
    FLOE_ASSIGN_OR_RETURN(int64_t size, ParseSize(child.ChildText("Size"), key));
    infos.push_back(FileInfo{std::string(prefix) + std::string(key.substr(location.key.size())),
                             size, ParseIsoTime(child.ChildText("LastModified"))});
  }
  if (result.ChildText("IsTruncated") != "true") {
    return std::string();
  }
  std::string next(result.ChildText("NextContinuationToken"));
  if (next.empty()) {
    return Status::IOError("S3 truncated the listing of {} without a continuation token", prefix);
  }
  return next;
}

struct DeleteOutcome {
  size_t num_failures = 0;
  Status first_error;

  void Add(Status status) {
    ++num_failures;
    if (first_error.ok()) {
      first_error = std::move(status);
    }
  }
};

// Deletes `keys` of `bucket` with one DeleteObjects request; failures go to `outcome`.
void DeleteBatch(const S3Client& client, const std::string& bucket,
                 std::span<const std::string> keys, DeleteOutcome& outcome) {
  std::string body = "<Delete><Quiet>true</Quiet>";
  for (const std::string& key : keys) {
    body += "<Object><Key>" + XmlEscape(key) + "</Key></Object>";
  }
  body += "</Delete>";
  S3Request request{"POST", bucket, "", {{"delete", ""}}};
  request.headers.emplace_back("Content-MD5", Md5Base64(body));
  request.headers.emplace_back("Content-Type", "application/xml");
  request.body = body;
  std::string what = fmt::format("s3://{}/ ({} keys)", bucket, keys.size());
  Result<HttpResponse> response = client.Send(request, what);
  Result<XmlElement> result = response.ok() ? ParseResponseXml(*response, "DeleteResult", what)
                                            : Result<XmlElement>(response.status());
  if (!result.ok()) {
    for (size_t index = 0; index < keys.size(); ++index) {
      outcome.Add(result.status());
    }
    return;
  }
  for (const XmlElement& child : result->children) {
    if (child.name == "Error" && child.ChildText("Code") != "NoSuchKey") {
      outcome.Add(Status::IOError("S3 could not delete s3://{}/{}: {} {}", bucket,
                                  child.ChildText("Key"), child.ChildText("Code"),
                                  child.ChildText("Message")));
    }
  }
}

}  // namespace

S3FileSystem::S3FileSystem(std::shared_ptr<const S3Client> client) : client_(std::move(client)) {}

S3FileSystem::~S3FileSystem() = default;

Result<std::unique_ptr<S3FileSystem>> S3FileSystem::Make(S3Options options) {
  FLOE_RETURN_NOT_OK(options.Validate());
  auto client = std::make_shared<const S3Client>(std::move(options));
  return std::unique_ptr<S3FileSystem>(new S3FileSystem(std::move(client)));
}

const S3Options& S3FileSystem::options() const {
  return client_->options();
}

Result<std::unique_ptr<RandomAccessFile>> S3FileSystem::OpenInputFile(std::string_view path) {
  FLOE_ASSIGN_OR_RETURN(S3Location location, ObjectLocationOf(path));
  S3Request request{"HEAD", location.bucket, location.key};
  FLOE_ASSIGN_OR_RETURN(HttpResponse response, client_->Send(request, path));
  FLOE_ASSIGN_OR_RETURN(int64_t size, ParseSize(response.Header("content-length"), path));
  return std::unique_ptr<RandomAccessFile>(
      std::make_unique<S3RandomAccessFile>(std::string(path), size, std::move(location),
                                           std::string(response.Header("etag")), client_, false));
}

Result<std::unique_ptr<RandomAccessFile>> S3FileSystem::OpenInputFileOfSize(std::string_view path,
                                                                            int64_t size) {
  if (size < 0) {
    return Status::InvalidArgument("negative size {} for {}", size, path);
  }
  FLOE_ASSIGN_OR_RETURN(S3Location location, ObjectLocationOf(path));
  return std::unique_ptr<RandomAccessFile>(std::make_unique<S3RandomAccessFile>(
      std::string(path), size, std::move(location), std::string(), client_, true));
}

Result<std::unique_ptr<OutputStream>> S3FileSystem::OpenOutputStream(std::string_view path) {
  FLOE_ASSIGN_OR_RETURN(S3Location location, ObjectLocationOf(path));
  return std::unique_ptr<OutputStream>(
      std::make_unique<S3OutputStream>(std::string(path), std::move(location), client_));
}

Status S3FileSystem::CreateExclusive(std::string_view path, std::string_view bytes) {
  FLOE_ASSIGN_OR_RETURN(S3Location location, ObjectLocationOf(path));
  S3Request request{"PUT", location.bucket, location.key};
  request.headers.emplace_back("If-None-Match", "*");
  request.headers.emplace_back("Content-MD5", Md5Base64(bytes));
  request.body = bytes;
  request.is_conditional_create = true;
  return client_->Send(request, path).status();
}

Result<std::string> S3FileSystem::ReadAll(std::string_view path) {
  FLOE_ASSIGN_OR_RETURN(S3Location location, ObjectLocationOf(path));
  S3Request request{"GET", location.bucket, location.key};
  FLOE_ASSIGN_OR_RETURN(HttpResponse response, client_->Send(request, path));
  std::string_view length = response.Header("content-length");
  if (!length.empty() && length != std::to_string(response.body.size())) {
    return Status::IOError("short read of {}: expected {} bytes, got {}", path, length,
                           response.body.size());
  }
  return std::move(response.body);
}

Result<std::string> S3FileSystem::ReadAllOfSize(std::string_view path, int64_t size) {
  if (size < 0) {
    return Status::InvalidArgument("negative size {} for {}", size, path);
  }
  FLOE_ASSIGN_OR_RETURN(std::string bytes, ReadAll(path));
  if (static_cast<int64_t>(bytes.size()) != size) {
    return SizeMismatch(path, size, static_cast<int64_t>(bytes.size()));
  }
  return bytes;
}

Result<FileInfo> S3FileSystem::Stat(std::string_view path) {
  FLOE_ASSIGN_OR_RETURN(S3Location location, ObjectLocationOf(path));
  S3Request request{"HEAD", location.bucket, location.key};
  FLOE_ASSIGN_OR_RETURN(HttpResponse response, client_->Send(request, path));
  FLOE_ASSIGN_OR_RETURN(int64_t size, ParseSize(response.Header("content-length"), path));
  return FileInfo{std::string(path), size, ParseHttpDate(response.Header("last-modified"))};
}

Result<std::vector<FileInfo>> S3FileSystem::List(std::string_view prefix) {
  FLOE_ASSIGN_OR_RETURN(S3Location location, ParseS3Location(prefix));
  if (location.key.empty() && !prefix.ends_with('/')) {
    // "s3://bucket" lists the bucket; paths still come back as "s3://bucket/key".
    std::string with_slash = std::string(prefix) + "/";
    return List(with_slash);
  }
  std::vector<FileInfo> infos;
  std::string token;
  do {
    FLOE_ASSIGN_OR_RETURN(token, ListPage(*client_, location, prefix, token, infos));
  } while (!token.empty());
  return infos;
}

Status S3FileSystem::Delete(std::string_view path) {
  FLOE_ASSIGN_OR_RETURN(S3Location location, ObjectLocationOf(path));
  S3Request request{"DELETE", location.bucket, location.key};
  Status status = client_->Send(request, path).status();
  if (status.code() == StatusCode::kNotFound &&
      status.message().find("NoSuchBucket") == std::string_view::npos) {
    return Status::OK();
  }
  return status;
}

Status S3FileSystem::DeleteFiles(std::span<const std::string> paths) {
  DeleteOutcome outcome;
  std::map<std::string, std::vector<std::string>> keys_by_bucket;
  for (const std::string& path : paths) {
    Result<S3Location> location = ObjectLocationOf(path);
    if (!location.ok()) {
      outcome.Add(location.status());
      continue;
    }
    keys_by_bucket[location->bucket].push_back(std::move(location->key));
  }
  for (auto& [bucket, keys] : keys_by_bucket) {
    std::sort(keys.begin(), keys.end());
    keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
    for (size_t start = 0; start < keys.size(); start += kMaxKeysPerDelete) {
      size_t count = std::min(kMaxKeysPerDelete, keys.size() - start);
      DeleteBatch(*client_, bucket, std::span(keys).subspan(start, count), outcome);
    }
  }
  if (outcome.num_failures == 0) {
    return Status::OK();
  }
  return outcome.first_error.WithContext(
      fmt::format("{} of {} deletes failed, the first", outcome.num_failures, paths.size()));
}

void RegisterS3FileSystem(FileSystemRegistry& registry, std::shared_ptr<FileSystem> file_system) {
  registry.Register("s3", file_system);
  registry.Register("s3a", file_system);
  registry.Register("s3n", std::move(file_system));
}

Status RegisterS3FileSystem(FileSystemRegistry& registry, S3Options options) {
  FLOE_ASSIGN_OR_RETURN(std::unique_ptr<S3FileSystem> file_system,
                        S3FileSystem::Make(std::move(options)));
  RegisterS3FileSystem(registry, std::shared_ptr<FileSystem>(std::move(file_system)));
  return Status::OK();
}

}  // namespace floe::io
