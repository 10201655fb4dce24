// The per-medium catalog file (catalog_store.h) as text of any content: it
// is read from disk at every mount, where anything may have damaged it.
// What the parser accepts must come back the same through the text form.
#include <cstddef>
#include <cstdint>
#include <string>

#include "tapecore/unit/catalog_store.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  auto c = tsfs::ParseStoredCatalog(text);
  if (!c.ok()) return 0;
  if (c->block_size == 0 || c->block_size > 0xFFFFFF) __builtin_trap();
  for (size_t i = 0; i + 1 < c->files.size(); ++i) {
    if (!c->files[i].complete) __builtin_trap();  // only the last may lack its filemark
  }
  const std::string again = tsfs::FormatStoredCatalog(*c);
  auto back = tsfs::ParseStoredCatalog(again);
  if (!back.ok() || tsfs::FormatStoredCatalog(*back) != again) __builtin_trap();
  return 0;
}
