// Every byte a PostgreSQL client sends before and after authentication goes through these
// decoders: each must return a Status on bad input, never crash or over-read, and whatever
// decodes must re-encode consistently.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/check.h"
#include "server/pgwire/messages.h"
#include "server/pgwire/scram.h"
#include "server/pgwire/type_codec.h"
#include "types/logical_type.h"

namespace {

using floe::types::LogicalType;
namespace pgwire = floe::server::pgwire;

const LogicalType kTypes[] = {LogicalType::Boolean(),        LogicalType::SmallInt(),
                              LogicalType::Integer(),        LogicalType::BigInt(),
                              LogicalType::Real(),           LogicalType::Double(),
                              *LogicalType::Decimal(38, 10), *LogicalType::Decimal(9, 2),
                              LogicalType::Date(),           LogicalType::Time(),
                              LogicalType::Timestamp(),      LogicalType::TimestampTz(),
                              LogicalType::Interval(),       LogicalType::Varchar(),
                              LogicalType::Bytea(),          LogicalType::Uuid()};

void DecodeParameter(uint8_t selector, std::string_view bytes) {
  const LogicalType& type = kTypes[selector % std::size(kTypes)];
  floe::Result<floe::types::Value> value = pgwire::DecodeBinary(type, bytes);
  if (value.ok()) {
    floe::Result<std::string> encoded = pgwire::EncodeBinary(*value);
    FLOE_CHECK(encoded.ok());
    (void)pgwire::EncodeText(*value);
  }
}

void Scram(std::string_view data) {
  size_t split = data.find('\n');
  std::string_view first = data.substr(0, split);
  std::string_view final_message =
      split == std::string_view::npos ? std::string_view() : data.substr(split + 1);
  // Without TLS, with SCRAM-SHA-256-PLUS offered and not chosen, and chosen.
  for (int binding = 0; binding < 3; ++binding) {
    pgwire::ScramChannelBinding channel_binding;
    if (binding > 0) {
      channel_binding.certificate_hash = std::string(32, '\x11');
      channel_binding.is_selected = binding == 2;
    }
    pgwire::ScramExchange exchange(std::nullopt, "fuzz", "servernonce", channel_binding);
    if (exchange.ClientFirst(first).ok()) {
      // An unknown user never authenticates, whatever the proof.
      FLOE_CHECK(!exchange.ClientFinal(final_message).ok());
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) {
    return 0;
  }
  std::string_view body(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 9) {
    case 0:
      (void)pgwire::DecodeStartupPacket(body);
      break;
    case 1: {
      floe::Result<pgwire::BindMessage> bind = pgwire::DecodeBind(body);
      if (bind.ok()) {
        FLOE_CHECK(bind->parameter_formats.size() <= 1 ||
                   bind->parameter_formats.size() == bind->parameters.size());
        for (size_t index = 0; index < bind->parameters.size(); ++index) {
          FLOE_CHECK(bind->ParameterFormat(index) == 0 || bind->ParameterFormat(index) == 1);
        }
      }
      break;
    }
    case 2:
      (void)pgwire::DecodeParse(body);
      break;
    case 3:
      (void)pgwire::DecodeTarget(body);
      break;
    case 4:
      (void)pgwire::DecodeExecute(body);
      break;
    case 5:
      (void)pgwire::DecodeQuery(body);
      break;
    case 6:
      (void)pgwire::DecodeSaslInitialResponse(body);
      break;
    case 7:
      if (!body.empty()) {
        DecodeParameter(static_cast<uint8_t>(body[0]), body.substr(1));
      }
      break;
    default:
      Scram(body);
      break;
  }
  return 0;
}
