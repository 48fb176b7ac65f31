#pragma once

#include "common/config.h"
#include "common/status.h"
#include "io/file_system_registry.h"

namespace floe::io {

/// Registers "s3://" (and "s3a://", "s3n://") in `registry` from the process settings: each
/// S3 setting left empty falls back to its AWS_* environment variable; when
/// `settings.cache_directory` is set, reads go through the local read cache. InvalidArgument
/// names the first bad setting.
Status ConfigureObjectStorage(FileSystemRegistry& registry, const Settings& settings);

}  // namespace floe::io
