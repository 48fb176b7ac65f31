#include "server/http/async_result_file.h"

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "vector/buffer.h"

namespace floe::server::http {
namespace {

// The format stores integers as the host writes them; it is read back by the same server.
static_assert(std::endian::native == std::endian::little, "result files are little-endian");

constexpr std::string_view kMagic = "FLOEAQR1";
constexpr uint32_t kFormatVersion = 1;
constexpr int64_t kFrameHeaderBytes = 12;  // u64 payload size, u32 CRC-32.
constexpr int64_t kTrailerBytes = 16;      // u64 footer offset, the magic.
// Deeper types than this are not written by the engine; the bound keeps a damaged file from
// recursing without end.
constexpr int kMaxTypeDepth = 64;

uint32_t Crc32(std::string_view bytes) {
  uLong crc = crc32(0L, Z_NULL, 0);
  // zlib takes 32-bit lengths; feed it in pieces.
  constexpr size_t kPiece = size_t{1} << 30;
  while (!bytes.empty()) {
    size_t length = std::min(bytes.size(), kPiece);
    crc = crc32(crc, reinterpret_cast<const Bytef*>(bytes.data()), static_cast<uInt>(length));
    bytes.remove_prefix(length);
  }
  return static_cast<uint32_t>(crc);
}

template <typename T>
void Put(std::string& out, T value) {
  out.append(reinterpret_cast<const char*>(&value), sizeof(value));
}

void PutString(std::string& out, std::string_view text) {
  Put<uint32_t>(out, static_cast<uint32_t>(text.size()));
  out.append(text);
}

void PutType(std::string& out, const types::LogicalType& type) {
  Put<uint8_t>(out, static_cast<uint8_t>(type.id()));
  switch (type.id()) {
    case types::TypeId::kDecimal:
      Put<uint8_t>(out, static_cast<uint8_t>(type.precision()));
      Put<uint8_t>(out, static_cast<uint8_t>(type.scale()));
      break;
    case types::TypeId::kList:
      PutType(out, type.element_type());
      break;
    case types::TypeId::kStruct:
      Put<uint32_t>(out, static_cast<uint32_t>(type.fields().size()));
      for (const types::StructField& field : type.fields()) {
        PutString(out, field.name);
        PutType(out, *field.type);
      }
      break;
    case types::TypeId::kMap:
      PutType(out, type.key_type());
      PutType(out, type.value_type());
      break;
    default:
      break;
  }
}

void PutBuffer(std::string& out, const std::shared_ptr<vector::Buffer>& buffer) {
  if (buffer == nullptr) {
    Put<int64_t>(out, -1);
    return;
  }
  Put<int64_t>(out, buffer->size());
  out.append(reinterpret_cast<const char*>(buffer->data()), static_cast<size_t>(buffer->size()));
}

// Each vector carries its own type, so that the reader rebuilds nested children without
// knowing how a type lays them out.
Status PutVector(std::string& out, const vector::Vector& source) {
  vector::Vector flat = source;
  if (!flat.is_flat()) {
    FLOE_ASSIGN_OR_RETURN(flat, source.Flatten());
  }
  PutType(out, flat.type());
  Put<int64_t>(out, flat.length());
  Put<int64_t>(out, flat.offset());
  PutBuffer(out, flat.validity_buffer());
  PutBuffer(out, flat.values_buffer());
  PutBuffer(out, flat.data_buffer());
  Put<uint32_t>(out, static_cast<uint32_t>(flat.num_children()));
  for (int64_t index = 0; index < flat.num_children(); ++index) {
    FLOE_RETURN_NOT_OK(PutVector(out, flat.child(index)));
  }
  return Status::OK();
}

std::string Frame(std::string_view payload) {
  std::string framed;
  framed.reserve(payload.size() + kFrameHeaderBytes);
  Put<uint64_t>(framed, payload.size());
  Put<uint32_t>(framed, Crc32(payload));
  framed.append(payload);
  return framed;
}

// Reads what Put*() wrote, failing with Corruption instead of reading past the end.
// Rows a column may claim beyond what its block's bytes could describe (see GetVector).
constexpr int64_t kSlackRows = int64_t{1} << 20;

class Cursor {
 public:
  Cursor(std::string_view bytes, const std::string& path)
      : bytes_(bytes), block_size_(bytes.size()), path_(path) {}

  template <typename T>
  Result<T> Get() {
    if (bytes_.size() < sizeof(T)) {
      return Truncated();
    }
    T value;
    std::memcpy(&value, bytes_.data(), sizeof(T));
    bytes_.remove_prefix(sizeof(T));
    return value;
  }

  Result<std::string_view> GetBytes(uint64_t size) {
    if (bytes_.size() < size) {
      return Truncated();
    }
    std::string_view taken = bytes_.substr(0, size);
    bytes_.remove_prefix(size);
    return taken;
  }

  Result<std::string> GetString() {
    FLOE_ASSIGN_OR_RETURN(uint32_t size, Get<uint32_t>());
    FLOE_ASSIGN_OR_RETURN(std::string_view text, GetBytes(size));
    return std::string(text);
  }

  Result<types::LogicalType> GetType(int depth = 0) {
    if (depth > kMaxTypeDepth) {
      return Damaged("types nested deeper than {}", kMaxTypeDepth);
    }
    FLOE_ASSIGN_OR_RETURN(uint8_t id, Get<uint8_t>());
    switch (static_cast<types::TypeId>(id)) {
      case types::TypeId::kNull:
        return types::LogicalType::Null();
      case types::TypeId::kBoolean:
        return types::LogicalType::Boolean();
      case types::TypeId::kSmallInt:
        return types::LogicalType::SmallInt();
      case types::TypeId::kInteger:
        return types::LogicalType::Integer();
      case types::TypeId::kBigInt:
        return types::LogicalType::BigInt();
      case types::TypeId::kReal:
        return types::LogicalType::Real();
      case types::TypeId::kDouble:
        return types::LogicalType::Double();
      case types::TypeId::kDecimal: {
        FLOE_ASSIGN_OR_RETURN(uint8_t precision, Get<uint8_t>());
        FLOE_ASSIGN_OR_RETURN(uint8_t scale, Get<uint8_t>());
        Result<types::LogicalType> type = types::LogicalType::Decimal(precision, scale);
        if (!type.ok()) {
          return Damaged("{}", type.status().message());
        }
        return type;
      }
      case types::TypeId::kDate:
        return types::LogicalType::Date();
      case types::TypeId::kTime:
        return types::LogicalType::Time();
      case types::TypeId::kTimestamp:
        return types::LogicalType::Timestamp();
      case types::TypeId::kTimestampTz:
        return types::LogicalType::TimestampTz();
      case types::TypeId::kInterval:
        return types::LogicalType::Interval();
      case types::TypeId::kVarchar:
        return types::LogicalType::Varchar();
      case types::TypeId::kBytea:
        return types::LogicalType::Bytea();
      case types::TypeId::kUuid:
        return types::LogicalType::Uuid();
      case types::TypeId::kList: {
        FLOE_ASSIGN_OR_RETURN(types::LogicalType element, GetType(depth + 1));
        return types::LogicalType::List(std::move(element));
      }
      case types::TypeId::kStruct: {
        FLOE_ASSIGN_OR_RETURN(uint32_t num_fields, Get<uint32_t>());
        std::vector<types::StructField> fields;
        for (uint32_t index = 0; index < num_fields; ++index) {
          FLOE_ASSIGN_OR_RETURN(std::string name, GetString());
          FLOE_ASSIGN_OR_RETURN(types::LogicalType type, GetType(depth + 1));
          fields.push_back(
              {std::move(name), std::make_shared<const types::LogicalType>(std::move(type))});
        }
        return types::LogicalType::Struct(std::move(fields));
      }
      case types::TypeId::kMap: {
        FLOE_ASSIGN_OR_RETURN(types::LogicalType key, GetType(depth + 1));
        FLOE_ASSIGN_OR_RETURN(types::LogicalType value, GetType(depth + 1));
        return types::LogicalType::Map(std::move(key), std::move(value));
      }
    }
    return Damaged("unknown type id {}", id);
  }

  Result<std::shared_ptr<vector::Buffer>> GetBuffer() {
    FLOE_ASSIGN_OR_RETURN(int64_t size, Get<int64_t>());
    if (size < 0) {
      return std::shared_ptr<vector::Buffer>();
    }
    FLOE_ASSIGN_OR_RETURN(std::string_view bytes, GetBytes(static_cast<uint64_t>(size)));
    FLOE_ASSIGN_OR_RETURN(std::shared_ptr<vector::Buffer> buffer, vector::Buffer::Allocate(size));
    if (size > 0) {
      std::memcpy(buffer->mutable_data(), bytes.data(), bytes.size());
    }
    return buffer;
  }

  Result<vector::Vector> GetVector(int depth = 0) {
    if (depth > kMaxTypeDepth) {
      return Damaged("vectors nested deeper than {}", kMaxTypeDepth);
    }
    FLOE_ASSIGN_OR_RETURN(types::LogicalType type, GetType());
    FLOE_ASSIGN_OR_RETURN(int64_t length, Get<int64_t>());
    FLOE_ASSIGN_OR_RETURN(int64_t offset, Get<int64_t>());
    FLOE_ASSIGN_OR_RETURN(std::shared_ptr<vector::Buffer> validity, GetBuffer());
    FLOE_ASSIGN_OR_RETURN(std::shared_ptr<vector::Buffer> values, GetBuffer());
    FLOE_ASSIGN_OR_RETURN(std::shared_ptr<vector::Buffer> data, GetBuffer());
    FLOE_ASSIGN_OR_RETURN(uint32_t num_children, Get<uint32_t>());
    if (num_children > bytes_.size()) {
      return Truncated();
    }
    std::vector<vector::Vector> children;
    for (uint32_t index = 0; index < num_children; ++index) {
      FLOE_ASSIGN_OR_RETURN(vector::Vector child, GetVector(depth + 1));
      children.push_back(std::move(child));
    }
    // Every row costs at least a bit of the block (its validity, values or offsets), but a
    // column that needs no buffers (NULL type) gets a bitmap allocated: bound its rows by the
    // block's size so a forged length cannot demand an allocation the file does not back.
    const int64_t max_rows = static_cast<int64_t>(block_size_) * 8 + kSlackRows;
    if (length < 0 || offset < 0 || length > max_rows || offset > max_rows - length) {
      return Damaged("a column of {} rows at offset {}", length, offset);
    }
    // The NULL count is recomputed from the bitmap rather than trusted.
    Result<vector::Vector> made =
        vector::Vector::MakeFlat(std::move(type), length, offset, std::move(validity),
                                 std::move(values), std::move(data), std::move(children), -1);
    if (!made.ok()) {
      return Damaged("{}", made.status().message());
    }
    return made;
  }

  bool empty() const { return bytes_.empty(); }

  template <typename... Args>
  Status Damaged(fmt::format_string<Args...> format, Args&&... args) const {
    return Status::Corruption("result file {} is damaged: {}", path_,
                              fmt::format(format, std::forward<Args>(args)...));
  }

 private:
  Status Truncated() const { return Damaged("a record ends early"); }

  std::string_view bytes_;
  size_t block_size_;
  const std::string& path_;
};

Status ErrnoError(std::string_view action, const std::string& path) {
  return Status::IOError("cannot {} {}: {}", action, path, std::strerror(errno));
}

}  // namespace

Result<std::unique_ptr<AsyncResultWriter>> AsyncResultWriter::Create(std::string path) {
  std::string partial = path + ".part";
  std::FILE* file = std::fopen(partial.c_str(), "wb");
  if (file == nullptr) {
    return ErrnoError("create", partial);
  }
  std::unique_ptr<AsyncResultWriter> writer(new AsyncResultWriter(std::move(path), file));
  FLOE_RETURN_NOT_OK(writer->Write(kMagic));
  return writer;
}

AsyncResultWriter::~AsyncResultWriter() {
  if (file_ != nullptr) {
    std::fclose(file_);
  }
  if (!is_finished_) {
    std::remove((path_ + ".part").c_str());
  }
}

Status AsyncResultWriter::Write(std::string_view bytes) {
  if (std::fwrite(bytes.data(), 1, bytes.size(), file_) != bytes.size()) {
    return ErrnoError("write", path_ + ".part");
  }
  bytes_ += static_cast<int64_t>(bytes.size());
  return Status::OK();
}

Result<std::string> AsyncResultWriter::EncodeBlock(const vector::Batch& batch) {
  std::string payload;
  Put<int64_t>(payload, batch.num_rows());
  Put<uint32_t>(payload, static_cast<uint32_t>(batch.num_columns()));
  for (const vector::Vector& column : batch.columns()) {
    FLOE_RETURN_NOT_OK(PutVector(payload, column));
  }
  return Frame(payload);
}

Status AsyncResultWriter::Append(std::string_view block, int64_t num_rows) {
  blocks_.emplace_back(bytes_, num_rows);
  num_rows_ += num_rows;
  return Write(block);
}

Status AsyncResultWriter::Finish(const std::vector<ColumnInfo>& columns,
                                 std::string_view command_tag) {
  std::string footer;
  Put<uint32_t>(footer, kFormatVersion);
  Put<uint32_t>(footer, static_cast<uint32_t>(columns.size()));
  for (const ColumnInfo& column : columns) {
    PutString(footer, column.name);
    PutType(footer, column.type);
  }
  PutString(footer, command_tag);
  Put<int64_t>(footer, num_rows_);
  Put<uint64_t>(footer, blocks_.size());
  for (const auto& [offset, rows] : blocks_) {
    Put<int64_t>(footer, offset);
    Put<int64_t>(footer, rows);
  }
  int64_t footer_offset = bytes_;
  std::string tail = Frame(footer);
  Put<uint64_t>(tail, static_cast<uint64_t>(footer_offset));
  tail.append(kMagic);
  FLOE_RETURN_NOT_OK(Write(tail));
  std::string partial = path_ + ".part";
  // Synced before the rename, so that a crash leaves either no file or a whole one.
  if (std::fflush(file_) != 0 || ::fsync(::fileno(file_)) != 0) {
    return ErrnoError("write", partial);
  }
  int closed = std::fclose(file_);
  file_ = nullptr;
  if (closed != 0) {
    return ErrnoError("close", partial);
  }
  if (std::rename(partial.c_str(), path_.c_str()) != 0) {
    return ErrnoError("rename", partial);
  }
  is_finished_ = true;
  return Status::OK();
}

Result<std::unique_ptr<AsyncResultReader>> AsyncResultReader::Open(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) {
      return Status::NotFound("result file {} is missing", path);
    }
    return ErrnoError("open", path);
  }
  std::unique_ptr<AsyncResultReader> reader(new AsyncResultReader(path, fd));
  FLOE_RETURN_NOT_OK(reader->ReadFooter());
  return reader;
}

AsyncResultReader::~AsyncResultReader() {
  ::close(fd_);
}

Result<std::string> AsyncResultReader::ReadFramed(int64_t offset, int64_t max_size) {
  Cursor damaged({}, path_);
  if (offset < 0 || offset > file_size_ - kFrameHeaderBytes) {
    return damaged.Damaged("a record at offset {} lies outside the file", offset);
  }
  char header[kFrameHeaderBytes];
  if (::pread(fd_, header, sizeof(header), offset) != static_cast<ssize_t>(sizeof(header))) {
    return ErrnoError("read", path_);
  }
  uint64_t size = 0;
  uint32_t crc = 0;
  std::memcpy(&size, header, sizeof(size));
  std::memcpy(&crc, header + sizeof(size), sizeof(crc));
  // The room left before `max_size` (the file's end at most); negative when the header itself
  // overruns it, which the unsigned comparison alone would take for a huge room.
  const int64_t room = std::min(max_size, file_size_) - offset - kFrameHeaderBytes;
  if (room < 0 || size > static_cast<uint64_t>(room)) {
    return damaged.Damaged("a record of {} bytes at offset {} overruns its bounds", size, offset);
  }
  std::string payload(size, '\0');
  if (size > 0 && ::pread(fd_, payload.data(), size, offset + kFrameHeaderBytes) !=
                      static_cast<ssize_t>(size)) {
    return ErrnoError("read", path_);
  }
  if (Crc32(payload) != crc) {
    return damaged.Damaged("checksum mismatch in the record at offset {}", offset);
  }
  return payload;
}

Status AsyncResultReader::ReadFooter() {
  Cursor damaged({}, path_);
  struct stat info {};
  if (::fstat(fd_, &info) != 0) {
    return ErrnoError("stat", path_);
  }
  file_size_ = info.st_size;
  if (file_size_ < static_cast<int64_t>(kMagic.size()) + kTrailerBytes) {
    return damaged.Damaged("{} bytes is too short", file_size_);
  }
  char head[8];
  char trailer[kTrailerBytes];
  if (::pread(fd_, head, sizeof(head), 0) != static_cast<ssize_t>(sizeof(head)) ||
      ::pread(fd_, trailer, sizeof(trailer), file_size_ - kTrailerBytes) !=
          static_cast<ssize_t>(sizeof(trailer))) {
    return ErrnoError("read", path_);
  }
  if (std::string_view(head, sizeof(head)) != kMagic ||
      std::string_view(trailer + 8, kMagic.size()) != kMagic) {
    return damaged.Damaged("not a result file, or an incomplete one");
  }
  uint64_t footer_offset = 0;
  std::memcpy(&footer_offset, trailer, sizeof(footer_offset));
  if (footer_offset > static_cast<uint64_t>(file_size_)) {
    return damaged.Damaged("the footer offset {} lies outside the file", footer_offset);
  }
  FLOE_ASSIGN_OR_RETURN(std::string footer, ReadFramed(static_cast<int64_t>(footer_offset),
                                                       file_size_ - kTrailerBytes));
  Cursor cursor(footer, path_);
  FLOE_ASSIGN_OR_RETURN(uint32_t version, cursor.Get<uint32_t>());
  if (version != kFormatVersion) {
    return Status::NotSupported("result file {} has format version {}; this server reads {}", path_,
                                version, kFormatVersion);
  }
  FLOE_ASSIGN_OR_RETURN(uint32_t num_columns, cursor.Get<uint32_t>());
  std::vector<vector::Field> fields;
  for (uint32_t index = 0; index < num_columns; ++index) {
    FLOE_ASSIGN_OR_RETURN(std::string name, cursor.GetString());
    FLOE_ASSIGN_OR_RETURN(types::LogicalType type, cursor.GetType());
    columns_.push_back({name, type});
    fields.push_back({std::move(name), std::move(type)});
  }
  schema_ = std::make_shared<const vector::Schema>(std::move(fields));
  FLOE_ASSIGN_OR_RETURN(command_tag_, cursor.GetString());
  FLOE_ASSIGN_OR_RETURN(num_rows_, cursor.Get<int64_t>());
  FLOE_ASSIGN_OR_RETURN(uint64_t num_blocks, cursor.Get<uint64_t>());
  if (num_blocks > footer.size() / 16) {
    return damaged.Damaged("{} blocks cannot fit the footer", num_blocks);
  }
  int64_t first_row = 0;
  for (uint64_t index = 0; index < num_blocks; ++index) {
    FLOE_ASSIGN_OR_RETURN(int64_t offset, cursor.Get<int64_t>());
    FLOE_ASSIGN_OR_RETURN(int64_t rows, cursor.Get<int64_t>());
    if (rows < 0 || offset < 0 || offset >= static_cast<int64_t>(footer_offset) ||
        (!blocks_.empty() && offset <= blocks_.back().offset)) {
      return damaged.Damaged("block {} has {} rows at offset {}", index, rows, offset);
    }
    blocks_.push_back({.offset = offset, .first_row = first_row, .num_rows = rows});
    first_row += rows;
  }
  if (first_row != num_rows_ || num_rows_ < 0 || !cursor.empty()) {
    return damaged.Damaged("the footer counts {} rows but its blocks hold {}", num_rows_,
                           first_row);
  }
  return Status::OK();
}

void AsyncResultReader::Seek(int64_t offset, int64_t limit) {
  next_row_ = std::clamp<int64_t>(offset, 0, num_rows_);
  end_row_ = next_row_ + std::clamp<int64_t>(limit, 0, num_rows_ - next_row_);
}

Result<std::optional<vector::Batch>> AsyncResultReader::Next() {
  if (next_row_ >= end_row_) {
    return std::optional<vector::Batch>();
  }
  // The block holding next_row_: the last one starting at or before it.
  auto found =
      std::upper_bound(blocks_.begin(), blocks_.end(), next_row_,
                       [](int64_t row, const Block& block) { return row < block.first_row; });
  if (found == blocks_.begin()) {
    return Status::Internal("no block of {} holds row {}", path_, next_row_);
  }
  const Block& block = *std::prev(found);
  FLOE_ASSIGN_OR_RETURN(vector::Batch batch, ReadBlock(block));
  int64_t from = next_row_ - block.first_row;
  int64_t count = std::min(block.num_rows - from, end_row_ - next_row_);
  next_row_ += count;
  return batch.Slice(from, count);
}

Result<vector::Batch> AsyncResultReader::ReadBlock(const Block& block) {
  size_t index = static_cast<size_t>(&block - blocks_.data());
  int64_t end = index + 1 < blocks_.size() ? blocks_[index + 1].offset : file_size_;
  FLOE_ASSIGN_OR_RETURN(std::string payload, ReadFramed(block.offset, end));
  Cursor cursor(payload, path_);
  FLOE_ASSIGN_OR_RETURN(int64_t rows, cursor.Get<int64_t>());
  FLOE_ASSIGN_OR_RETURN(uint32_t num_columns, cursor.Get<uint32_t>());
  if (rows != block.num_rows || num_columns != columns_.size()) {
    return cursor.Damaged("block at offset {} holds {} rows of {} columns, not {} of {}",
                          block.offset, rows, num_columns, block.num_rows, columns_.size());
  }
  std::vector<vector::Vector> columns;
  for (uint32_t index = 0; index < num_columns; ++index) {
    FLOE_ASSIGN_OR_RETURN(vector::Vector column, cursor.GetVector());
    columns.push_back(std::move(column));
  }
  Result<vector::Batch> batch = vector::Batch::Make(schema_, std::move(columns), rows);
  if (!batch.ok()) {
    return cursor.Damaged("{}", batch.status().message());
  }
  return batch;
}

}  // namespace floe::server::http
