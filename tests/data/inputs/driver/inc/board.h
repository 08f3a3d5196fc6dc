#pragma once
#include <gen.h>
