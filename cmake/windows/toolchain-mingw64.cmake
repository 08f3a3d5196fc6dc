# Cross build for 64-bit Windows with Debian's mingw-w64 toolchain (g++-mingw-w64-x86-64-posix:
# the posix threading model, which std::thread needs). The dependencies are looked up only in
# KSFRAME_WINDOWS_PREFIX, where cmake/windows/build-deps.sh installs them built from Debian's
# source packages. Tests run under wine (CMAKE_CROSSCOMPILING_EMULATOR).
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR x86_64)
set(CMAKE_C_COMPILER x86_64-w64-mingw32-gcc-posix)
set(CMAKE_CXX_COMPILER x86_64-w64-mingw32-g++-posix)
set(CMAKE_RC_COMPILER x86_64-w64-mingw32-windres)

if(NOT KSFRAME_WINDOWS_PREFIX)
  set(KSFRAME_WINDOWS_PREFIX "${CMAKE_CURRENT_LIST_DIR}/../../build/windows-deps/prefix")
endif()
get_filename_component(KSFRAME_WINDOWS_PREFIX "${KSFRAME_WINDOWS_PREFIX}" ABSOLUTE)
set(CMAKE_FIND_ROOT_PATH /usr/x86_64-w64-mingw32 "${KSFRAME_WINDOWS_PREFIX}")
set(CMAKE_PREFIX_PATH "${KSFRAME_WINDOWS_PREFIX}")
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# One self-contained ksframe.exe: no libstdc++, libgcc or winpthread DLLs to ship.
set(CMAKE_EXE_LINKER_FLAGS_INIT "-static")
# Debian's wine64 package installs the loader outside PATH.
find_program(KSFRAME_WINE NAMES wine64 wine PATHS /usr/lib/wine NO_CMAKE_FIND_ROOT_PATH)
if(KSFRAME_WINE)
  set(CMAKE_CROSSCOMPILING_EMULATOR "${KSFRAME_WINE}")
endif()
