#include "io/local/local_file_system.h"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <random>
#include <utility>

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io/local/file_descriptor.h"
#include "io/uri.h"

namespace floe::io {
namespace {

constexpr std::string_view kTemporaryPrefix = ".floe-tmp-";

// Returns the POSIX path that `location` names. Accepts plain paths and the three spellings of
// a local "file:" URI that Iceberg implementations write.
Result<std::string> NativePath(std::string_view location) {
  std::string scheme = SchemeOf(location);
  if (scheme.empty()) {
    return std::string(location);
  }
  if (scheme != "file") {
    return Status::InvalidArgument("local file system cannot access {}", location);
  }
  std::string_view rest = location.substr(std::string_view("file:").size());
  if (rest.starts_with("//")) {
    rest.remove_prefix(2);
    size_t slash = rest.find('/');
    std::string_view host = rest.substr(0, slash);
    if (slash == std::string_view::npos || (!host.empty() && host != "localhost")) {
      return Status::InvalidArgument("file URI does not name a local absolute path: {}", location);
    }
    rest.remove_prefix(slash);
  }
  if (!rest.starts_with('/')) {
    return Status::InvalidArgument("file URI does not name a local absolute path: {}", location);
  }
  return std::string(rest);
}

Result<std::string> NativeObjectPath(std::string_view location) {
  FLOE_ASSIGN_OR_RETURN(std::string native, NativePath(location));
  FLOE_RETURN_NOT_OK(CheckObjectPath(native).WithContext(location));
  return native;
}

std::string ParentOf(const std::string& path) {
  size_t slash = path.find_last_of('/');
  if (slash == std::string::npos) {
    return ".";
  }
  return slash == 0 ? "/" : path.substr(0, slash);
}

std::chrono::system_clock::time_point ModificationTimeOf(const struct stat& status) {
  auto since_epoch = std::chrono::seconds(status.st_mtim.tv_sec) +
                     std::chrono::nanoseconds(status.st_mtim.tv_nsec);
  return std::chrono::system_clock::time_point(
      std::chrono::duration_cast<std::chrono::system_clock::duration>(since_epoch));
}

// POSIX makes a new or renamed directory entry durable only once its directory is synced.
Status SyncDirectory(const std::string& directory) {
  FLOE_ASSIGN_OR_RETURN(FileDescriptor handle,
                        FileDescriptor::Open(directory, O_RDONLY | O_DIRECTORY));
  return handle.Sync();
}

Status CreateDirectories(const std::string& directory, bool is_durable) {
  struct stat status {};
  if (::stat(directory.c_str(), &status) == 0) {
    if (S_ISDIR(status.st_mode)) {
      return Status::OK();
    }
    return Status::IOError("cannot create directory {}: a file is in the way", directory);
  }
  std::string parent = ParentOf(directory);
  if (parent != directory) {
    FLOE_RETURN_NOT_OK(CreateDirectories(parent, is_durable));
  }
  // EEXIST means a concurrent writer created it first, which is as good.
  if (::mkdir(directory.c_str(), 0755) != 0 && errno != EEXIST) {
    return ErrnoStatus(errno, "cannot create directory", directory);
  }
  return is_durable ? SyncDirectory(parent) : Status::OK();
}

std::string TemporaryPathIn(const std::string& directory) {
  static std::atomic<uint64_t> counter{0};
  static const uint64_t process_salt = std::random_device()();
  return fmt::format("{}/{}{}-{:x}-{}", directory, kTemporaryPrefix, ::getpid(), process_salt,
                     counter.fetch_add(1));
}

Result<FileDescriptor> CreateTemporaryFile(const std::string& directory) {
  // Names are unique per process; O_EXCL guards against another process reusing a pid.
  constexpr int kMaxAttempts = 8;
  Status last_error;
  for (int attempt = 0; attempt < kMaxAttempts; ++attempt) {
    Result<FileDescriptor> file =
        FileDescriptor::Open(TemporaryPathIn(directory), O_WRONLY | O_CREAT | O_EXCL);
    if (file.ok() || file.status().code() != StatusCode::kAlreadyExists) {
      return file;
    }
    last_error = std::move(file).status();
  }
  return last_error;
}

void RemoveQuietly(const std::string& path) {
  (void)::unlink(path.c_str());
}

class LocalRandomAccessFile final : public RandomAccessFile {
 public:
  LocalRandomAccessFile(std::string path, int64_t size, FileDescriptor file)
      : RandomAccessFile(std::move(path), size), file_(std::move(file)) {}

 protected:
  Status ReadWithinBounds(int64_t offset, std::span<std::byte> buffer) const override {
    return file_.ReadAt(offset, buffer);
  }

 private:
  const FileDescriptor file_;
};

class LocalOutputStream final : public OutputStream {
 public:
  LocalOutputStream(std::string path, std::string native_path, FileDescriptor file, bool is_durable)
      : OutputStream(std::move(path)),
        native_path_(std::move(native_path)),
        file_(std::move(file)),
        is_durable_(is_durable) {}

  ~LocalOutputStream() override { (void)Abort(); }

  Status Write(std::span<const std::byte> bytes) override {
    if (state_ != State::kOpen) {
      return Status::InvalidArgument("write to a finished stream for {}", path());
    }
    FLOE_RETURN_NOT_OK(file_.WriteAll(bytes).WithContext(path()));
    position_ += static_cast<int64_t>(bytes.size());
    return Status::OK();
  }

  int64_t Tell() const override { return position_; }

  Status Close() override {
    if (state_ == State::kAborted) {
      return Status::InvalidArgument("close of an aborted stream for {}", path());
    }
    if (state_ == State::kClosed) {
      return Status::OK();
    }
    Status status = Publish();
    if (!status.ok()) {
      (void)Abort();
      return status.WithContext(path());
    }
    state_ = State::kClosed;
    return Status::OK();
  }

  Status Abort() override {
    if (state_ == State::kOpen) {
      std::string temporary_path = file_.path();
      (void)file_.Close();
      RemoveQuietly(temporary_path);
      state_ = State::kAborted;
    }
    return Status::OK();
  }

 private:
  enum class State { kOpen, kClosed, kAborted };

  Status Publish() {
    if (is_durable_) {
      FLOE_RETURN_NOT_OK(file_.Sync());
    }
    std::string temporary_path = file_.path();
    FLOE_RETURN_NOT_OK(file_.Close());
    if (::rename(temporary_path.c_str(), native_path_.c_str()) != 0) {
      return ErrnoStatus(errno, "cannot rename into place", native_path_);
    }
    return is_durable_ ? SyncDirectory(ParentOf(native_path_)) : Status::OK();
  }

  const std::string native_path_;
  FileDescriptor file_;
  const bool is_durable_;
  int64_t position_ = 0;
  State state_ = State::kOpen;
};

// Gives `from` the name `to` unless `to` exists. link() is the portable way; renameat2() with
// RENAME_NOREPLACE covers file systems without hard links (FAT, some FUSE and network mounts).
Status LinkWithoutReplacing(const std::string& from, const std::string& to, std::string_view path) {
  if (::link(from.c_str(), to.c_str()) == 0) {
    return Status::OK();
  }
  if (errno == EPERM || errno == EOPNOTSUPP) {
    if (::renameat2(AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(), RENAME_NOREPLACE) == 0) {
      return Status::OK();
    }
  }
  if (errno == EEXIST) {
    return Status::AlreadyExists("object already exists at {}", path);
  }
  return ErrnoStatus(errno, "cannot create", path);
}

Status WriteTemporary(FileDescriptor& file, std::string_view bytes, bool is_durable) {
  FLOE_RETURN_NOT_OK(file.WriteAll(AsBytes(bytes)));
  if (is_durable) {
    FLOE_RETURN_NOT_OK(file.Sync());
  }
  return file.Close();
}

struct DirectoryCloser {
  void operator()(DIR* directory) const { ::closedir(directory); }
};

bool CouldHoldMatches(std::string_view directory, std::string_view prefix) {
  return prefix.starts_with(directory) || directory.starts_with(prefix);
}

Status ListDirectory(const std::string& directory, std::string_view prefix,
                     std::vector<FileInfo>& infos);

// Adds the entry `name` of `directory` (open as `directory_fd`) to `infos` when it is a file
// matching `prefix`, or descends into it when it is a directory that may hold matches.
Status ListEntry(int directory_fd, const std::string& directory, const char* name,
                 std::string_view prefix, std::vector<FileInfo>& infos) {
  std::string path = directory + name;
  struct stat status {};
  if (::fstatat(directory_fd, name, &status, AT_SYMLINK_NOFOLLOW) != 0) {
    return errno == ENOENT ? Status::OK() : ErrnoStatus(errno, "cannot stat", path);
  }
  if (S_ISDIR(status.st_mode)) {
    std::string subdirectory = path + "/";
    return CouldHoldMatches(subdirectory, prefix) ? ListDirectory(subdirectory, prefix, infos)
                                                  : Status::OK();
  }
  // Symbolic links to files count as files; links to directories are not followed, so a link
  // cycle cannot make a listing endless. Dangling links are skipped.
  if (S_ISLNK(status.st_mode) && ::fstatat(directory_fd, name, &status, 0) != 0) {
    return Status::OK();
  }
  bool is_temporary = std::string_view(name).starts_with(kTemporaryPrefix);
  if (S_ISREG(status.st_mode) && !is_temporary && path.starts_with(prefix)) {
    infos.push_back(FileInfo{std::move(path), status.st_size, ModificationTimeOf(status)});
  }
  return Status::OK();
}

// Lists `directory` (a path ending in '/', or empty for the working directory) recursively.
Status ListDirectory(const std::string& directory, std::string_view prefix,
                     std::vector<FileInfo>& infos) {
  std::unique_ptr<DIR, DirectoryCloser> handle(
      ::opendir(directory.empty() ? "." : directory.c_str()));
  if (handle == nullptr) {
    // A missing directory holds no objects, as an unused prefix on object storage.
    return errno == ENOENT || errno == ENOTDIR ? Status::OK()
                                               : ErrnoStatus(errno, "cannot list", directory);
  }
  while (true) {
    errno = 0;
    const dirent* entry = ::readdir(handle.get());
    if (entry == nullptr) {
      return errno == 0 ? Status::OK() : ErrnoStatus(errno, "cannot list", directory);
    }
    std::string_view name = entry->d_name;
    if (name == "." || name == "..") {
      continue;
    }
    FLOE_RETURN_NOT_OK(ListEntry(::dirfd(handle.get()), directory, entry->d_name, prefix, infos));
  }
}

}  // namespace

LocalFileSystem::LocalFileSystem(LocalFileSystemOptions options) : options_(options) {}

Result<std::unique_ptr<RandomAccessFile>> LocalFileSystem::OpenInputFile(std::string_view path) {
  FLOE_ASSIGN_OR_RETURN(std::string native, NativePath(path));
  FLOE_ASSIGN_OR_RETURN(FileDescriptor file, FileDescriptor::Open(native, O_RDONLY));
  FLOE_ASSIGN_OR_RETURN(struct stat status, file.Stat());
  if (!S_ISREG(status.st_mode)) {
    return Status::NotFound("no object at {}: not a regular file", path);
  }
  return std::unique_ptr<RandomAccessFile>(
      std::make_unique<LocalRandomAccessFile>(std::string(path), status.st_size, std::move(file)));
}

Result<std::unique_ptr<OutputStream>> LocalFileSystem::OpenOutputStream(std::string_view path) {
  FLOE_ASSIGN_OR_RETURN(std::string native, NativeObjectPath(path));
  std::string directory = ParentOf(native);
  FLOE_RETURN_NOT_OK(CreateDirectories(directory, options_.is_durable));
  FLOE_ASSIGN_OR_RETURN(FileDescriptor file, CreateTemporaryFile(directory));
  return std::unique_ptr<OutputStream>(std::make_unique<LocalOutputStream>(
      std::string(path), std::move(native), std::move(file), options_.is_durable));
}

Status LocalFileSystem::CreateExclusive(std::string_view path, std::string_view bytes) {
  FLOE_ASSIGN_OR_RETURN(std::string native, NativeObjectPath(path));
  std::string directory = ParentOf(native);
  FLOE_RETURN_NOT_OK(CreateDirectories(directory, options_.is_durable));
  FLOE_ASSIGN_OR_RETURN(FileDescriptor file, CreateTemporaryFile(directory));
  // The object is complete (and synced) before its name appears, so no reader sees a prefix.
  std::string temporary_path = file.path();
  Status status = WriteTemporary(file, bytes, options_.is_durable);
  if (status.ok()) {
    status = LinkWithoutReplacing(temporary_path, native, path);
  }
  RemoveQuietly(temporary_path);
  if (status.ok() && options_.is_durable) {
    status = SyncDirectory(directory);
  }
  return status.code() == StatusCode::kAlreadyExists ? status : status.WithContext(path);
}

Result<FileInfo> LocalFileSystem::Stat(std::string_view path) {
  FLOE_ASSIGN_OR_RETURN(std::string native, NativePath(path));
  struct stat status {};
  if (::stat(native.c_str(), &status) != 0) {
    return ErrnoStatus(errno, "cannot stat", path);
  }
  if (!S_ISREG(status.st_mode)) {
    return Status::NotFound("no object at {}: not a regular file", path);
  }
  return FileInfo{std::string(path), status.st_size, ModificationTimeOf(status)};
}

Result<std::vector<FileInfo>> LocalFileSystem::List(std::string_view prefix) {
  FLOE_ASSIGN_OR_RETURN(std::string native_prefix, NativePath(prefix));
  size_t slash = native_prefix.find_last_of('/');
  std::string directory = slash == std::string::npos ? "" : native_prefix.substr(0, slash + 1);
  std::vector<FileInfo> infos;
  FLOE_RETURN_NOT_OK(ListDirectory(directory, native_prefix, infos).WithContext(prefix));
  std::sort(infos.begin(), infos.end(),
            [](const FileInfo& a, const FileInfo& b) { return a.path < b.path; });
  // Paths keep the caller's form: the prefix as given followed by the rest of the file's path.
  for (FileInfo& info : infos) {
    info.path = std::string(prefix) + info.path.substr(native_prefix.size());
  }
  return infos;
}

Status LocalFileSystem::Delete(std::string_view path) {
  FLOE_ASSIGN_OR_RETURN(std::string native, NativeObjectPath(path));
  if (::unlink(native.c_str()) != 0 && errno != ENOENT && errno != ENOTDIR) {
    return ErrnoStatus(errno, "cannot delete", path);
  }
  return Status::OK();
}

}  // namespace floe::io
