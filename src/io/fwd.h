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
struct S3Options;
class S3FileSystem;
struct CacheOptions;
struct CacheStatistics;
class BlockCache;
class CachingFileSystem;

}  // namespace floe::io
