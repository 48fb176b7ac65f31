#include "table/data_file.h"

namespace floe::table {

std::string_view FileContentName(FileContent content) {
  switch (content) {
    case FileContent::kData:
      return "data";
    case FileContent::kPositionDeletes:
      return "position_deletes";
    case FileContent::kEqualityDeletes:
      return "equality_deletes";
  }
  return "unknown";
}

}  // namespace floe::table
