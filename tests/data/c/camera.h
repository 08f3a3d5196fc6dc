/* Shared definitions of the test camera driver (a fixture written for ksframe's tests). */
#pragma once

#define CAM_WIDTH 320
#define CAM_HEIGHT 240
#define CAM_BYTES_PER_PIXEL 2
#define CAM_FRAME_BYTES (CAM_WIDTH * CAM_HEIGHT * CAM_BYTES_PER_PIXEL)
#define CAM_FRAME_INTERVAL 333667 /* 100-ns units: 29.97 frames per second */

#ifdef CAM_LOW_LATENCY
#define CAM_CAPTURE_FRAMES 2
#else
#define CAM_CAPTURE_FRAMES 4
#endif

#define CAM_POOL_TAG 'maCT'

typedef struct _CAM_HEADER {
    ULONG Magic;
    ULONG Sequence;
    LONGLONG Timestamp;
} CAM_HEADER;
