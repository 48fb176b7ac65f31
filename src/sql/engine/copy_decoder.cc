#include "sql/engine/copy_decoder.h"

#include <cctype>
#include <utility>

#include <fmt/format.h>

namespace floe::sql::engine {

using Kind = CopyFormat::Kind;

CopyRowDecoder::CopyRowDecoder(const CopyFormat& format, std::vector<std::string> column_names)
    : format_(format), column_names_(std::move(column_names)) {}

Status CopyRowDecoder::Fail(std::string message) const {
  return Status::InvalidArgument("{}", message)
      .WithSqlState("22P04")
      .WithDetail(fmt::format("COPY data, line {}", line_));
}

Status CopyRowDecoder::Feed(std::string_view chunk, std::vector<TextRow>& rows) {
  if (is_finished_) {
    return Status::OK();
  }
  pending_.append(chunk);
  size_t start = 0;
  size_t i = scanned_;
  bool is_csv = format_.kind == Kind::kCsv;
  for (; i < pending_.size(); ++i) {
    char c = pending_[i];
    if (is_csv && in_quotes_ && c == format_.escape && format_.escape != format_.quote) {
      if (i + 1 == pending_.size()) {
        break;  // What the escape applies to is in the next chunk.
      }
      ++i;
      continue;
    }
    if (is_csv && c == format_.quote) {
      in_quotes_ = !in_quotes_;  // A doubled quote inside quotes toggles twice.
      continue;
    }
    if (c != '\n') {
      continue;
    }
    if (in_quotes_) {
      ++line_;  // A line break inside a quoted CSV field.
      continue;
    }
    FLOE_RETURN_NOT_OK(DecodeRecord(std::string_view(pending_.data() + start, i - start), rows));
    start = i + 1;
    if (is_finished_) {
      pending_.clear();
      scanned_ = 0;
      return Status::OK();
    }
  }
  pending_.erase(0, start);
  scanned_ = i - start;
  return Status::OK();
}

Status CopyRowDecoder::Finish(std::vector<TextRow>& rows) {
  if (is_finished_) {
    return Status::OK();
  }
  if (in_quotes_) {
    return Fail("unterminated CSV quoted field");
  }
  if (!pending_.empty()) {
    std::string record = std::move(pending_);
    pending_.clear();
    FLOE_RETURN_NOT_OK(DecodeRecord(record, rows));
  }
  return Status::OK();
}

Status CopyRowDecoder::DecodeRecord(std::string_view record, std::vector<TextRow>& rows) {
  ++line_;
  if (!record.empty() && record.back() == '\r') {
    record.remove_suffix(1);
  }
  // `\.` alone on a line ends the data in both formats (an unquoted line, for CSV).
  if (record == "\\.") {
    is_finished_ = true;
    return Status::OK();
  }
  if (format_.header && !header_skipped_) {
    header_skipped_ = true;
    return Status::OK();
  }
  TextRow row;
  FLOE_RETURN_NOT_OK(format_.kind == Kind::kCsv ? SplitCsv(record, row) : SplitText(record, row));
  if (row.size() < column_names_.size()) {
    return Fail(fmt::format("missing data for column \"{}\"", column_names_[row.size()]));
  }
  if (row.size() > column_names_.size()) {
    return Fail("extra data after last expected column");
  }
  rows.push_back(std::move(row));
  return Status::OK();
}

Status CopyRowDecoder::SplitText(std::string_view record, TextRow& row) const {
  size_t start = 0;
  while (true) {
    // A field ends at a delimiter that no backslash escapes.
    size_t end = start;
    while (end < record.size() && record[end] != format_.delimiter) {
      end += record[end] == '\\' && end + 1 < record.size() ? 2 : 1;
    }
    std::string_view raw = record.substr(start, end - start);
    if (raw == format_.null_text) {
      row.emplace_back(std::nullopt);
    } else {
      std::string value;
      for (size_t i = 0; i < raw.size(); ++i) {
        if (raw[i] != '\\' || i + 1 == raw.size()) {
          value.push_back(raw[i]);
          continue;
        }
        char next = raw[++i];
        switch (next) {
          case 'b':
            value.push_back('\b');
            break;
          case 'f':
            value.push_back('\f');
            break;
          case 'n':
            value.push_back('\n');
            break;
          case 'r':
            value.push_back('\r');
            break;
          case 't':
            value.push_back('\t');
            break;
          case 'v':
            value.push_back('\v');
            break;
          case 'x': {
            // \xN or \xNN: a byte in hexadecimal.
            int byte = 0;
            int digits = 0;
            while (digits < 2 && i + 1 < raw.size() &&
                   std::isxdigit(static_cast<unsigned char>(raw[i + 1]))) {
              char h = raw[++i];
              byte = byte * 16 + (std::isdigit(static_cast<unsigned char>(h))
                                      ? h - '0'
                                      : (std::tolower(h) - 'a' + 10));
              ++digits;
            }
            if (digits == 0) {
              value.push_back('x');
            } else {
              value.push_back(static_cast<char>(byte));
            }
            break;
          }
          default:
            if (next >= '0' && next <= '7') {
              // \N, \NN or \NNN: a byte in octal.
              int byte = next - '0';
              for (int digits = 1;
                   digits < 3 && i + 1 < raw.size() && raw[i + 1] >= '0' && raw[i + 1] <= '7';
                   ++digits) {
                byte = byte * 8 + (raw[++i] - '0');
              }
              value.push_back(static_cast<char>(byte & 0xFF));
            } else {
              value.push_back(
                  next);  // \\, \<delimiter> and any other character stand for themselves.
            }
        }
      }
      row.emplace_back(std::move(value));
    }
    if (end >= record.size()) {
      return Status::OK();
    }
    start = end + 1;
  }
}

Status CopyRowDecoder::SplitCsv(std::string_view record, TextRow& row) const {
  size_t i = 0;
  while (true) {
    std::string value;
    bool was_quoted = false;
    while (i < record.size() && record[i] != format_.delimiter) {
      if (record[i] != format_.quote) {
        value.push_back(record[i++]);
        continue;
      }
      was_quoted = true;
      ++i;
      while (true) {
        if (i >= record.size()) {
          return Fail("unterminated CSV quoted field");
        }
        char c = record[i];
        if (c == format_.escape && i + 1 < record.size() &&
            (record[i + 1] == format_.quote || record[i + 1] == format_.escape) &&
            (format_.escape != format_.quote || record[i + 1] == format_.quote)) {
          value.push_back(record[i + 1]);
          i += 2;
          continue;
        }
        if (c == format_.quote) {
          ++i;
          break;
        }
        value.push_back(c);
        ++i;
      }
    }
    if (!was_quoted && value == format_.null_text) {
      row.emplace_back(std::nullopt);
    } else {
      row.emplace_back(std::move(value));
    }
    if (i >= record.size()) {
      return Status::OK();
    }
    ++i;  // The delimiter.
  }
}

}  // namespace floe::sql::engine
