// stb_image compiled for blnk: only the decoders blnk accepts (PNG, JPEG, BMP, PNM),
// no stdio, no float/HDR paths, every function static to the translation unit that
// includes this (so two of them can each hold a private copy), stb's own warnings
// silenced. Include it once per translation unit that calls stb, after the other
// includes (data/image.cpp and data/image_color.cpp do).
#pragma once

#define STBI_ONLY_PNG
#define STBI_ONLY_JPEG
#define STBI_ONLY_BMP
#define STBI_ONLY_PNM
#define STBI_NO_STDIO
#define STBI_NO_LINEAR
#define STBI_NO_HDR
#define STB_IMAGE_STATIC
#define STB_IMAGE_IMPLEMENTATION
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wsign-compare"
#pragma GCC diagnostic ignored "-Wunused-function"
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
#pragma GCC diagnostic ignored "-Wimplicit-fallthrough"
#include <stb/stb_image.h>
#pragma GCC diagnostic pop
