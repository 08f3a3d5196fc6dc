/* The tuner's sizes (a fixture written for ksframe's include tests). */
#pragma once

#define TS_PACKET_BYTES 188
#define TS_PACKETS_PER_FRAME 256
#define TS_FRAME_BYTES (TS_PACKET_BYTES * TS_PACKETS_PER_FRAME)
#ifdef TUNER_DEEP_QUEUE
#define TS_FRAMES 32
#else
#define TS_FRAMES 8
#endif
