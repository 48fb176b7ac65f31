#include "io/file_system.h"

#include <atomic>
#include <chrono>
#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <stdlib.h>

#include "io/local/local_file_system.h"
#include "io/memory/memory_file_system.h"
#include "unit/io/file_system_test_suite.h"

namespace floe::io {
namespace {

// Runs the behaviour every backend promises against a fresh, empty root per test.
class LocalBackend {
 public:
  static constexpr bool kHonoursConditionalCreate = true;

  LocalBackend() {
    std::string pattern = (std::filesystem::temp_directory_path() / "floe-io-XXXXXX").string();
    root_ = ::mkdtemp(pattern.data()) != nullptr ? pattern : "";
  }
  ~LocalBackend() {
    std::error_code error;
    std::filesystem::remove_all(root_, error);
  }
  FileSystem& file_system() { return file_system_; }
  const std::string& root() const { return root_; }

 private:
  std::string root_;
  LocalFileSystem file_system_;
};

class MemoryBackend {
 public:
  static constexpr bool kHonoursConditionalCreate = true;

  FileSystem& file_system() { return file_system_; }
  const std::string& root() const { return root_; }

 private:
  std::string root_ = "memory://bucket";
  MemoryFileSystem file_system_;
};

using Backends = ::testing::Types<LocalBackend, MemoryBackend>;
INSTANTIATE_TYPED_TEST_SUITE_P(Backends, FileSystemTest, Backends);

}  // namespace
}  // namespace floe::io
