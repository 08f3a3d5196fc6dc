#pragma once
#define GEN_SIZE 4096
