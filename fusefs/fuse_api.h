// The libfuse3 high-level API at the version tsfs is written against.
// Include this instead of <fuse.h> so every file agrees on FUSE_USE_VERSION.
#pragma once

#define FUSE_USE_VERSION 314
#include <fuse.h>
