#pragma once
#include "dev.h"
#include "common/types.h"
