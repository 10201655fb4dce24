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

// Blocks per command at most.
inline constexpr uint64_t kMaxBlocksPerCommand = 32768;
// Bytes per slot at most (unless one block is larger): the size of the
// default buffers. A slot is written by one thread and read by the other
// soon after; slots this small stay in the CPU cache between the two copies,
// where 16 MiB slots went through memory and halved the rate through a
// mount with large buffers.
inline constexpr size_t kMaxSlotBytes = size_t{1} << 20;

// Cuts both buffers into slots of whole blocks, each at most
// `max_slot_bytes` (and one command): buffer 0's slots first, then buffer
// 1's. Every slot holds at least one block (the unit refuses buffers smaller
// than a block).
std::vector<std::span<uint8_t>> CutIntoSlots(StreamBuffers& buffers, uint32_t block_size,
                                             size_t max_slot_bytes = kMaxSlotBytes);

// How many slots must be full (writing) or free (reading) before the thread
// starts the drive again: `percent` of all slots, at least one.
size_t WatermarkSlots(size_t slots, unsigned percent);

// The write watermark in slots: `percent` of all slots, but no more of the
// first slots than hold `max_bytes` (at least one slot). The cap keeps the
// data held only in host memory before the drive sees any of it, and the
// wait for the first WRITE, bounded however large the buffers are.
size_t WriteWatermarkSlots(const std::vector<std::span<uint8_t>>& slots, unsigned percent,
                           uint64_t max_bytes);

}  // namespace tsfs
