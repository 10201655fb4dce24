#include "tapecore/unit/catalog_store.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string_view>

#include "tapecore/file_text.h"

namespace tsfs {

namespace {

const char* SizeWord(SizeKind k) {
  switch (k) {
    case SizeKind::kExact:
      return "exact";
    case SizeKind::kEstimated:
      return "estimated";
    case SizeKind::kUnknown:
      break;
  }
  return "unknown";
}

std::optional<SizeKind> SizeFromWord(std::string_view w) {
  if (w == "exact") return SizeKind::kExact;
  if (w == "estimated") return SizeKind::kEstimated;
  if (w == "unknown") return SizeKind::kUnknown;
  return std::nullopt;
}

std::optional<uint64_t> ParseNumberOrDash(std::string_view w, bool* ok) {
  *ok = true;
  if (w == "-") return std::nullopt;
  uint64_t v = 0;
  const auto [end, ec] = std::from_chars(w.data(), w.data() + w.size(), v);
  if (w.empty() || ec != std::errc() || end != w.data() + w.size() || w.size() > 19) {
    *ok = false;
    return std::nullopt;
  }
  return v;
}

// Splits a line at blanks (spaces and tabs) into at most `max` words; a line
// with more words gives max + 1 so that callers can tell.
size_t SplitWords(std::string_view line, std::string_view* words, size_t max) {
  size_t n = 0;
  size_t at = 0;
  while (true) {
    at = line.find_first_not_of(" \t\r", at);
    if (at == std::string_view::npos) break;
    const size_t end = std::min(line.find_first_of(" \t\r", at), line.size());
    if (n == max) return max + 1;
    words[n++] = line.substr(at, end - at);
    at = end;
  }
  return n;
}

Status Malformed(int line, const std::string& why) {
  return Status::Error(ErrorCode::kInvalidArgument,
                       "stored catalog line " + std::to_string(line) + ": " + why)
      .WithContext("catalog store");
}

// mkdir -p with mode 0700 for the last component. Each prefix is cut out of
// `dir` with substr: building it with += part + "/" makes GCC 12 at -O3 warn
// (a false -Wrestrict inside std::string).
Status MakeDirs(const std::string& dir) {
  for (size_t end = dir.find('/', 1);; end = dir.find('/', end + 1)) {
    const std::string prefix = dir.substr(0, end);
    if (!prefix.empty() && ::mkdir(prefix.c_str(), 0700) != 0 && errno != EEXIST) {
      return Status::Error(ErrorCode::kIo, "cannot create " + prefix + ": " + std::strerror(errno))
          .WithContext("catalog store");
    }
    if (end == std::string::npos) break;
  }
  return Status::Ok();
}

}  // namespace

std::string FormatStoredCatalog(const StoredCatalog& c) {
  std::ostringstream out;
  out << "tsfs-catalog 1\n";
  out << "block-size " << c.block_size << "\n";
  out << "eod " << (c.eod ? std::to_string(*c.eod) : "-") << "\n";
  for (const CatalogEntry& e : c.files) {
    out << "file " << e.blocks << ' ' << (e.size_known ? 1 : 0) << ' ' << e.bytes << ' '
        << SizeWord(e.size) << ' ' << e.first_record << ' ' << (e.complete ? 1 : 0) << ' '
        << (e.start ? std::to_string(*e.start) : "-") << "\n";
  }
  return out.str();
}

// Parsed with string_views, not a stream per line: a catalog of 100,000
// files is read at every mount (tests/bench/metadata.sh).
Result<StoredCatalog> ParseStoredCatalog(const std::string& text) {
  StoredCatalog c;
  const std::string_view all(text);
  // One file line per file: growing the vector line by line copied it
  // 17 times for 100,000 files.
  c.files.reserve(static_cast<size_t>(std::count(all.begin(), all.end(), '\n')));
  int n = 0;
  bool header = false;
  for (size_t at = 0; at < all.size();) {
    const size_t nl = std::min(all.find('\n', at), all.size());
    const std::string_view line = all.substr(at, nl - at);
    at = nl + 1;
    ++n;
    std::string_view w[8];
    const size_t count = SplitWords(line, w, 8);
    if (count == 0) continue;
    const std::string_view key = w[0];
    if (!header) {
      if (key != "tsfs-catalog" || count < 2 || w[1] != "1") {
        return Malformed(n, "not a tsfs catalog v1");
      }
      header = true;
      continue;
    }
    bool ok = true;
    if (key == "block-size" && count == 2) {
      std::optional<uint64_t> v = ParseNumberOrDash(w[1], &ok);
      if (!ok || !v || *v == 0 || *v > 0xFFFFFF) return Malformed(n, "bad block size");
      c.block_size = static_cast<uint32_t>(*v);
    } else if (key == "eod" && count == 2) {
      c.eod = ParseNumberOrDash(w[1], &ok);
      if (!ok) return Malformed(n, "bad end of data");
    } else if (key == "file" && count == 8) {
      CatalogEntry e;
      std::optional<uint64_t> blocks = ParseNumberOrDash(w[1], &ok);
      bool ok2 = true, ok3 = true, ok4 = true;
      std::optional<uint64_t> bytes = ParseNumberOrDash(w[3], &ok2);
      std::optional<uint64_t> first = ParseNumberOrDash(w[5], &ok3);
      e.start = ParseNumberOrDash(w[7], &ok4);
      std::optional<SizeKind> size = SizeFromWord(w[4]);
      if (!ok || !ok2 || !ok3 || !ok4 || !blocks || !bytes || !first || !size ||
          (w[2] != "0" && w[2] != "1") || (w[6] != "0" && w[6] != "1") || *first > UINT32_MAX) {
        return Malformed(n, "bad file line");
      }
      e.blocks = *blocks;
      e.size_known = w[2] == "1";
      e.bytes = *bytes;
      e.size = *size;
      e.first_record = static_cast<uint32_t>(*first);
      e.complete = w[6] == "1";
      c.files.push_back(e);
    } else {
      return Malformed(n, "unknown line '" + std::string(key.substr(0, 40)) + "'");
    }
  }
  if (!header) return Malformed(n, "empty");
  for (size_t i = 0; i + 1 < c.files.size(); ++i) {
    if (!c.files[i].complete) return Malformed(n, "a file without filemark before the last one");
  }
  return c;
}

std::string CatalogStore::PathFor(uint64_t fingerprint) const {
  char name[40];
  std::snprintf(name, sizeof name, "fp-%016" PRIx64 ".cat", fingerprint);
  return dir_ + "/" + name;
}

Result<std::optional<StoredCatalog>> CatalogStore::Load(uint64_t fingerprint) const {
  if (!enabled()) return std::optional<StoredCatalog>();
  Result<std::string> text = ReadFileText(PathFor(fingerprint));
  if (!text.ok()) {
    if (text.status().code() == ErrorCode::kNotFound) return std::optional<StoredCatalog>();
    return text.status().WithContext("catalog store");
  }
  TSFS_ASSIGN_OR_RETURN(StoredCatalog c, ParseStoredCatalog(*text));
  return std::optional<StoredCatalog>(std::move(c));
}

Status CatalogStore::Save(uint64_t fingerprint, const StoredCatalog& c) const {
  if (!enabled()) return Status::Ok();
  TSFS_RETURN_IF_ERROR(MakeDirs(dir_));
  const std::string path = PathFor(fingerprint);
  const std::string tmp = path + ".tmp." + std::to_string(::getpid());
  {
    std::ofstream f(tmp, std::ios::trunc);
    f << FormatStoredCatalog(c);
    f.flush();
    if (!f) {
      ::unlink(tmp.c_str());
      return Status::Error(ErrorCode::kIo, "cannot write " + tmp).WithContext("catalog store");
    }
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    const int e = errno;
    ::unlink(tmp.c_str());
    return Status::Error(ErrorCode::kIo, "cannot rename to " + path + ": " + std::strerror(e))
        .WithContext("catalog store");
  }
  return Status::Ok();
}

Status CatalogStore::Forget(uint64_t fingerprint) const {
  if (!enabled()) return Status::Ok();
  if (::unlink(PathFor(fingerprint).c_str()) != 0 && errno != ENOENT) {
    return Status::Error(ErrorCode::kIo, "cannot remove " + PathFor(fingerprint))
        .WithContext("catalog store");
  }
  return Status::Ok();
}

}  // namespace tsfs
