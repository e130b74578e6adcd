#include "data/demo/movielens.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <filesystem>
#include <initializer_list>
#include <memory>
#include <string_view>
#include <system_error>
#include <unordered_set>
#include <utility>
#include <vector>

#include "data/csv_writer.h"

namespace tailor::data {
namespace {

// EVENT_VALUE is always present (every row is a rating), so it is not nullable.
constexpr std::string_view kInteractionsSchema =
    R"({"type":"record","name":"Interactions","namespace":"com.amazonaws.personalize.schema",)"
    R"("fields":[{"name":"USER_ID","type":"string"},{"name":"ITEM_ID","type":"string"},)"
    R"({"name":"TIMESTAMP","type":"long"},{"name":"EVENT_TYPE","type":"string"},)"
    R"({"name":"EVENT_VALUE","type":"float"}],"version":"1.0"})";
// TITLE is a plain string without flags: Personalize accepts such a column and does not train
// on it (personalize-semantics.md §3.1). Keeping it makes the demo's recommendations readable
// in the console and in filters, while a three-word title is too little text to be worth
// declaring `textual`. GENRES and YEAR are nullable because some movies have neither.
constexpr std::string_view kItemsSchema =
    R"({"type":"record","name":"Items","namespace":"com.amazonaws.personalize.schema",)"
    R"("fields":[{"name":"ITEM_ID","type":"string"},{"name":"TITLE","type":"string"},)"
    R"({"name":"GENRES","type":["null","string"],"categorical":true},)"
    R"({"name":"YEAR","type":["null","int"]}],"version":"1.0"})";
constexpr std::string_view kUsersSchema =
    R"({"type":"record","name":"Users","namespace":"com.amazonaws.personalize.schema",)"
    R"("fields":[{"name":"USER_ID","type":"string"},{"name":"AGE","type":"int"},)"
    R"({"name":"GENDER","type":"string","categorical":true},)"
    R"({"name":"OCCUPATION","type":"string","categorical":true}],"version":"1.0"})";

constexpr std::string_view kInteractionsHeader =
    "USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE,EVENT_VALUE\n";
constexpr std::string_view kItemsHeader = "ITEM_ID,TITLE,GENRES,YEAR\n";
constexpr std::string_view kUsersHeader = "USER_ID,AGE,GENDER,OCCUPATION\n";

// The genre flag columns of ml-100k's u.item, in order (its u.genre file). "unknown" maps to no
// genre and "Children's" to ml-latest's "Children", so both layouts share one vocabulary.
constexpr int k100kNumGenres = 19;
constexpr std::array<std::string_view, k100kNumGenres> k100kGenres = {
    "",          "Action",   "Adventure",   "Animation", "Children",
    "Comedy",    "Crime",    "Documentary", "Drama",     "Fantasy",
    "Film-Noir", "Horror",   "Musical",     "Mystery",   "Romance",
    "Sci-Fi",    "Thriller", "War",         "Western"};

std::string JoinPath(const std::string& dir, std::string_view name) {
  if (dir.empty() || dir.back() == '/') return dir + std::string(name);
  return dir + "/" + std::string(name);
}

// Collects output in a large buffer and hands it to the file in big chunks, so that writing
// 25 M rows costs a few hundred write calls.
class ChunkedWriter {
 public:
  static StatusOr<ChunkedWriter> Open(Env* env, const std::string& path, std::string_view header) {
    TAILOR_ASSIGN_OR_RETURN(auto file, env->NewWritableFile(path));
    ChunkedWriter writer(std::move(file));
    writer.buf_.reserve(kChunk + 4096);
    writer.buf_.append(header);
    return writer;
  }

  std::string& buf() { return buf_; }
  // Call after each row.
  Status MaybeFlush() { return buf_.size() >= kChunk ? Flush() : Status::OK(); }
  Status Close() {
    TAILOR_RETURN_IF_ERROR(Flush());
    return file_->Close();
  }

 private:
  static constexpr size_t kChunk = 4 << 20;

  explicit ChunkedWriter(std::unique_ptr<WritableFile> file) : file_(std::move(file)) {}
  Status Flush() {
    Status s = file_->Append(buf_);
    buf_.clear();
    return s;
  }

  std::unique_ptr<WritableFile> file_;
  std::string buf_;
};

bool IsDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool IsNumber(std::string_view s) {
  double v;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  return ec == std::errc() && ptr == s.data() + s.size();
}

// The release year in a MovieLens title's last parenthesis: "Heat (1995)" -> 1995,
// "Death Note: Desu nôto (2006–2007)" -> 2006; 0 when there is none ("Black Mirror").
int YearFromTitle(std::string_view title) {
  while (!title.empty() && title.back() == ' ') title.remove_suffix(1);
  if (title.size() < 6 || title.back() != ')') return 0;
  size_t open = title.rfind('(');
  if (open == std::string_view::npos) return 0;
  std::string_view inner = title.substr(open + 1, title.size() - open - 2);
  if (inner.size() < 4 || !IsDigits(inner.substr(0, 4))) return 0;
  if (inner.size() > 4 && inner[4] >= '0' && inner[4] <= '9') return 0;
  return (inner[0] - '0') * 1000 + (inner[1] - '0') * 100 + (inner[2] - '0') * 10 +
         (inner[3] - '0');
}

// Splits `line` at `sep` into `fields` (views into `line`).
void SplitLine(std::string_view line, char sep, std::vector<std::string_view>& fields) {
  fields.clear();
  size_t start = 0;
  while (true) {
    size_t end = line.find(sep, start);
    if (end == std::string_view::npos) {
      fields.push_back(line.substr(start));
      return;
    }
    fields.push_back(line.substr(start, end - start));
    start = end + 1;
  }
}

// Calls fn(line, line_number) for each non-blank line of `data` (1-based numbers, '\r\n'
// accepted), stopping at the first error.
template <typename Fn>
Status ForEachLine(std::string_view data, Fn&& fn) {
  int64_t line_number = 0;
  while (!data.empty()) {
    ++line_number;
    size_t end = data.find('\n');
    std::string_view line = data.substr(0, end);
    data.remove_prefix(end == std::string_view::npos ? data.size() : end + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) continue;
    TAILOR_RETURN_IF_ERROR(fn(line, line_number));
  }
  return Status::OK();
}

// Reads one RFC 4180 record of `data` from *pos into `fields`; false at the end of the data.
// `*line` is the 1-based line where the record starts and is advanced past it, since quoted
// fields may span lines. InvalidInput for an unterminated quote or text after a closing quote.
StatusOr<bool> NextCsvRecord(std::string_view data, const std::string& file_name, size_t* pos,
                             int64_t* line, std::vector<std::string>& fields) {
  fields.clear();
  size_t i = *pos;
  const size_t n = data.size();
  if (i >= n) return false;
  const int64_t start_line = *line;
  while (true) {
    std::string field;
    if (i < n && data[i] == '"') {
      ++i;
      while (true) {
        if (i >= n) {
          return Status::InvalidInput(file_name + " line " + std::to_string(start_line) +
                                      ": a quoted field is never closed");
        }
        char c = data[i++];
        if (c == '"') {
          if (i < n && data[i] == '"') {
            field.push_back('"');
            ++i;
            continue;
          }
          break;
        }
        if (c == '\n') ++*line;
        field.push_back(c);
      }
      if (i < n && data[i] == '\r' && i + 1 < n && data[i + 1] == '\n') ++i;
      if (i < n && data[i] != ',' && data[i] != '\n') {
        return Status::InvalidInput(file_name + " line " + std::to_string(*line) +
                                    ": unexpected text after a closing quote");
      }
    } else {
      size_t end = i;
      while (end < n && data[end] != ',' && data[end] != '\n') ++end;
      field.assign(data.substr(i, end - i));
      if (!field.empty() && field.back() == '\r' && (end == n || data[end] == '\n')) {
        field.pop_back();
      }
      i = end;
    }
    fields.push_back(std::move(field));
    if (i < n && data[i] == ',') {
      ++i;
      continue;
    }
    if (i < n) ++i;  // the '\n'
    ++*line;
    *pos = i;
    return true;
  }
}

// Index of each wanted column in a header row, or InvalidInput naming the missing one.
Status FindColumns(const std::vector<std::string>& header, const std::string& file_name,
                   std::initializer_list<std::string_view> wanted, std::vector<size_t>& index) {
  index.clear();
  for (std::string_view name : wanted) {
    auto it = std::find(header.begin(), header.end(), name);
    if (it == header.end()) {
      return Status::InvalidInput(file_name + " has no column \"" + std::string(name) +
                                  "\" in its header row");
    }
    index.push_back(static_cast<size_t>(it - header.begin()));
  }
  return Status::OK();
}

bool IsValidUtf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    int len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (len == 0 || i + len > s.size()) return false;
    for (int k = 1; k < len; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    }
    i += len;
  }
  return true;
}

// ml-100k ships latin-1 ("Misérables, Les (1995)" has a bare 0xE9). A file that is already
// valid UTF-8 (re-encoded by the user) is kept as is.
std::string Latin1ToUtf8(std::string text) {
  if (IsValidUtf8(text)) return text;
  std::string out;
  out.reserve(text.size() + text.size() / 16);
  for (char ch : text) {
    auto c = static_cast<unsigned char>(ch);
    if (c < 0x80) {
      out.push_back(ch);
    } else {
      out.push_back(static_cast<char>(0xC0 | (c >> 6)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    }
  }
  return out;
}

void AppendItemRow(std::string& out, std::string_view id, std::string_view title,
                   std::string_view genres, int year) {
  out.append(id);
  out.push_back(',');
  AppendCsvField(out, title);
  out.push_back(',');
  AppendCsvField(out, genres);
  out.push_back(',');
  if (year > 0) out.append(std::to_string(year));
  out.push_back('\n');
}

// Counts distinct user ids. MovieLens groups ratings by user, so remembering the previous id
// skips almost every hash lookup.
class DistinctCounter {
 public:
  void Add(std::string_view id) {
    if (id == last_) return;
    last_.assign(id);
    seen_.insert(last_);
  }
  int64_t size() const { return static_cast<int64_t>(seen_.size()); }

 private:
  std::string last_;
  std::unordered_set<std::string> seen_;
};

// Writes one interactions row from validated fields.
Status AppendRating(std::string& out, const std::string& file_name, int64_t line_number,
                    std::string_view user, std::string_view item, std::string_view rating,
                    std::string_view timestamp) {
  auto where = [&] { return file_name + " line " + std::to_string(line_number) + ": "; };
  if (user.empty() || item.empty() || user.find('"') != std::string_view::npos ||
      item.find('"') != std::string_view::npos) {
    return Status::InvalidInput(where() + "user and movie ids must be non-empty");
  }
  if (!IsNumber(rating)) {
    return Status::InvalidInput(where() + "rating \"" + std::string(rating) + "\" is not a number");
  }
  if (!IsDigits(timestamp)) {
    return Status::InvalidInput(where() + "timestamp \"" + std::string(timestamp) +
                                "\" is not epoch seconds");
  }
  out.append(user);
  out.push_back(',');
  out.append(item);
  out.push_back(',');
  out.append(timestamp);
  out.append(",rating,");
  out.append(rating);
  out.push_back('\n');
  return Status::OK();
}

struct Outputs {
  std::string interactions, items, users;  // paths
};

Status ConvertLatestMovies(Env* env, const std::string& src_dir, const std::string& path,
                           int64_t* num_items) {
  const std::string file_name = "movies.csv";
  TAILOR_ASSIGN_OR_RETURN(std::string data, env->ReadFile(JoinPath(src_dir, file_name)));
  std::string_view text = data;
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);  // a BOM from re-saving
  size_t pos = 0;
  int64_t line = 1;
  std::vector<std::string> fields;
  TAILOR_ASSIGN_OR_RETURN(bool has_header, NextCsvRecord(text, file_name, &pos, &line, fields));
  if (!has_header) return Status::InvalidInput(file_name + " is empty");
  std::vector<size_t> col;
  TAILOR_RETURN_IF_ERROR(FindColumns(fields, file_name, {"movieId", "title", "genres"}, col));
  const size_t needed = *std::max_element(col.begin(), col.end()) + 1;

  TAILOR_ASSIGN_OR_RETURN(ChunkedWriter out, ChunkedWriter::Open(env, path, kItemsHeader));
  while (true) {
    int64_t record_line = line;
    TAILOR_ASSIGN_OR_RETURN(bool more, NextCsvRecord(text, file_name, &pos, &line, fields));
    if (!more) break;
    if (fields.size() == 1 && fields[0].empty()) continue;  // a blank line
    if (fields.size() < needed) {
      return Status::InvalidInput(file_name + " line " + std::to_string(record_line) +
                                  ": expected 3 fields, found " + std::to_string(fields.size()));
    }
    const std::string& id = fields[col[0]];
    if (id.empty()) {
      return Status::InvalidInput(file_name + " line " + std::to_string(record_line) +
                                  ": movieId is empty");
    }
    std::string_view genres = fields[col[2]];
    if (genres == "(no genres listed)") genres = {};
    AppendItemRow(out.buf(), id, fields[col[1]], genres, YearFromTitle(fields[col[1]]));
    ++*num_items;
    TAILOR_RETURN_IF_ERROR(out.MaybeFlush());
  }
  return out.Close();
}

Status ConvertLatestRatings(Env* env, const std::string& src_dir, const std::string& path,
                            int64_t* num_interactions, int64_t* num_users) {
  const std::string file_name = "ratings.csv";
  TAILOR_ASSIGN_OR_RETURN(std::string data, env->ReadFile(JoinPath(src_dir, file_name)));
  std::string_view text = data;
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  TAILOR_ASSIGN_OR_RETURN(ChunkedWriter out, ChunkedWriter::Open(env, path, kInteractionsHeader));
  DistinctCounter users;
  std::vector<std::string_view> fields;
  std::vector<size_t> col;
  size_t needed = 0;
  bool header = true;
  TAILOR_RETURN_IF_ERROR(ForEachLine(text, [&](std::string_view line, int64_t number) -> Status {
    // Ratings hold only numbers, so a plain split is exact and much faster than a full CSV
    // parser on 25 M rows.
    SplitLine(line, ',', fields);
    if (header) {
      header = false;
      std::vector<std::string> names(fields.begin(), fields.end());
      TAILOR_RETURN_IF_ERROR(
          FindColumns(names, file_name, {"userId", "movieId", "rating", "timestamp"}, col));
      needed = *std::max_element(col.begin(), col.end()) + 1;
      return Status::OK();
    }
    if (fields.size() < needed) {
      return Status::InvalidInput(file_name + " line " + std::to_string(number) +
                                  ": expected 4 fields, found " + std::to_string(fields.size()));
    }
    TAILOR_RETURN_IF_ERROR(AppendRating(out.buf(), file_name, number, fields[col[0]],
                                        fields[col[1]], fields[col[2]], fields[col[3]]));
    users.Add(fields[col[0]]);
    ++*num_interactions;
    return out.MaybeFlush();
  }));
  if (header) return Status::InvalidInput(file_name + " is empty");
  *num_users = users.size();
  return out.Close();
}

Status Convert100kRatings(Env* env, const std::string& src_dir, const std::string& path,
                          int64_t* num_interactions, int64_t* num_users) {
  const std::string file_name = "u.data";
  TAILOR_ASSIGN_OR_RETURN(std::string data, env->ReadFile(JoinPath(src_dir, file_name)));
  TAILOR_ASSIGN_OR_RETURN(ChunkedWriter out, ChunkedWriter::Open(env, path, kInteractionsHeader));
  DistinctCounter users;
  std::vector<std::string_view> fields;
  TAILOR_RETURN_IF_ERROR(ForEachLine(data, [&](std::string_view line, int64_t number) -> Status {
    SplitLine(line, '\t', fields);
    if (fields.size() != 4) {
      return Status::InvalidInput(file_name + " line " + std::to_string(number) +
                                  ": expected 4 tab-separated fields, found " +
                                  std::to_string(fields.size()));
    }
    TAILOR_RETURN_IF_ERROR(
        AppendRating(out.buf(), file_name, number, fields[0], fields[1], fields[2], fields[3]));
    users.Add(fields[0]);
    ++*num_interactions;
    return out.MaybeFlush();
  }));
  *num_users = users.size();
  return out.Close();
}

Status Convert100kItems(Env* env, const std::string& src_dir, const std::string& path,
                        int64_t* num_items) {
  const std::string file_name = "u.item";
  TAILOR_ASSIGN_OR_RETURN(std::string raw, env->ReadFile(JoinPath(src_dir, file_name)));
  const std::string data = Latin1ToUtf8(std::move(raw));
  TAILOR_ASSIGN_OR_RETURN(ChunkedWriter out, ChunkedWriter::Open(env, path, kItemsHeader));
  // id | title | release date | video release date | IMDb URL | 19 genre flags
  constexpr size_t kFirstFlag = 5;
  std::vector<std::string_view> fields;
  std::string genres;
  TAILOR_RETURN_IF_ERROR(ForEachLine(data, [&](std::string_view line, int64_t number) -> Status {
    SplitLine(line, '|', fields);
    if (fields.size() != kFirstFlag + k100kNumGenres) {
      return Status::InvalidInput(file_name + " line " + std::to_string(number) + ": expected " +
                                  std::to_string(kFirstFlag + k100kNumGenres) +
                                  " '|'-separated fields, found " + std::to_string(fields.size()));
    }
    if (fields[0].empty()) {
      return Status::InvalidInput(file_name + " line " + std::to_string(number) +
                                  ": movie id is empty");
    }
    genres.clear();
    for (int g = 0; g < k100kNumGenres; ++g) {
      std::string_view flag = fields[kFirstFlag + g];
      if (flag != "0" && flag != "1") {
        return Status::InvalidInput(file_name + " line " + std::to_string(number) +
                                    ": genre flag " + std::to_string(g + 1) + " is \"" +
                                    std::string(flag) + "\", expected 0 or 1");
      }
      if (flag == "0" || k100kGenres[g].empty()) continue;
      if (!genres.empty()) genres.push_back('|');
      genres.append(k100kGenres[g]);
    }
    int year = YearFromTitle(fields[1]);
    std::string_view release = fields[2];  // "01-Jan-1995"
    if (year == 0 && release.size() >= 4 && IsDigits(release.substr(release.size() - 4))) {
      year = std::stoi(std::string(release.substr(release.size() - 4)));
    }
    AppendItemRow(out.buf(), fields[0], fields[1], genres, year);
    ++*num_items;
    return out.MaybeFlush();
  }));
  return out.Close();
}

Status Convert100kUsers(Env* env, const std::string& src_dir, const std::string& path,
                        int64_t* num_users) {
  const std::string file_name = "u.user";
  TAILOR_ASSIGN_OR_RETURN(std::string data, env->ReadFile(JoinPath(src_dir, file_name)));
  TAILOR_ASSIGN_OR_RETURN(ChunkedWriter out, ChunkedWriter::Open(env, path, kUsersHeader));
  std::vector<std::string_view> fields;
  *num_users = 0;
  TAILOR_RETURN_IF_ERROR(ForEachLine(data, [&](std::string_view line, int64_t number) -> Status {
    // id | age | gender | occupation | zip code (dropped: too fine-grained to be categorical)
    SplitLine(line, '|', fields);
    if (fields.size() != 5) {
      return Status::InvalidInput(file_name + " line " + std::to_string(number) +
                                  ": expected 5 '|'-separated fields, found " +
                                  std::to_string(fields.size()));
    }
    if (fields[0].empty() || !IsDigits(fields[1])) {
      return Status::InvalidInput(file_name + " line " + std::to_string(number) +
                                  ": expected a user id and a whole-number age");
    }
    std::string& buf = out.buf();
    buf.append(fields[0]);
    buf.push_back(',');
    buf.append(fields[1]);
    buf.push_back(',');
    AppendCsvField(buf, fields[2]);
    buf.push_back(',');
    AppendCsvField(buf, fields[3]);
    buf.push_back('\n');
    ++*num_users;
    return out.MaybeFlush();
  }));
  return out.Close();
}

}  // namespace

StatusOr<MovieLensLayout> DetectMovieLens(Env* env, const std::string& dir) {
  auto listed = env->ListDir(dir);
  if (!listed.ok()) {
    if (listed.status().IsNotFound()) {
      return Status::NotFound("MovieLens folder " + dir + " does not exist");
    }
    return Status::NotFound("cannot list MovieLens folder " + dir + ": " +
                            listed.status().message());
  }
  const std::vector<std::string>& names = *listed;
  auto has = [&](std::string_view name) {
    return std::binary_search(names.begin(), names.end(), name);
  };
  if (has("ratings.csv") && has("movies.csv")) return MovieLensLayout::kLatest;
  if (has("u.data") && has("u.item")) return MovieLensLayout::k100k;
  std::string message = "folder " + dir +
                        " is not a MovieLens download: looked for ratings.csv and movies.csv "
                        "(ml-latest-small, ml-latest, ml-20m, ml-25m) or u.data and u.item "
                        "(ml-100k)";
  if (has("ratings.dat")) {
    message +=
        "; it holds ratings.dat, the '::'-separated ml-1m / ml-10m layout, which is not "
        "supported";
  }
  return Status::InvalidInput(message);
}

StatusOr<DemoDatasetFiles> ConvertMovieLens(Env* env, const std::string& src_dir,
                                            const std::string& out_dir) {
  TAILOR_ASSIGN_OR_RETURN(MovieLensLayout layout, DetectMovieLens(env, src_dir));
  TAILOR_RETURN_IF_ERROR(env->CreateDirs(out_dir));
  std::error_code ec;
  std::filesystem::path abs = std::filesystem::absolute(out_dir, ec);
  if (ec) return Status::Internal("cannot resolve folder " + out_dir + ": " + ec.message());
  abs = abs.lexically_normal();

  DemoDatasetFiles files;
  files.interactions_csv = (abs / "interactions.csv").string();
  files.items_csv = (abs / "items.csv").string();
  files.interactions_schema = std::string(kInteractionsSchema);
  files.items_schema = std::string(kItemsSchema);
  if (layout == MovieLensLayout::kLatest) {
    TAILOR_RETURN_IF_ERROR(ConvertLatestMovies(env, src_dir, files.items_csv, &files.num_items));
    TAILOR_RETURN_IF_ERROR(ConvertLatestRatings(env, src_dir, files.interactions_csv,
                                                &files.num_interactions, &files.num_users));
    return files;
  }
  TAILOR_RETURN_IF_ERROR(Convert100kItems(env, src_dir, files.items_csv, &files.num_items));
  TAILOR_RETURN_IF_ERROR(Convert100kRatings(env, src_dir, files.interactions_csv,
                                            &files.num_interactions, &files.num_users));
  if (env->FileExists(JoinPath(src_dir, "u.user"))) {
    files.users_csv = (abs / "users.csv").string();
    files.users_schema = std::string(kUsersSchema);
    TAILOR_RETURN_IF_ERROR(Convert100kUsers(env, src_dir, files.users_csv, &files.num_users));
  }
  return files;
}

}  // namespace tailor::data
