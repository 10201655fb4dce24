// SIMH .tap images: the fuzz input is the whole image file. It is opened
// read-only through a memfd (no file on disk), indexed, and every object is
// read back, so the index and the reads agree with the file's contents.
#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "tapecore/vtape/tap_image.h"

using tsfs::vtape::ObjectKind;
using tsfs::vtape::TapImage;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const int fd = memfd_create("fuzz.tap", MFD_CLOEXEC);
  if (fd < 0) return 0;
  size_t done = 0;
  while (done < size) {
    const ssize_t n = write(fd, data + done, size - done);
    if (n <= 0) break;
    done += static_cast<size_t>(n);
  }
  const std::string path = "/proc/self/fd/" + std::to_string(fd);
  auto image = TapImage::Open(path, /*read_only=*/true, /*create=*/false);
  if (image.ok()) {
    TapImage& tap = **image;
    const uint64_t objects = tap.size();
    // Every object takes at least its 4-byte header in the file.
    if (objects > size / 4 + 1) __builtin_trap();
    std::vector<uint8_t> buf;
    uint64_t marks = 0;
    for (uint64_t i = 0; i < objects; ++i) {
      const tsfs::vtape::TapObject o = tap.Object(i);
      if (o.offset + o.length > size) __builtin_trap();
      if (tap.TapeMarksBefore(i) != marks) __builtin_trap();
      if (o.kind == ObjectKind::kTapeMark) {
        ++marks;
        continue;
      }
      buf.resize(o.length);
      (void)tap.ReadRecord(i, buf);
      if (o.kind == ObjectKind::kRecord && o.length > 0) {
        const uint64_t count = tap.CountRecords(i, 4, o.length);
        if (count < 1 || count > 4) __builtin_trap();
        buf.resize(count * o.length);
        (void)tap.ReadRecords(i, count, o.length, buf.data());
      }
    }
    (void)tap.DataBytesBefore(objects);
    (void)tap.NextTapeMark(0);
    (void)tap.PrevTapeMark(objects);
    (void)tap.FileStart(marks);
    (void)tap.FileStart(marks + 1);
  }
  close(fd);
  return 0;
}
