// vtape source strings (vtape:PATH?options, PATH.tap) and sizes.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "tapecore/vtape/vtape_options.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string spec(reinterpret_cast<const char*>(data), size);
  auto options = tsfs::vtape::ParseVtapeSpec(spec);
  if (options.ok() && options->early_warning > options->capacity) __builtin_trap();
  (void)tsfs::vtape::ParseSize(std::string_view(spec), "size");
  return 0;
}
