// OpenCatalog: picks the catalog backend from a URL's scheme (style.md X3).
#include "store/catalog.h"

#include <string_view>

namespace tailor::store {
namespace {

constexpr std::string_view kSqliteScheme = "sqlite://";
constexpr std::string_view kMemoryUrl = "memory:";

}  // namespace

StatusOr<std::unique_ptr<Catalog>> OpenCatalog(const std::string& url) {
  if (url.empty()) {
    return Status::InvalidInput("the catalog URL is empty; use sqlite:///path/to/catalog.db");
  }
  if (url == kMemoryUrl || url == "memory://") return NewMemoryCatalog();
  if (url.starts_with(kSqliteScheme)) {
    // "sqlite:///abs/path.db" keeps the path's leading slash; "sqlite://rel.db" is relative.
    std::string path = url.substr(kSqliteScheme.size());
    if (path.empty()) {
      return Status::InvalidInput("the catalog URL " + url + " names no database file");
    }
    return OpenSqliteCatalog(path);
  }
  // Anything with "scheme://" that we do not know is refused rather than taken for a relative
  // path, so that a typo such as "sqlit://" or a future "postgres://" fails loudly.
  const size_t sep = url.find("://");
  if (sep != std::string::npos) {
    return Status::InvalidInput("the catalog URL scheme \"" + url.substr(0, sep) +
                                "\" is not supported; use sqlite:// or memory:");
  }
  return OpenSqliteCatalog(url);
}

}  // namespace tailor::store
