// `floe sql`: an embedded SQL shell on the configured warehouse and metastore. Runs `-c`
// statements, a `-f` script, or an interactive session with line editing; prints results as
// psql's aligned tables, or as CSV or JSON for scripts (docs/sql.md).
#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <editline/readline.h>
#include <pwd.h>
#include <unistd.h>

#include "cli/command.h"
#include "common/json_text.h"
#include "sql/engine/database.h"
#include "sql/engine/result_text.h"
#include "sql/engine/session.h"

namespace floe::cli {
namespace {

using sql::engine::QueryResult;
using sql::engine::TextRow;
using sql::engine::TextValue;

struct SqlArguments {
  std::vector<std::string> commands;
  std::string file;
  std::string format = "aligned";
  std::string user;
  bool quiet = false;
};

std::string DefaultUser() {
  if (const char* user = std::getenv("USER"); user != nullptr && *user != '\0') {
    return user;
  }
  if (const passwd* entry = getpwuid(getuid()); entry != nullptr && entry->pw_name != nullptr) {
    return entry->pw_name;
  }
  return "floe";
}

bool IsRightAligned(const types::LogicalType& type) {
  return type.IsNumeric();
}

// Counts display columns of UTF-8 text: every byte that does not continue a sequence.
size_t DisplayWidth(std::string_view text) {
  return static_cast<size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

std::string Pad(std::string_view text, size_t width, bool right) {
  size_t shown = DisplayWidth(text);
  std::string padding(width > shown ? width - shown : 0, ' ');
  return right ? padding + std::string(text) : std::string(text) + padding;
}

// Prints rows as psql's default aligned format does: centred headers, numbers on the right,
// the last column without trailing blanks, and a "(N rows)" footer.
void PrintAligned(const QueryResult& result, const std::vector<TextRow>& rows, std::ostream& out) {
  const auto& columns = result.columns();
  std::vector<size_t> widths;
  for (const auto& column : columns) {
    widths.push_back(DisplayWidth(column.name));
  }
  for (const TextRow& row : rows) {
    for (size_t i = 0; i < row.size(); ++i) {
      widths[i] = std::max(widths[i], row[i] ? DisplayWidth(*row[i]) : 0);
    }
  }
  std::string line;
  for (size_t i = 0; i < columns.size(); ++i) {
    size_t name_width = DisplayWidth(columns[i].name);
    size_t left = (widths[i] - name_width) / 2;
    std::string cell = std::string(left, ' ') + columns[i].name;
    bool is_last = i + 1 == columns.size();
    line += (i == 0 ? " " : " | ") + (is_last ? cell : Pad(cell, widths[i], false));
  }
  out << line << '\n';
  line.clear();
  for (size_t i = 0; i < columns.size(); ++i) {
    line += (i == 0 ? "" : "+") + std::string(widths[i] + 2, '-');
  }
  out << line << '\n';
  for (const TextRow& row : rows) {
    line.clear();
    for (size_t i = 0; i < row.size(); ++i) {
      std::string_view text = row[i] ? std::string_view(*row[i]) : std::string_view();
      bool right = IsRightAligned(columns[i].type);
      bool is_last = i + 1 == row.size();
      std::string cell = (is_last && !right) ? std::string(text) : Pad(text, widths[i], right);
      line += (i == 0 ? " " : " | ") + cell;
    }
    while (!line.empty() && line.back() == ' ') {
      line.pop_back();
    }
    out << line << '\n';
  }
  out << (rows.size() == 1 ? "(1 row)" : "(" + std::to_string(rows.size()) + " rows)") << "\n\n";
}

std::string CsvField(std::string_view text) {
  if (text.find_first_of(",\"\n\r") == std::string_view::npos) {
    return std::string(text);
  }
  std::string quoted = "\"";
  for (char c : text) {
    quoted += c;
    if (c == '"') {
      quoted += '"';
    }
  }
  return quoted + "\"";
}

void PrintCsv(const QueryResult& result, const std::vector<TextRow>& rows, std::ostream& out) {
  std::string line;
  for (size_t i = 0; i < result.columns().size(); ++i) {
    line += (i == 0 ? "" : ",") + CsvField(result.columns()[i].name);
  }
  out << line << '\n';
  for (const TextRow& row : rows) {
    line.clear();
    for (size_t i = 0; i < row.size(); ++i) {
      line += (i == 0 ? "" : ",") + (row[i] ? CsvField(*row[i]) : std::string());
    }
    out << line << '\n';
  }
}

// Prints one JSON array of row objects per result, keyed by column name.
void PrintJson(const QueryResult& result, const std::vector<TextRow>& rows, std::ostream& out) {
  const auto& columns = result.columns();
  out << '[';
  for (size_t r = 0; r < rows.size(); ++r) {
    out << (r == 0 ? "\n  {" : ",\n  {");
    for (size_t i = 0; i < columns.size(); ++i) {
      out << (i == 0 ? "" : ", ") << JsonString(columns[i].name) << ": "
          << sql::engine::JsonValueOfText(rows[r][i], columns[i].type);
    }
    out << '}';
  }
  out << (rows.empty() ? "]\n" : "\n]\n");
}

Status PrintResult(QueryResult& result, const SqlArguments& arguments,
                   const types::TimeZone& zone) {
  // On stderr, as psql prints them, so that they never mix with the data.
  for (const std::string& notice : result.notices()) {
    std::fprintf(stderr, "NOTICE:  %s\n", notice.c_str());
  }
  if (result.copy_out_columns() >= 0) {
    // COPY ... TO STDOUT writes its lines as they are, as psql does.
    while (true) {
      FLOE_ASSIGN_OR_RETURN(std::optional<vector::Batch> batch, result.Next());
      if (!batch.has_value()) {
        break;
      }
      for (int64_t row = 0; row < batch->num_rows(); ++row) {
        std::cout << batch->column(0).GetString(row);
      }
    }
    std::cout.flush();
    return Status::OK();
  }
  if (!result.has_rows()) {
    if (arguments.format == "aligned" && !arguments.quiet) {
      std::cout << result.command_tag() << '\n';
    }
    return Status::OK();
  }
  std::vector<TextRow> rows;
  while (true) {
    FLOE_ASSIGN_OR_RETURN(std::optional<vector::Batch> batch, result.Next());
    if (!batch.has_value()) {
      break;
    }
    FLOE_RETURN_NOT_OK(sql::engine::AppendTextRows(*batch, rows, zone));
  }
  if (arguments.format == "csv") {
    PrintCsv(result, rows, std::cout);
  } else if (arguments.format == "json") {
    PrintJson(result, rows, std::cout);
  } else {
    PrintAligned(result, rows, std::cout);
  }
  std::cout.flush();
  return Status::OK();
}

// Prints an error as psql does with VERBOSITY verbose's SQLSTATE: the message, then for an
// error with a position the statement's line and a caret under the character.
void PrintError(const Status& status, std::string_view sql) {
  std::string text = fmt::format("ERROR:  {}: {}\n", status.sql_state(), status.message());
  if (!status.detail().empty()) {
    text += fmt::format("DETAIL:  {}\n", status.detail());
  }
  if (!status.hint().empty()) {
    text += fmt::format("HINT:  {}\n", status.hint());
  }
  int position = status.position();
  if (position > 0 && static_cast<size_t>(position) <= sql.size() + 1) {
    // Positions count characters; find the byte where character `position` starts.
    size_t byte = 0;
    int characters = 0;
    while (byte < sql.size()) {
      if ((static_cast<unsigned char>(sql[byte]) & 0xC0) != 0x80 && ++characters == position) {
        break;
      }
      ++byte;
    }
    size_t line_start = sql.rfind('\n', byte == 0 ? 0 : byte - 1);
    line_start = (line_start == std::string_view::npos || line_start >= byte) ? 0 : line_start + 1;
    size_t line_end = sql.find('\n', byte);
    if (line_end == std::string_view::npos) {
      line_end = sql.size();
    }
    int line_number = 1 + static_cast<int>(std::count(
                              sql.begin(), sql.begin() + static_cast<long>(line_start), '\n'));
    std::string prefix = fmt::format("LINE {}: ", line_number);
    std::string_view line = sql.substr(line_start, line_end - line_start);
    text += prefix + std::string(line) + "\n";
    text +=
        std::string(prefix.size() + DisplayWidth(sql.substr(line_start, byte - line_start)), ' ') +
        "^\n";
  }
  std::fputs(text.c_str(), stderr);
}

// Runs every statement of `sql`; returns false after printing the first error.
bool RunText(sql::engine::Session& session, std::string_view sql, const SqlArguments& arguments) {
  Status status = session.ExecuteEach(sql, [&](QueryResult& result) {
    // Read after the statement ran: a SET TIME ZONE in the same text applies to later rows.
    return PrintResult(result, arguments, *session.context().settings.time_zone());
  });
  if (!status.ok()) {
    PrintError(status, sql);
    return false;
  }
  return true;
}

// Tracks whether buffered input ends inside a quoted string, identifier, comment or
// dollar-quoted body, and whether it holds a statement ended by a semicolon.
class StatementScanner {
 public:
  /// Returns true when `text` ends with a complete statement (a semicolon outside quotes).
  static bool IsComplete(std::string_view text) {
    bool complete = false;
    size_t i = 0;
    while (i < text.size()) {
      char c = text[i];
      if (c == '\'' || c == '"') {
        size_t end = text.find(c, i + 1);
        while (end != std::string_view::npos && end + 1 < text.size() && text[end + 1] == c) {
          end = text.find(c, end + 2);
        }
        if (end == std::string_view::npos) {
          return false;
        }
        i = end + 1;
        complete = false;
      } else if (c == '-' && i + 1 < text.size() && text[i + 1] == '-') {
        size_t end = text.find('\n', i);
        i = end == std::string_view::npos ? text.size() : end + 1;
      } else if (c == '/' && i + 1 < text.size() && text[i + 1] == '*') {
        size_t end = text.find("*/", i + 2);
        if (end == std::string_view::npos) {
          return false;
        }
        i = end + 2;
      } else if (c == '$') {
        size_t tag_end = text.find('$', i + 1);
        std::string_view tag =
            tag_end == std::string_view::npos ? "" : text.substr(i, tag_end - i + 1);
        bool is_tag = !tag.empty() && std::all_of(tag.begin() + 1, tag.end() - 1, [](char t) {
          return std::isalnum(static_cast<unsigned char>(t)) || t == '_';
        });
        if (!is_tag || (tag.size() > 2 && std::isdigit(static_cast<unsigned char>(tag[1])))) {
          ++i;
          continue;
        }
        size_t end = text.find(tag, tag_end + 1);
        if (end == std::string_view::npos) {
          return false;
        }
        i = end + tag.size();
      } else {
        if (c == ';') {
          complete = true;
        } else if (!std::isspace(static_cast<unsigned char>(c))) {
          complete = false;
        }
        ++i;
      }
    }
    return complete;
  }
};

void PrintHelp() {
  std::fputs(
      "Enter SQL statements ended by a semicolon.\n"
      "  \\q          quit\n"
      "  \\?          this help\n"
      "  \\timing     toggle printing each statement's time\n",
      stdout);
}

int RunInteractive(sql::engine::Session& session, const SqlArguments& arguments) {
  bool is_terminal = isatty(STDIN_FILENO) != 0;
  if (is_terminal) {
    std::printf("floe sql (user %s). Type \\? for help, \\q to quit.\n",
                session.context().user.c_str());
  }
  bool timing = false;
  std::string buffer;
  while (true) {
    const char* prompt = buffer.empty() ? "floe=> " : "floe-> ";
    std::string line;
    if (is_terminal) {
      char* input = readline(prompt);
      if (input == nullptr) {
        break;
      }
      line = input;
      std::free(input);  // NOLINT(cppcoreguidelines-no-malloc): readline allocates with malloc.
    } else if (!std::getline(std::cin, line)) {
      break;
    }
    if (buffer.empty() && !line.empty() && line[0] == '\\') {
      if (line == "\\q") {
        break;
      }
      if (line == "\\timing") {
        timing = !timing;
        std::printf("Timing is %s.\n", timing ? "on" : "off");
      } else {
        PrintHelp();
      }
      continue;
    }
    if (is_terminal && !line.empty()) {
      add_history(line.c_str());
    }
    buffer += line;
    buffer += '\n';
    if (!StatementScanner::IsComplete(buffer)) {
      continue;
    }
    auto start = std::chrono::steady_clock::now();
    RunText(session, buffer, arguments);
    if (timing) {
      auto elapsed =
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start);
      std::printf("Time: %.3f ms\n", elapsed.count());
    }
    buffer.clear();
  }
  if (!buffer.empty() && buffer.find_first_not_of(" \t\n") != std::string::npos) {
    RunText(session, buffer, arguments);
  }
  return 0;
}

int RunSql(const CommandContext& context, const SqlArguments& arguments) {
  Result<std::shared_ptr<sql::engine::Database>> database =
      sql::engine::Database::Open(context.config.settings());
  if (!database.ok()) {
    std::fprintf(stderr, "error: %s\n", std::string(database.status().message()).c_str());
    return 2;
  }
  std::unique_ptr<sql::engine::Session> session =
      (*database)->Connect(arguments.user.empty() ? DefaultUser() : arguments.user);
  if (!arguments.commands.empty() || !arguments.file.empty()) {
    for (const std::string& command : arguments.commands) {
      if (!RunText(*session, command, arguments)) {
        return 1;
      }
    }
    if (!arguments.file.empty()) {
      std::ifstream input(arguments.file, std::ios::binary);
      if (!input) {
        std::fprintf(stderr, "error: cannot read %s\n", arguments.file.c_str());
        return 1;
      }
      std::stringstream text;
      text << input.rdbuf();
      if (!RunText(*session, text.str(), arguments)) {
        return 1;
      }
    }
    return 0;
  }
  return RunInteractive(*session, arguments);
}

}  // namespace

void RegisterSqlCommand(CLI::App& app, CommandRunner& runner) {
  auto arguments = std::make_shared<SqlArguments>();
  CLI::App* command = app.add_subcommand("sql", "Run SQL on the warehouse (embedded shell)");
  command->add_option("-c,--command", arguments->commands,
                      "Run these statements and exit (repeatable)");
  command->add_option("-f,--file", arguments->file, "Run the statements in this file and exit")
      ->type_name("PATH");
  command->add_option("--format", arguments->format, "Output format")
      ->check(CLI::IsMember({"aligned", "csv", "json"}));
  command->add_option("--user", arguments->user, "User name (default: the OS user)");
  command->add_flag("-q,--quiet", arguments->quiet, "Do not print command tags");
  command->callback([arguments, &runner] {
    runner = [arguments](const CommandContext& context) { return RunSql(context, *arguments); };
  });
}

}  // namespace floe::cli
