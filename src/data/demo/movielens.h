// MovieLens converter: turns a downloaded (and unzipped) GroupLens MovieLens folder into
// Personalize-shaped interactions, items and users CSVs with matching Avro schemas, so that
// `tailor quickstart` and the benchmarks can run on real ratings. MovieLens files are never
// bundled or downloaded by Tailor; the user points at a folder they already have.
// Thread-safety: free functions with no shared state; concurrent calls are safe when they
// write to different folders.
#pragma once

#include <string>

#include "common/env.h"
#include "common/status.h"
#include "common/status_or.h"
#include "data/demo/synthetic_dataset.h"

namespace tailor::data {

enum class MovieLensLayout {
  // ml-latest-small, ml-latest, ml-20m, ml-25m, ml-32m: ratings.csv and movies.csv with header
  // rows, UTF-8, RFC 4180 quoting.
  kLatest,
  // ml-100k: u.data (tab-separated user, item, rating, timestamp), u.item ('|'-separated,
  // latin-1, 19 genre flag columns) and u.user ('|'-separated user, age, gender, occupation,
  // zip code).
  k100k,
};

// Tells which MovieLens layout folder `dir` holds, by the names of the files in it.
// NotFound when `dir` does not exist or cannot be listed; InvalidInput when it holds neither
// layout, with a message naming the files looked for (and saying that the '::'-separated
// ml-1m / ml-10m layout is not supported when it sees ratings.dat).
StatusOr<MovieLensLayout> DetectMovieLens(Env* env, const std::string& dir);

// Detects the layout of `src_dir`, creates `out_dir` if needed and writes into it:
//   interactions.csv  USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE,EVENT_VALUE: one row per rating, in
//                     file order, EVENT_TYPE "rating", EVENT_VALUE the rating as written
//                     ("4.0", "3.5"; ml-100k: "3"). Ids are MovieLens's numeric ids.
//   items.csv         ITEM_ID,TITLE,GENRES,YEAR: every movie of movies.csv / u.item. TITLE is
//                     the title as MovieLens writes it (quoted when needed, latin-1 converted to
//                     UTF-8); GENRES the '|'-joined genres, empty (null) for
//                     "(no genres listed)" or ml-100k's "unknown" flag; YEAR from a trailing
//                     "(1995)" or "(2006-2007)" in the title (ml-100k: else the release date),
//                     empty (null) when there is none.
//   users.csv         ml-100k only, when u.user exists: USER_ID,AGE,GENDER,OCCUPATION.
// Existing files of those names are overwritten. Returns absolute paths, schemas and counts;
// num_users counts the distinct users that rated (ml-100k with u.user: its rows).
// NotFound / InvalidInput from DetectMovieLens; InvalidInput naming the file and line of a
// malformed row or a missing header column; the Env's error when a file cannot be read or
// written (partial output may remain).
//
// Memory: rows are converted one at a time and written in large chunks; the distinct user ids
// are kept to count them. Env offers no sequential reader yet, so each input file is read
// whole with Env::ReadFile (ml-25m's ratings.csv is about 650 MB).
StatusOr<DemoDatasetFiles> ConvertMovieLens(Env* env, const std::string& src_dir,
                                            const std::string& out_dir);

}  // namespace tailor::data
