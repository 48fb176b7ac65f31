#pragma once

namespace floe::io {

struct FileInfo;
class RandomAccessFile;
class OutputStream;
class FileSystem;
struct LocalFileSystemOptions;
class LocalFileSystem;
class MemoryFileSystem;
class FileSystemRegistry;
struct ReadRange;
struct CoalesceOptions;
struct CoalescedRanges;
class RangeBuffers;

}  // namespace floe::io
