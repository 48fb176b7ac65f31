#include "sql/execution/spill_file.h"

#include <cerrno>
#include <filesystem>
#include <system_error>
#include <utility>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace floe::sql::execution {

namespace {
std::string ErrnoText(int error) {
  return std::error_code(error, std::generic_category()).message();
}

// Numbers the spill folders of this process, so concurrent queries never share one.
std::atomic<int64_t> next_folder{0};
}  // namespace

types::LogicalType SpillColumnType(const types::LogicalType& type) {
  if (type.id() == types::TypeId::kReal) {
    return types::LogicalType::Integer();
  }
  if (type.id() == types::TypeId::kDouble) {
    return types::LogicalType::BigInt();
  }
  return type;
}

Result<vector::Vector> RetypeFlat(const vector::Vector& column, const types::LogicalType& type) {
  return vector::Vector::MakeFlat(type, column.length(), column.offset(),
                                  column.validity_buffer(), column.values_buffer(), nullptr, {},
                                  column.null_count());
}

SpillCounters& ProcessSpillCounters() {
  static SpillCounters counters;
  return counters;
}

SpillFile::SpillFile(SpillFile&& other) noexcept
    : path_(std::exchange(other.path_, {})), size_(std::exchange(other.size_, 0)) {}

SpillFile& SpillFile::operator=(SpillFile&& other) noexcept {
  if (this != &other) {
    Remove();
    path_ = std::exchange(other.path_, {});
    size_ = std::exchange(other.size_, 0);
  }
  return *this;
}

SpillFile::~SpillFile() {
  Remove();
}

void SpillFile::Remove() {
  if (!path_.empty()) {
    ::unlink(path_.c_str());
    path_.clear();
  }
}

SpillWriter::SpillWriter(int fd, std::string path, SpillCounters* query_counters)
    : fd_(fd), path_(std::move(path)), query_counters_(query_counters) {
  buffer_.reserve(kBufferSize);
}

SpillWriter::~SpillWriter() {
  if (fd_ >= 0) {
    ::close(fd_);
    ::unlink(path_.c_str());
  }
}

Status SpillWriter::Flush() {
  size_t offset = 0;
  while (offset < buffer_.size()) {
    ssize_t written = ::write(fd_, buffer_.data() + offset, buffer_.size() - offset);
    if (written < 0) {
      if (errno == EINTR) {
        continue;
      }
      return Status::IOError("cannot write spill file {}: {}", path_, ErrnoText(errno));
    }
    offset += static_cast<size_t>(written);
  }
  written_ += static_cast<int64_t>(buffer_.size());
  query_counters_->bytes.fetch_add(static_cast<int64_t>(buffer_.size()), std::memory_order_relaxed);
  ProcessSpillCounters().bytes.fetch_add(static_cast<int64_t>(buffer_.size()),
                                         std::memory_order_relaxed);
  buffer_.clear();
  return Status::OK();
}

Status SpillWriter::AppendSlow(const void* data, size_t size) {
  const auto* bytes = static_cast<const uint8_t*>(data);
  while (size > 0) {
    if (buffer_.size() == kBufferSize) {
      FLOE_RETURN_NOT_OK(Flush());
    }
    const size_t part = std::min(size, kBufferSize - buffer_.size());
    buffer_.insert(buffer_.end(), bytes, bytes + part);
    bytes += part;
    size -= part;
  }
  return Status::OK();
}

Result<SpillFile> SpillWriter::Finish() {
  FLOE_RETURN_NOT_OK(Flush());
  if (::close(std::exchange(fd_, -1)) != 0) {
    ::unlink(path_.c_str());
    return Status::IOError("cannot write spill file {}: {}", path_, ErrnoText(errno));
  }
  return SpillFile(std::move(path_), written_);
}

SpillReader::SpillReader(int fd, std::string path, int64_t size)
    : fd_(fd), path_(std::move(path)), remaining_(size) {}

SpillReader::~SpillReader() {
  ::close(fd_);
}

Result<std::unique_ptr<SpillReader>> SpillReader::Open(const SpillFile& file) {
  int fd = ::open(file.path().c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return Status::IOError("cannot read spill file {}: {}", file.path(), ErrnoText(errno));
  }
  return std::unique_ptr<SpillReader>(new SpillReader(fd, file.path(), file.size()));
}

Status SpillReader::Fill() {
  // Keeps the bytes not read yet at the front, then reads up to a full buffer behind them.
  buffer_.erase(buffer_.begin(), buffer_.begin() + static_cast<std::ptrdiff_t>(position_));
  position_ = 0;
  const size_t kept = buffer_.size();
  const size_t wanted = std::min<size_t>(SpillWriter::kBufferSize, static_cast<size_t>(remaining_));
  buffer_.resize(kept + wanted);
  size_t offset = 0;
  while (offset < wanted) {
    ssize_t got = ::read(fd_, buffer_.data() + kept + offset, wanted - offset);
    if (got < 0 && errno == EINTR) {
      continue;
    }
    if (got <= 0) {
      return Status::IOError("cannot read spill file {}: {}", path_,
                             got < 0 ? ErrnoText(errno) : "it is shorter than written");
    }
    offset += static_cast<size_t>(got);
  }
  remaining_ -= static_cast<int64_t>(wanted);
  return Status::OK();
}

Status SpillReader::ReadSlow(void* data, size_t size) {
  auto* bytes = static_cast<uint8_t*>(data);
  while (size > 0) {
    if (position_ == buffer_.size()) {
      if (remaining_ == 0) {
        return Status::Corruption("spill file {} ends inside a record", path_);
      }
      FLOE_RETURN_NOT_OK(Fill());
    }
    const size_t part = std::min(size, buffer_.size() - position_);
    std::memcpy(bytes, buffer_.data() + position_, part);
    position_ += part;
    bytes += part;
    size -= part;
  }
  return Status::OK();
}

SpillDirectory::SpillDirectory(std::string temp_directory)
    : temp_directory_(std::move(temp_directory)) {}

SpillDirectory::~SpillDirectory() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!folder_.empty()) {
    std::error_code ignored;
    std::filesystem::remove_all(folder_, ignored);
  }
}

Status SpillDirectory::EnsureFolder() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!folder_.empty()) {
    return Status::OK();
  }
  std::error_code error;
  std::filesystem::create_directories(temp_directory_, error);
  if (error) {
    return Status::IOError("cannot spill to the temp directory {} (engine.temp_directory): {}",
                           temp_directory_, error.message());
  }
  std::string folder = (std::filesystem::path(temp_directory_) /
                        ("floe-spill-" + std::to_string(::getpid()) + "-" +
                         std::to_string(next_folder.fetch_add(1, std::memory_order_relaxed))))
                           .string();
  if (::mkdir(folder.c_str(), 0700) != 0 && errno != EEXIST) {
    return Status::IOError("cannot spill to the temp directory {} (engine.temp_directory): {}",
                           temp_directory_, ErrnoText(errno));
  }
  folder_ = std::move(folder);
  return Status::OK();
}

Result<std::unique_ptr<SpillWriter>> SpillDirectory::CreateFile() {
  FLOE_RETURN_NOT_OK(EnsureFolder());
  std::string path;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    path = folder_ + "/" + std::to_string(next_file_.fetch_add(1, std::memory_order_relaxed)) +
           ".spill";
  }
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    return Status::IOError("cannot create spill file {}: {}", path, ErrnoText(errno));
  }
  counters_.files.fetch_add(1, std::memory_order_relaxed);
  ProcessSpillCounters().files.fetch_add(1, std::memory_order_relaxed);
  return std::make_unique<SpillWriter>(fd, std::move(path), &counters_);
}

}  // namespace floe::sql::execution
