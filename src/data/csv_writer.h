// Writing CSV that the importer (csv_reader.h) reads back: RFC 4180 fields, quoted only when
// they hold a delimiter, a quote or a line break. An empty field reads back as null.
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

namespace tailor::data {

inline void AppendCsvField(std::string& out, std::string_view value) {
  if (value.find_first_of(",\"\r\n") == std::string_view::npos) {
    out.append(value);
    return;
  }
  out.push_back('"');
  for (char c : value) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
}

}  // namespace tailor::data
