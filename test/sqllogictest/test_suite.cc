#include "sqllogictest/test_suite.h"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <system_error>
#include <utility>

#include <fmt/core.h>
#include <unistd.h>

#include "sqllogictest/test_file_parser.h"

namespace floe::sqllogictest {
namespace {

Result<std::string> ReadFile(const std::filesystem::path& path) {
  std::ifstream stream(path, std::ios::binary);
  if (!stream.is_open()) {
    return Status::IOError("cannot open {}", path.string());
  }
  std::stringstream contents;
  contents << stream.rdbuf();
  if (stream.bad()) {
    return Status::IOError("cannot read {}", path.string());
  }
  return contents.str();
}

Result<std::filesystem::path> MakeScratchDirectory() {
  std::error_code error;
  std::filesystem::path base = std::filesystem::temp_directory_path(error);
  if (error) {
    return Status::IOError("no temporary directory: {}", error.message());
  }
  std::string pattern = (base / "floe-sqllogictest-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) {
    return Status::IOError("cannot create a scratch directory in {}", base.string());
  }
  return std::filesystem::path(pattern);
}

// Removes the scratch directory when the file's run ends, however it ends.
class ScratchDirectory {
 public:
  explicit ScratchDirectory(std::filesystem::path path) : path_(std::move(path)) {}
  ScratchDirectory(const ScratchDirectory&) = delete;
  ScratchDirectory& operator=(const ScratchDirectory&) = delete;
  ScratchDirectory(ScratchDirectory&&) = delete;
  ScratchDirectory& operator=(ScratchDirectory&&) = delete;
  ~ScratchDirectory() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }

  const std::filesystem::path& Path() const { return path_; }

 private:
  std::filesystem::path path_;
};

std::string_view VerdictName(Verdict verdict) {
  switch (verdict) {
    case Verdict::kPassed:
      return "PASS";
    case Verdict::kFailed:
      return "FAIL";
    case Verdict::kSkipped:
      return "SKIP";
  }
  return "?";
}

Status AddFolder(const std::filesystem::path& folder, std::vector<std::filesystem::path>& files) {
  std::error_code error;
  std::vector<std::filesystem::path> found;
  for (auto it = std::filesystem::recursive_directory_iterator(folder, error);
       !error && it != std::filesystem::recursive_directory_iterator(); it.increment(error)) {
    if (it->is_regular_file() && it->path().extension() == ".test") {
      found.push_back(it->path());
    }
  }
  if (error) {
    return Status::IOError("cannot list {}: {}", folder.string(), error.message());
  }
  std::sort(found.begin(), found.end());
  files.insert(files.end(), found.begin(), found.end());
  return Status::OK();
}

}  // namespace

std::string FormatSummary(const SuiteSummary& summary) {
  std::string line = fmt::format("{} passed, {} failed", summary.passed, summary.failed);
  if (summary.skipped > 0) {
    line += fmt::format(", {} skipped", summary.skipped);
  }
  return line;
}

std::string FormatFileOutcome(const FileOutcome& outcome) {
  std::string text = fmt::format("{} {}", VerdictName(outcome.FileVerdict()), outcome.path);
  if (!outcome.error.empty()) {
    return text + "\n" + outcome.error + "\n";
  }
  text +=
      fmt::format(" ({} passed, {} failed, {} skipped records)", outcome.Count(Verdict::kPassed),
                  outcome.Count(Verdict::kFailed), outcome.Count(Verdict::kSkipped));
  if (!outcome.skip_reason.empty()) {
    text += ": " + outcome.skip_reason;
  }
  text += '\n';
  for (const RecordOutcome& record : outcome.records) {
    if (record.verdict == Verdict::kFailed) {
      text += record.message;
    }
  }
  return text;
}

Result<std::vector<std::filesystem::path>> CollectTestFiles(
    std::span<const std::string> arguments) {
  std::vector<std::filesystem::path> files;
  for (const std::string& argument : arguments) {
    std::error_code error;
    std::filesystem::file_status status = std::filesystem::status(argument, error);
    if (status.type() == std::filesystem::file_type::directory) {
      FLOE_RETURN_NOT_OK(AddFolder(argument, files));
    } else if (status.type() == std::filesystem::file_type::regular) {
      files.emplace_back(argument);
    } else {
      return Status::NotFound("no test file or folder at {}", argument);
    }
  }
  return files;
}

TestSuite::TestSuite(SqlConnectionFactory& factory, std::ostream& output)
    : factory_(factory), output_(output) {}

FileOutcome TestSuite::RunFile(const std::filesystem::path& path) {
  FileOutcome failed;
  failed.path = path.string();
  Result<std::string> text = ReadFile(path);
  if (!text.ok()) {
    failed.error = text.status().ToString();
    return failed;
  }
  Result<TestFile> file = ParseTestFile(*text, path.string());
  if (!file.ok()) {
    failed.error = std::string(file.status().message());
    return failed;
  }
  Result<FileOutcome> outcome = RunInScratchDirectory(*file);
  if (!outcome.ok()) {
    failed.error = outcome.status().ToString();
    return failed;
  }
  return std::move(outcome).value();
}

Result<FileOutcome> TestSuite::RunInScratchDirectory(const TestFile& file) {
  FLOE_ASSIGN_OR_RETURN(std::filesystem::path scratch_path, MakeScratchDirectory());
  ScratchDirectory scratch(std::move(scratch_path));
  FLOE_ASSIGN_OR_RETURN(std::unique_ptr<SqlConnection> connection,
                        factory_.Connect(scratch.Path()));
  TestRunner runner(*connection,
                    [this](std::string_view feature) { return factory_.HasFeature(feature); });
  return runner.Run(file);
}

SuiteSummary TestSuite::RunFiles(std::span<const std::filesystem::path> paths) {
  SuiteSummary summary;
  for (const std::filesystem::path& path : paths) {
    FileOutcome outcome = RunFile(path);
    output_ << FormatFileOutcome(outcome) << std::flush;
    switch (outcome.FileVerdict()) {
      case Verdict::kPassed:
        ++summary.passed;
        break;
      case Verdict::kFailed:
        ++summary.failed;
        break;
      case Verdict::kSkipped:
        ++summary.skipped;
        break;
    }
  }
  output_ << FormatSummary(summary) << '\n';
  return summary;
}

}  // namespace floe::sqllogictest
