#include "sqllogictest/test_file_parser.h"

#include <charconv>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

namespace floe::sqllogictest {
namespace {

constexpr std::string_view kResultSeparator = "----";
constexpr std::string_view kTypeLetters = "IRTBD?";
// Guards against a typo such as `loop i 0 100000000` exhausting memory.
constexpr size_t kMaxExpandedRecords = 100'000;

std::vector<std::string_view> SplitLines(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    if (!line.empty() && line.back() == '\r') {
      line.remove_suffix(1);
    }
    lines.push_back(line);
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
  }
  return lines;
}

std::vector<std::string_view> SplitWords(std::string_view line) {
  std::vector<std::string_view> words;
  size_t position = 0;
  while (true) {
    position = line.find_first_not_of(" \t", position);
    if (position == std::string_view::npos) {
      return words;
    }
    size_t end = line.find_first_of(" \t", position);
    words.push_back(line.substr(position, end - position));
    position = end;
  }
}

std::vector<std::string> SplitTabs(std::string_view line) {
  std::vector<std::string> fields;
  while (true) {
    size_t tab = line.find('\t');
    fields.emplace_back(line.substr(0, tab));
    if (tab == std::string_view::npos) {
      return fields;
    }
    line.remove_prefix(tab + 1);
  }
}

bool IsBlank(std::string_view line) {
  return line.find_first_not_of(" \t") == std::string_view::npos;
}

bool IsComment(std::string_view line) {
  return !line.empty() && line.front() == '#';
}

std::optional<int64_t> ParseInteger(std::string_view text) {
  int64_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) {
    return std::nullopt;
  }
  return value;
}

bool IsSqlState(std::string_view word) {
  if (word.size() != 5) {
    return false;
  }
  for (char c : word) {
    if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z'))) {
      return false;
    }
  }
  return true;
}

bool IsMd5(std::string_view word) {
  return word.size() == 32 && word.find_first_not_of("0123456789abcdef") == std::string_view::npos;
}

bool IsIdentifier(std::string_view word) {
  if (word.empty() || (word.front() >= '0' && word.front() <= '9')) {
    return false;
  }
  for (char c : word) {
    bool is_letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    if (!is_letter && c != '_' && !(c >= '0' && c <= '9')) {
      return false;
    }
  }
  return true;
}

std::optional<SortMode> ParseSortMode(std::string_view word) {
  if (word == "nosort") {
    return SortMode::kNoSort;
  }
  if (word == "rowsort") {
    return SortMode::kRowSort;
  }
  if (word == "valuesort") {
    return SortMode::kValueSort;
  }
  return std::nullopt;
}

void ReplaceAll(std::string& text, std::string_view from, std::string_view to) {
  for (size_t position = text.find(from); position != std::string::npos;
       position = text.find(from, position + to.size())) {
    text.replace(position, from.size(), to);
  }
}

// Substitutes one loop variable in every field of a record that holds test text.
Record BindLoopVariable(Record record, std::string_view name, int64_t value) {
  std::string placeholder = "${" + std::string(name) + "}";
  std::string text = std::to_string(value);
  ReplaceAll(record.sql, placeholder, text);
  ReplaceAll(record.expected_message, placeholder, text);
  ReplaceAll(record.query.label, placeholder, text);
  for (std::string& expected : record.query.values) {
    ReplaceAll(expected, placeholder, text);
  }
  std::string binding = std::string(name) + "=" + text;
  record.loop_bindings =
      record.loop_bindings.empty() ? binding : binding + " " + record.loop_bindings;
  return record;
}

struct OpenLoop {
  std::string variable;
  int64_t start = 0;
  int64_t end = 0;
  size_t first_record = 0;  // Index in the record list where the loop's body starts.
  int line = 0;
};

class TestFileParser {
 public:
  TestFileParser(std::string_view text, std::string path)
      : lines_(SplitLines(text)), path_(std::move(path)) {}

  Result<TestFile> Parse() {
    while (index_ < lines_.size()) {
      std::string_view line = lines_[index_];
      if (IsBlank(line) || IsComment(line)) {
        ++index_;
        continue;
      }
      FLOE_RETURN_NOT_OK(ParseRecord());
    }
    if (!loops_.empty()) {
      return Error(loops_.back().line, "loop without endloop");
    }
    return TestFile{path_, std::move(records_)};
  }

 private:
  int LineNumber() const { return static_cast<int>(index_) + 1; }

  template <typename... Args>
  Status Error(int line, fmt::format_string<Args...> format, Args&&... args) const {
    return Status::SyntaxError("{}:{}: {}", path_, line,
                               fmt::format(format, std::forward<Args>(args)...));
  }

  Status ParseRecord() {
    FLOE_ASSIGN_OR_RETURN(std::vector<Condition> conditions, ParseConditions());
    std::vector<std::string_view> words = SplitWords(lines_[index_]);
    Record record;
    record.line = LineNumber();
    record.conditions = std::move(conditions);
    std::string_view keyword = words.front();
    if (!record.conditions.empty() && keyword != "statement" && keyword != "query" &&
        keyword != "halt") {
      return Error(record.line, "skipif/onlyif may only precede statement, query or halt");
    }
    ++index_;
    if (keyword == "statement") {
      return ParseStatement(words, std::move(record));
    }
    if (keyword == "query") {
      return ParseQuery(words, std::move(record));
    }
    if (keyword == "loop") {
      return OpenLoopRecord(words, record.line);
    }
    if (keyword == "endloop") {
      return CloseLoop(words, record.line);
    }
    return ParseControl(words, std::move(record));
  }

  Result<std::vector<Condition>> ParseConditions() {
    std::vector<Condition> conditions;
    while (true) {
      std::vector<std::string_view> words = SplitWords(lines_[index_]);
      if (words.front() != "skipif" && words.front() != "onlyif") {
        return conditions;
      }
      if (words.size() != 2) {
        return Error(LineNumber(), "{} takes one engine name", words.front());
      }
      conditions.push_back({words.front() == "onlyif", std::string(words[1])});
      ++index_;
      if (index_ >= lines_.size() || IsBlank(lines_[index_]) || IsComment(lines_[index_])) {
        return Error(LineNumber() - 1, "{} is not followed by a record", words.front());
      }
    }
  }

  Status ParseStatement(const std::vector<std::string_view>& words, Record record) {
    bool is_error = words.size() >= 2 && words[1] == "error";
    bool is_ok = words.size() == 2 && words[1] == "ok";
    if (!is_ok && !(is_error && words.size() <= 3)) {
      return Error(record.line, "expected 'statement ok' or 'statement error [SQLSTATE]'");
    }
    if (words.size() == 3) {
      if (!IsSqlState(words[2])) {
        return Error(record.line, "'{}' is not a five-character SQLSTATE", words[2]);
      }
      record.expected_sql_state = std::string(words[2]);
    }
    record.kind = is_ok ? RecordKind::kStatementOk : RecordKind::kStatementError;
    FLOE_ASSIGN_OR_RETURN(record.sql, ParseSql(record.line));
    if (AtResultSeparator()) {
      if (is_ok) {
        return Error(LineNumber(), "statement ok takes no expected output after ----");
      }
      ++index_;
      record.expected_message = JoinLinesUntilBlank();
    }
    return AddRecord(std::move(record));
  }

  Status ParseQuery(const std::vector<std::string_view>& words, Record record) {
    record.kind = RecordKind::kQuery;
    FLOE_RETURN_NOT_OK(ParseQueryHeader(words, record));
    FLOE_ASSIGN_OR_RETURN(record.sql, ParseSql(record.line));
    if (AtResultSeparator()) {
      ++index_;
      FLOE_RETURN_NOT_OK(ParseExpectedResult(record.query));
    }
    return AddRecord(std::move(record));
  }

  Status ParseQueryHeader(const std::vector<std::string_view>& words, Record& record) {
    if (words.size() < 2 || words.size() > 4) {
      return Error(record.line, "expected 'query <type letters> [sort mode] [label]'");
    }
    if (words[1].find_first_not_of(kTypeLetters) != std::string_view::npos) {
      return Error(record.line, "type letters '{}' must each be one of {}", words[1], kTypeLetters);
    }
    record.query.type_letters = std::string(words[1]);
    size_t next = 2;
    if (words.size() > next) {
      if (std::optional<SortMode> mode = ParseSortMode(words[next])) {
        record.query.sort_mode = *mode;
        ++next;
      } else if (words.size() == 4) {
        return Error(record.line, "unknown sort mode '{}'", words[next]);
      }
    }
    if (words.size() > next) {
      record.query.label = std::string(words[next]);
    }
    return Status::OK();
  }

  // Reads SQL lines up to a blank line or the ---- separator, skipping comment lines.
  Result<std::string> ParseSql(int record_line) {
    std::string sql;
    for (; index_ < lines_.size() && !IsBlank(lines_[index_]) && !AtResultSeparator(); ++index_) {
      if (IsComment(lines_[index_])) {
        continue;
      }
      if (!sql.empty()) {
        sql += '\n';
      }
      sql += lines_[index_];
    }
    if (sql.empty()) {
      return Error(record_line, "record has no SQL");
    }
    return sql;
  }

  bool AtResultSeparator() const {
    return index_ < lines_.size() && lines_[index_] == kResultSeparator;
  }

  std::string JoinLinesUntilBlank() {
    std::string text;
    for (; index_ < lines_.size() && !IsBlank(lines_[index_]); ++index_) {
      if (!text.empty()) {
        text += '\n';
      }
      text += lines_[index_];
    }
    return text;
  }

  Status ParseExpectedResult(QueryExpectation& query) {
    int first_line = LineNumber();
    std::vector<std::vector<std::string>> lines;
    for (; index_ < lines_.size() && !IsBlank(lines_[index_]); ++index_) {
      lines.push_back(SplitTabs(lines_[index_]));
    }
    if (lines.size() == 1 && lines[0].size() == 1) {
      FLOE_ASSIGN_OR_RETURN(query.hash, ParseHashLine(lines[0][0], first_line));
      if (query.hash) {
        return Status::OK();
      }
    }
    return FlattenExpectedLines(std::move(lines), first_line, query);
  }

  // Returns nullopt when the line is a value rather than `N values hashing to <md5>`.
  Result<std::optional<ExpectedHash>> ParseHashLine(std::string_view line, int line_number) {
    std::vector<std::string_view> words = SplitWords(line);
    if (words.size() != 5 || words[1] != "values" || words[2] != "hashing" || words[3] != "to") {
      return std::optional<ExpectedHash>();
    }
    std::optional<int64_t> count = ParseInteger(words[0]);
    if (!count || *count < 0 || !IsMd5(words[4])) {
      return Error(line_number, "expected '<count> values hashing to <32 lower-case hex digits>'");
    }
    return std::optional<ExpectedHash>(
        ExpectedHash{static_cast<size_t>(*count), std::string(words[4])});
  }

  // Accepts one row per line (columns separated by tabs) or, as SQLite writes results, one
  // value per line; both become row-major values.
  Status FlattenExpectedLines(std::vector<std::vector<std::string>> lines, int first_line,
                              QueryExpectation& query) {
    size_t num_columns = query.NumColumns();
    bool is_value_per_line = true;
    for (size_t i = 0; i < lines.size(); ++i) {
      if (lines[i].size() != num_columns && lines[i].size() != 1) {
        return Error(first_line + static_cast<int>(i),
                     "line has {} values, the query has {} columns", lines[i].size(), num_columns);
      }
      is_value_per_line = is_value_per_line && lines[i].size() == 1;
    }
    if (!is_value_per_line && num_columns > 1) {
      for (size_t i = 0; i < lines.size(); ++i) {
        if (lines[i].size() != num_columns) {
          return Error(first_line + static_cast<int>(i),
                       "line has 1 value, the query has {} columns", num_columns);
        }
      }
    }
    if (is_value_per_line && lines.size() % num_columns != 0) {
      return Error(first_line, "{} values cannot fill rows of {} columns", lines.size(),
                   num_columns);
    }
    for (std::vector<std::string>& line : lines) {
      for (std::string& value : line) {
        query.values.push_back(std::move(value));
      }
    }
    return Status::OK();
  }

  Status ParseControl(const std::vector<std::string_view>& words, Record record) {
    std::string_view keyword = words.front();
    if (keyword == "halt" && words.size() == 1) {
      record.kind = RecordKind::kHalt;
    } else if (keyword == "hash-threshold" && words.size() == 2) {
      std::optional<int64_t> threshold = ParseInteger(words[1]);
      if (!threshold || *threshold < 0) {
        return Error(record.line, "hash-threshold takes a non-negative integer");
      }
      record.kind = RecordKind::kHashThreshold;
      record.hash_threshold = static_cast<size_t>(*threshold);
    } else if (keyword == "mode" && words.size() == 2 &&
               (words[1] == "skip" || words[1] == "unskip")) {
      record.kind = words[1] == "skip" ? RecordKind::kModeSkip : RecordKind::kModeUnskip;
    } else if (keyword == "require" && words.size() == 2) {
      record.kind = RecordKind::kRequire;
      record.feature = std::string(words[1]);
    } else {
      return Error(record.line, "unknown or malformed record '{}'", lines_[index_ - 1]);
    }
    return AddRecord(std::move(record));
  }

  Status OpenLoopRecord(const std::vector<std::string_view>& words, int line) {
    std::optional<int64_t> start = words.size() == 4 ? ParseInteger(words[2]) : std::nullopt;
    std::optional<int64_t> end = words.size() == 4 ? ParseInteger(words[3]) : std::nullopt;
    if (!start || !end || !IsIdentifier(words[1])) {
      return Error(line, "expected 'loop <name> <start> <end>' with integer bounds");
    }
    loops_.push_back({std::string(words[1]), *start, *end, records_.size(), line});
    return Status::OK();
  }

  // Replaces the loop's body with one copy per iteration, the variable substituted.
  Status CloseLoop(const std::vector<std::string_view>& words, int line) {
    if (words.size() != 1) {
      return Error(line, "endloop takes no arguments");
    }
    if (loops_.empty()) {
      return Error(line, "endloop without loop");
    }
    OpenLoop loop = std::move(loops_.back());
    loops_.pop_back();
    std::vector<Record> body(
        std::make_move_iterator(records_.begin() + static_cast<ptrdiff_t>(loop.first_record)),
        std::make_move_iterator(records_.end()));
    records_.resize(loop.first_record);
    // Unsigned subtraction cannot overflow, whatever the bounds.
    uint64_t iterations = loop.end > loop.start
                              ? static_cast<uint64_t>(loop.end) - static_cast<uint64_t>(loop.start)
                              : 0;
    if (!body.empty() && iterations > (kMaxExpandedRecords - records_.size()) / body.size()) {
      return Error(loop.line, "more than {} records after expanding loops", kMaxExpandedRecords);
    }
    for (int64_t value = loop.start; value < loop.end; ++value) {
      for (const Record& record : body) {
        FLOE_RETURN_NOT_OK(AddRecord(BindLoopVariable(record, loop.variable, value)));
      }
    }
    return Status::OK();
  }

  Status AddRecord(Record record) {
    if (records_.size() >= kMaxExpandedRecords) {
      return Error(record.line, "more than {} records after expanding loops", kMaxExpandedRecords);
    }
    records_.push_back(std::move(record));
    return Status::OK();
  }

  std::vector<std::string_view> lines_;
  std::string path_;
  size_t index_ = 0;
  std::vector<Record> records_;
  std::vector<OpenLoop> loops_;
};

}  // namespace

Result<TestFile> ParseTestFile(std::string_view text, std::string path) {
  return TestFileParser(text, std::move(path)).Parse();
}

}  // namespace floe::sqllogictest
