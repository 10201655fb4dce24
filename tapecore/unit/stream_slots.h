// The two streaming buffers seen as a ring of slots. A slot is what one
// READ or WRITE command moves (at most 32768 blocks: tgtd takes at most 65535
// per READ(6)/WRITE(6)), so buffers of any size are filled and drained in
// pieces: the drive gets its first command once one slot is ready, not once
// a whole 1 GiB buffer is, and a close drains only what is still buffered.
// With the default buffers (1 MiB each) there are two slots, one per buffer.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "tapecore/unit/stream_buffers.h"

namespace tsfs {

// Blocks per command, and so per slot.
inline constexpr uint64_t kMaxBlocksPerCommand = 32768;

// Cuts both buffers into slots of whole blocks, each at most one command:
// buffer 0's slots first, then buffer 1's. Every slot holds at least one
// block (the unit refuses buffers smaller than a block).
std::vector<std::span<uint8_t>> CutIntoSlots(StreamBuffers& buffers, uint32_t block_size);

// How many slots must be full (writing) or free (reading) before the thread
// starts the drive again: `percent` of all slots, at least one.
size_t WatermarkSlots(size_t slots, unsigned percent);

}  // namespace tsfs
