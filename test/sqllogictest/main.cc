#include <iostream>
#include <string>
#include <vector>

#include "sqllogictest/linked_engine.h"
#include "sqllogictest/test_suite.h"

namespace {

// Exit codes: 0 all passed (or skipped), 1 a test failed, 2 the run itself could not start.
constexpr int kExitFailed = 1;
constexpr int kExitUsage = 2;

constexpr std::string_view kUsage =
    "usage: floe_sqllogictest <file.test | folder>...\n"
    "Runs sqllogictest files (docs/testing/sqllogictest.md) against Floe's SQL engine, each\n"
    "in a fresh database; folders are searched recursively for *.test files.\n";

}  // namespace

int main(int argc, char** argv) {
  using floe::sqllogictest::CollectTestFiles;
  std::vector<std::string> arguments(argv + 1, argv + argc);
  if (arguments.empty() || arguments.front() == "--help" || arguments.front() == "-h") {
    std::cerr << kUsage;
    return arguments.empty() ? kExitUsage : 0;
  }
  std::unique_ptr<floe::sqllogictest::SqlConnectionFactory> factory =
      floe::sqllogictest::MakeLinkedEngineFactory();
  if (factory == nullptr) {
    std::cerr << "error: no SQL engine is linked into this runner\n";
    return kExitUsage;
  }
  floe::Result<std::vector<std::filesystem::path>> files = CollectTestFiles(arguments);
  if (!files.ok()) {
    std::cerr << "error: " << files.status().message() << '\n';
    return kExitUsage;
  }
  floe::sqllogictest::TestSuite suite(*factory, std::cout);
  floe::sqllogictest::SuiteSummary summary = suite.RunFiles(*files);
  return summary.failed > 0 ? kExitFailed : 0;
}
