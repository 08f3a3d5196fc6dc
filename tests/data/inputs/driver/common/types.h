#pragma once
#include "../dev.h"
#define DEV_FRAMES 4
