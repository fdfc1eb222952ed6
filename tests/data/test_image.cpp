// Image decoding: PNG, JPEG, BMP, PNM in every channel layout (GIF, WebP and
// scaled JPEG decoding: test_image_decode.cpp), 16-bit, alpha
// compositing, limits checked before decoding, and every error category.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "data/image.h"
#include "data/image_write.h"
#include "data_test_util.h"

using namespace blnk::data;

namespace {

// A 6x4 test pattern: gray levels 0, 50, 100, ... by pixel.
std::vector<std::uint8_t> gray_pattern(int w, int h) {
  std::vector<std::uint8_t> p(static_cast<std::size_t>(w) * h);
  for (std::size_t i = 0; i < p.size(); ++i) p[i] = static_cast<std::uint8_t>((i * 50) % 256);
  return p;
}

// The kind of ImageError thrown, checking the message names the file.
template <typename F>
ImageErrorKind kind_of(F&& f, const std::string& name, std::string* message = nullptr) {
  try {
    f();
  } catch (const ImageError& e) {
    CHECK(std::string(e.what()).find(name) == 0);
    if (message) *message = e.what();
    return e.kind();
  }
  FAIL("no ImageError thrown");
  return ImageErrorKind::empty;
}

}  // namespace

TEST_CASE("image: PNG gray, gray+alpha, RGB, RGBA decode to Rec.601 luma") {
  const int w = 6, h = 4;
  const auto gray = gray_pattern(w, h);
  const GrayImage g = decode_image_gray(encode_png(gray, w, h, 1), "g.png");
  REQUIRE(g.width == w);
  REQUIRE(g.height == h);
  for (int i = 0; i < w * h; ++i) CHECK(g.pixels[i] == doctest::Approx(gray[i] / 255.0f));
  CHECK(!g.had_alpha);
  // RGB: pure red, green, blue, white.
  const std::vector<std::uint8_t> rgb = {255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255};
  const GrayImage c = decode_image_gray(encode_png(rgb, 4, 1, 3), "c.png");
  CHECK(c.pixels[0] == doctest::Approx(0.299f));
  CHECK(c.pixels[1] == doctest::Approx(0.587f));
  CHECK(c.pixels[2] == doctest::Approx(0.114f));
  CHECK(c.pixels[3] == doctest::Approx(1.0f));
  // RGBA, fully opaque: same as RGB.
  const std::vector<std::uint8_t> rgba = {255, 0, 0, 255, 0, 0, 0, 255};
  const GrayImage a = decode_image_gray(encode_png(rgba, 2, 1, 4), "a.png");
  CHECK(a.had_alpha);
  CHECK(a.pixels[0] == doctest::Approx(0.299f));
  CHECK(a.pixels[1] == doctest::Approx(0.0f));
}

TEST_CASE("image: GrayFrom::colour_contrast shows red on teal of the same brightness, and leaves one colour's noise faint") {
  // A red square on teal: their lumas differ by under 1% (87.9 against 89.1 of 255).
  const int w = 40, h = 30;
  std::vector<std::uint8_t> rgb(std::size_t(w) * h * 3), noisy(rgb.size());
  std::uint32_t state = 7;
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      const bool red = x >= 10 && x < 20 && y >= 10 && y < 20;
      const std::uint8_t c[3] = {std::uint8_t(red ? 200 : 40), std::uint8_t(red ? 40 : 110), std::uint8_t(red ? 40 : 110)};
      for (int k = 0; k < 3; ++k) {
        const std::size_t i = (std::size_t(y) * w + x) * 3 + std::size_t(k);
        rgb[i] = c[k];
        state = state * 1664525u + 1013904223u;
        noisy[i] = std::uint8_t(40 + (k > 0 ? 70 : 0) + int(state >> 29) - 4);  // teal, +-4 levels
      }
    }
  }
  const auto png = encode_png(rgb, w, h, 3);
  const GrayImage luma = decode_image_gray(png, "l.png");
  CHECK(std::abs(luma.at(15, 15) - luma.at(2, 2)) < 0.01f);
  GrayImage colour;
  decode_image_gray(png, "c.png", colour, {}, {}, GrayFrom::colour_contrast);
  REQUIRE(colour.width == w);
  CHECK(std::abs(colour.at(15, 15) - colour.at(2, 2)) > 0.5f);
  CHECK(colour.at(15, 15) >= 0.0f);
  CHECK(colour.at(15, 15) <= 1.0f);
  // One colour and its noise: as faint as in luma, not stretched into strokes.
  decode_image_gray(encode_png(noisy, w, h, 3), "n.png", colour, {}, {}, GrayFrom::colour_contrast);
  const auto [lo, hi] = std::minmax_element(colour.pixels.begin(), colour.pixels.end());
  CHECK(*hi - *lo < 0.05f);
  // A gray picture is its luma either way.
  const auto gray = gray_pattern(6, 4);
  const GrayImage g = decode_image_gray(encode_png(gray, 6, 4, 1), "g.png");
  decode_image_gray(encode_png(gray, 6, 4, 1), "g.png", colour, {}, {}, GrayFrom::colour_contrast);
  CHECK(colour.pixels == g.pixels);
}

TEST_CASE("image: alpha makes transparent pixels background, for dark and for light strokes") {
  // Black strokes on a transparent canvas (colour channels 0 everywhere).
  std::vector<std::uint8_t> ga = {0, 255, 0, 0, 0, 0, 0, 128};  // (gray, alpha) x 4
  GrayImage dark = decode_image_gray(encode_png(ga, 4, 1, 2), "dark.png");
  CHECK(dark.pixels[0] == doctest::Approx(0.0f));           // opaque black stroke
  CHECK(dark.pixels[1] == doctest::Approx(1.0f));           // transparent -> white backdrop
  CHECK(dark.pixels[3] == doctest::Approx(1.0f - 128 / 255.0f).epsilon(0.01));
  // White strokes on transparent: backdrop black.
  std::vector<std::uint8_t> wa = {255, 255, 255, 0, 255, 0, 255, 255};
  GrayImage light = decode_image_gray(encode_png(wa, 4, 1, 2), "light.png");
  CHECK(light.pixels[0] == doctest::Approx(1.0f));
  CHECK(light.pixels[1] == doctest::Approx(0.0f));
  CHECK(light.pixels[3] == doctest::Approx(1.0f));
  // Fully transparent image: uniform.
  std::vector<std::uint8_t> none = {10, 0, 200, 0};
  GrayImage empty = decode_image_gray(encode_png(none, 2, 1, 2), "none.png");
  CHECK(empty.pixels[0] == empty.pixels[1]);
}

TEST_CASE("image: 16-bit PNG, gray and RGB") {
  const std::vector<std::uint16_t> g16 = {0, 65535, 32768, 1000};
  const GrayImage g = decode_image_gray(blnk::data::test::encode_png16(g16, 2, 2, 1), "g16.png");
  REQUIRE(g.pixels.size() == 4);
  CHECK(g.pixels[0] == doctest::Approx(0.0f));
  CHECK(g.pixels[1] == doctest::Approx(1.0f));
  CHECK(g.pixels[2] == doctest::Approx(32768 / 65535.0f));
  CHECK(g.pixels[3] == doctest::Approx(1000 / 65535.0f));  // finer than 8 bits
  const ImageInfo info = probe_image(blnk::data::test::encode_png16(g16, 2, 2, 1), "g16.png");
  CHECK(info.is_16_bit);
  CHECK(info.format == ImageFormat::png);
  const std::vector<std::uint16_t> rgb16 = {65535, 0, 0};
  const GrayImage c = decode_image_gray(blnk::data::test::encode_png16(rgb16, 1, 1, 3), "c16.png");
  CHECK(c.pixels[0] == doctest::Approx(0.299f));
}

TEST_CASE("image: JPEG, BMP, PGM and PPM decode") {
  const int w = 16, h = 8;
  std::vector<std::uint8_t> flat(static_cast<std::size_t>(w) * h, 200);
  const GrayImage j = decode_image_gray(encode_jpeg(flat, w, h, 1, 95), "f.jpg");
  CHECK(j.width == w);
  CHECK(j.pixels[5] == doctest::Approx(200 / 255.0f).epsilon(0.02));
  const auto gray = gray_pattern(w, h);
  const GrayImage b = decode_image_gray(encode_bmp(gray, w, h, 1), "f.bmp");
  CHECK(b.height == h);
  for (int i = 0; i < w * h; ++i) CHECK(b.pixels[i] == doctest::Approx(gray[i] / 255.0f));
  // Binary PGM (P5) and PPM (P6), written by hand, with a comment line.
  std::string pgm = "P5\n# a comment\n3 1\n255\n";
  pgm += std::string("\x00\x80\xff", 3);
  const GrayImage p = decode_image_gray(std::span(reinterpret_cast<const std::uint8_t*>(pgm.data()), pgm.size()), "f.pgm");
  CHECK(p.width == 3);
  CHECK(p.pixels[1] == doctest::Approx(128 / 255.0f));
  std::string ppm = "P6 1 1 255\n";
  ppm += std::string("\x00\xff\x00", 3);
  const GrayImage q = decode_image_gray(std::span(reinterpret_cast<const std::uint8_t*>(ppm.data()), ppm.size()), "f.ppm");
  CHECK(q.pixels[0] == doctest::Approx(0.587f));
}

TEST_CASE("image: a top-down BMP (a negative height in its header) is read upright at its size") {
  // Windows tools write BMPs top row first, saying so with a negative height; stb's
  // header reader gave that height as it is stored, and the pixel limit then refused
  // a 6x4 image as 6x18446744073709551612 pixels.
  const int w = 6, h = 4;
  const auto gray = gray_pattern(w, h);
  std::vector<std::uint8_t> bmp = encode_bmp(gray, w, h, 1);  // bottom row first
  const auto le32 = [&](std::size_t at) {
    return std::uint32_t{bmp[at]} | std::uint32_t{bmp[at + 1]} << 8 | std::uint32_t{bmp[at + 2]} << 16 |
           std::uint32_t{bmp[at + 3]} << 24;
  };
  const std::size_t offset = le32(10), bits = std::size_t{bmp[28]} | std::size_t{bmp[29]} << 8;
  const std::size_t stride = (w * bits + 31) / 32 * 4;
  REQUIRE(bmp.size() >= offset + stride * h);
  for (int top = 0, bottom = h - 1; top < bottom; ++top, --bottom)
    std::swap_ranges(bmp.begin() + std::ptrdiff_t(offset + top * stride),
                     bmp.begin() + std::ptrdiff_t(offset + (top + 1) * stride),
                     bmp.begin() + std::ptrdiff_t(offset + bottom * stride));
  const std::uint32_t negative_height = static_cast<std::uint32_t>(-h);
  for (int b = 0; b < 4; ++b) bmp[22 + b] = static_cast<std::uint8_t>(negative_height >> (8 * b));

  const ImageInfo info = probe_image(bmp, "top-down.bmp");
  CHECK(info.width == w);
  CHECK(info.height == h);
  const GrayImage g = decode_image_gray(bmp, "top-down.bmp");
  REQUIRE(g.width == w);
  REQUIRE(g.height == h);
  for (int i = 0; i < w * h; ++i) CHECK(g.pixels[i] == doctest::Approx(gray[i] / 255.0f));
}

TEST_CASE("image: error categories: empty, not an image, unsupported, undecodable, truncated") {
  std::string msg;
  CHECK(kind_of([] { decode_image_gray({}, "e.png"); }, "e.png", &msg) == ImageErrorKind::empty);
  const std::string text = "hello, this is text";
  const std::span tb(reinterpret_cast<const std::uint8_t*>(text.data()), text.size());
  CHECK(kind_of([&] { decode_image_gray(tb, "t.txt"); }, "t.txt") == ImageErrorKind::not_an_image);
  const std::string tiff("II*\0abcdefgh", 12);
  const std::span tiff_bytes(reinterpret_cast<const std::uint8_t*>(tiff.data()), tiff.size());
  CHECK(kind_of([&] { decode_image_gray(tiff_bytes, "x.tif"); }, "x.tif", &msg) == ImageErrorKind::unsupported_format);
  CHECK(msg.find("unsupported format: TIFF") != std::string::npos);
  CHECK(msg.find("GIF, WebP") != std::string::npos);  // the formats that are read
  for (const std::string& sig : {std::string("II*\0abcdefgh", 12), std::string("\0\0\0\x18" "ftypheic", 12),
                                 std::string("%PDF-1.4")}) {
    const std::span sb(reinterpret_cast<const std::uint8_t*>(sig.data()), sig.size());
    CHECK(kind_of([&] { decode_image_gray(sb, "u"); }, "u") == ImageErrorKind::unsupported_format);
  }
  CHECK(sniff_image_format(std::span(reinterpret_cast<const std::uint8_t*>("II*\0"), 4)) == ImageFormat::tiff);
  // A PNG cut in half, a PNG with scrambled image data, a JPEG cut short.
  const auto png = encode_png(gray_pattern(32, 32), 32, 32, 1);
  CHECK(kind_of([&] { decode_image_gray(std::span(png).first(png.size() / 2), "half.png"); }, "half.png", &msg) ==
        ImageErrorKind::undecodable);
  CHECK(msg.find("truncated") != std::string::npos);
  auto scrambled = png;  // deflate data replaced by 0xFF: a reserved block type
  for (std::size_t i = 43; i + 20 < scrambled.size(); ++i) scrambled[i] = 0xFF;
  CHECK(kind_of([&] { decode_image_gray(scrambled, "s.png"); }, "s.png") == ImageErrorKind::undecodable);
  const auto jpg = encode_jpeg(gray_pattern(32, 32), 32, 32, 1);
  CHECK(kind_of([&] { decode_image_gray(std::span(jpg).first(jpg.size() - 40), "cut.jpg"); }, "cut.jpg", &msg) ==
        ImageErrorKind::undecodable);
  CHECK(msg.find("truncated") != std::string::npos);
  // Cut before its frame header (a download cut within a photo's metadata): TurboJPEG
  // read no size, and the message was "image has a zero width or height".
  for (const std::size_t keep : {std::size_t{3}, std::size_t{20}}) {
    CHECK(kind_of([&] { decode_image_gray(std::span(jpg).first(keep), "head.jpg"); }, "head.jpg", &msg) ==
          ImageErrorKind::undecodable);
    CHECK(msg.find("truncated") != std::string::npos);
  }
  // A BMP and a PGM shorter than their headers promise.
  const auto bmp = encode_bmp(gray_pattern(16, 16), 16, 16, 1);
  CHECK(kind_of([&] { decode_image_gray(std::span(bmp).first(bmp.size() - 10), "cut.bmp"); }, "cut.bmp") ==
        ImageErrorKind::undecodable);
  const std::string pgm = "P5 4 4 255\nabc";
  CHECK(kind_of([&] { decode_image_gray(std::span(reinterpret_cast<const std::uint8_t*>(pgm.data()), pgm.size()), "cut.pgm"); },
                "cut.pgm") == ImageErrorKind::undecodable);
  CHECK(std::string(image_error_kind_name(ImageErrorKind::too_large)) == "too_large");
}

TEST_CASE("image: limits are checked from the header, before decoding") {
  // A PNG header claiming 100000x100000 pixels, and nothing behind it.
  auto png = encode_png(gray_pattern(4, 4), 4, 4, 1);
  auto huge = png;
  const std::uint32_t side = 100000;
  for (int k = 0; k < 2; ++k) {
    for (int b = 0; b < 4; ++b) huge[16 + k * 4 + b] = static_cast<std::uint8_t>(side >> (24 - 8 * b));
  }
  std::string msg;
  CHECK(kind_of([&] { decode_image_gray(huge, "huge.png"); }, "huge.png", &msg) == ImageErrorKind::too_large);
  CHECK(msg.find("100000x100000 = 10000000000") != std::string::npos);
  CHECK(msg.find("limit 50000000") != std::string::npos);
  // Caller limits: pixels and file bytes.
  ImageLimits small;
  small.max_pixels = 15;
  CHECK(kind_of([&] { decode_image_gray(png, "p.png", small); }, "p.png") == ImageErrorKind::too_large);
  ImageLimits tiny_file;
  tiny_file.max_file_bytes = 10;
  CHECK(kind_of([&] { decode_image_gray(png, "p.png", tiny_file); }, "p.png", &msg) == ImageErrorKind::too_large);
  CHECK(msg.find("file too large") != std::string::npos);
  // A huge BMP header and a huge PGM header.
  auto bmp = encode_bmp(gray_pattern(4, 4), 4, 4, 1);
  bmp[18] = 0x00, bmp[19] = 0x00, bmp[20] = 0x01, bmp[21] = 0x00;  // width 65536
  bmp[22] = 0x00, bmp[23] = 0x00, bmp[24] = 0x01, bmp[25] = 0x00;  // height 65536
  CHECK(kind_of([&] { decode_image_gray(bmp, "h.bmp"); }, "h.bmp") == ImageErrorKind::too_large);
  const std::string pgm = "P5 90000 90000 255\n";
  CHECK(kind_of([&] { decode_image_gray(std::span(reinterpret_cast<const std::uint8_t*>(pgm.data()), pgm.size()), "h.pgm"); },
                "h.pgm") == ImageErrorKind::too_large);
}

TEST_CASE("image: files: read_image_gray and write_png") {
  blnk::data::test::TempDir dir("img");
  const auto gray = gray_pattern(5, 3);
  write_png(dir.file("a.png"), gray, 5, 3, 1);
  const GrayImage g = read_image_gray(dir.file("a.png"));
  CHECK(g.width == 5);
  CHECK(g.pixels[4] == doctest::Approx(gray[4] / 255.0f));
  CHECK_THROWS_AS(read_image_gray(dir.file("missing.png")), blnk::Error);
  write_png(dir.file("empty.png"), gray, 5, 3, 1);
  std::filesystem::resize_file(dir.file("empty.png"), 0);
  CHECK(kind_of([&] { read_image_gray(dir.file("empty.png")); }, dir.file("empty.png")) == ImageErrorKind::empty);
  CHECK_THROWS_AS(encode_png(gray, 4, 3, 1), blnk::Error);  // wrong size
}
