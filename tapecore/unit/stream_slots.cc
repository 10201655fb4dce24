#include "tapecore/unit/stream_slots.h"

#include <algorithm>

namespace tsfs {

std::vector<std::span<uint8_t>> CutIntoSlots(StreamBuffers& buffers, uint32_t block_size,
                                             size_t max_slot_bytes) {
  const size_t whole = buffers.size() / block_size * block_size;
  const size_t per_command = std::min<uint64_t>(kMaxBlocksPerCommand, max_slot_bytes / block_size);
  const size_t per_slot = std::min<uint64_t>(whole, std::max<size_t>(per_command, 1) * block_size);
  std::vector<std::span<uint8_t>> slots;
  for (int b = 0; b < 2; ++b) {
    std::span<uint8_t> buf = buffers.buffer(b).subspan(0, whole);
    for (size_t off = 0; off < whole; off += per_slot) {
      slots.push_back(buf.subspan(off, std::min(per_slot, whole - off)));
    }
  }
  return slots;
}

size_t WatermarkSlots(size_t slots, unsigned percent) {
  const size_t n = (slots * std::min(percent, 100u) + 99) / 100;
  return std::clamp<size_t>(n, 1, slots);
}

size_t WriteWatermarkSlots(const std::vector<std::span<uint8_t>>& slots, unsigned percent,
                           uint64_t max_bytes) {
  const size_t by_percent = WatermarkSlots(slots.size(), percent);
  uint64_t bytes = 0;
  size_t n = 0;
  while (n < by_percent && bytes + slots[n].size() <= max_bytes) bytes += slots[n++].size();
  return std::max<size_t>(n, 1);
}

}  // namespace tsfs
