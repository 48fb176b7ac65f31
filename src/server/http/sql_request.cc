#include "server/http/sql_request.h"

#include <charconv>

#include <nlohmann/json.hpp>

namespace floe::server::http {
namespace {

using types::Value;

Result<std::vector<Value>> ParametersOf(const nlohmann::json& parameters) {
  std::vector<Value> values;
  if (parameters.is_null()) {
    return values;
  }
  if (!parameters.is_array()) {
    return Status::InvalidArgument("\"parameters\" must be an array");
  }
  for (const nlohmann::json& parameter : parameters) {
    if (parameter.is_null()) {
      values.push_back(Value::Null(types::LogicalType::Null()));
    } else if (parameter.is_boolean()) {
      values.push_back(Value::Boolean(parameter.get<bool>()));
    } else if (parameter.is_number_integer()) {
      if (parameter.is_number_unsigned() && parameter.get<uint64_t>() > INT64_MAX) {
        return Status::OutOfRange("parameter {} is out of range for bigint", parameter.dump());
      }
      values.push_back(Value::BigInt(parameter.get<int64_t>()));
    } else if (parameter.is_number_float()) {
      values.push_back(Value::Double(parameter.get<double>()));
    } else if (parameter.is_string()) {
      values.push_back(Value::Varchar(parameter.get<std::string>()));
    } else {
      return Status::InvalidArgument("parameters must be null, booleans, numbers or strings");
    }
  }
  return values;
}

bool PrefersAsync(const HttpRequest& request) {
  for (const auto& [name, value] : request.headers) {
    if (name == "prefer" && value.find("respond-async") != std::string::npos) {
      return true;
    }
  }
  return false;
}

}  // namespace

Result<SqlRequest> ParseSqlRequest(const HttpRequest& request) {
  nlohmann::json body = nlohmann::json::parse(request.body, nullptr, false);
  if (body.is_discarded() || !body.is_object()) {
    return Status::SyntaxError("the request body must be a JSON object with \"sql\"");
  }
  SqlRequest parsed;
  auto sql = body.find("sql");
  if (sql == body.end() || !sql->is_string()) {
    return Status::InvalidArgument("\"sql\" must be a string");
  }
  parsed.sql = sql->get<std::string>();
  auto parameters = body.find("parameters");
  FLOE_ASSIGN_OR_RETURN(parsed.parameters,
                        ParametersOf(parameters == body.end() ? nlohmann::json() : *parameters));
  if (auto timeout = body.find("timeout_ms"); timeout != body.end() && !timeout->is_null()) {
    if (!timeout->is_number_integer() || timeout->get<int64_t>() < 0 ||
        (timeout->is_number_unsigned() && timeout->get<uint64_t>() > INT32_MAX)) {
      return Status::InvalidArgument("\"timeout_ms\" must be an integer from 0 to {}", INT32_MAX);
    }
    parsed.timeout_ms = timeout->get<int64_t>();
  }
  if (auto format = body.find("format"); format != body.end() && !format->is_null()) {
    if (!format->is_string()) {
      return Status::InvalidArgument("\"format\" must be \"json\", \"csv\" or \"arrow\"");
    }
    parsed.format = format->get<std::string>();
  }
  parsed.prefers_async = PrefersAsync(request);
  parsed.is_async = parsed.prefers_async;
  if (auto is_async = body.find("async"); is_async != body.end() && !is_async->is_null()) {
    if (!is_async->is_boolean()) {
      return Status::InvalidArgument("\"async\" must be true or false");
    }
    parsed.is_async = is_async->get<bool>();
  }
  return parsed;
}

Result<int64_t> ParsePagingParameter(const HttpRequest& request, std::string_view name,
                                     int64_t default_value) {
  std::optional<std::string> text = request.QueryParameter(name);
  if (!text.has_value()) {
    return default_value;
  }
  int64_t value = 0;
  auto [end, error] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (error == std::errc::result_out_of_range && !text->empty() && (*text)[0] != '-') {
    return INT64_MAX;  // Past any result: the same as no limit.
  }
  if (error != std::errc() || end != text->data() + text->size() || value < 0) {
    return Status::InvalidArgument("\"{}\" must be a non-negative integer, not \"{}\"", name,
                                   text->substr(0, 40));
  }
  return value;
}

}  // namespace floe::server::http
