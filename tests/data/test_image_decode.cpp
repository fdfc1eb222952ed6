// The one decode entry point over its three decoders: GIF (stb, first frame),
// WebP (libwebp) and JPEG (TurboJPEG, with DCT-scaled decoding) against the PNG
// of the same pixels; scaled decoding against the full decode area-averaged;
// JPEGs over the pixel limit read at a reduced size; hostile and cut files.
// Fixtures are made here: GIF by a small LZW writer below, WebP by libwebp's
// encoder, JPEG by stb_image_write and TurboJPEG (for CMYK and progressive).
#include <doctest/doctest.h>

#include <turbojpeg.h>
#include <webp/encode.h>
#include <webp/mux.h>

#include <cmath>
#include <cstdlib>
#include <string>
#include <vector>

#include "data/image.h"
#include "data/image_color.h"
#include "data/image_write.h"
#include "data/preprocess.h"
#include "data_test_util.h"

using namespace blnk::data;

namespace {

using Bytes = std::vector<std::uint8_t>;

// A smooth RGB pattern with some edges: (h, w, 3).
Bytes rgb_pattern(int w, int h) {
  Bytes p(static_cast<std::size_t>(w) * h * 3);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      std::uint8_t* q = &p[(static_cast<std::size_t>(y) * w + x) * 3];
      const bool bar = (x / 8 + y / 8) % 3 == 0;
      q[0] = static_cast<std::uint8_t>(bar ? 30 : 40 + 200 * x / w);
      q[1] = static_cast<std::uint8_t>(bar ? 20 : 220 - 150 * y / h);
      q[2] = static_cast<std::uint8_t>(bar ? 60 : 128);
    }
  return p;
}

Bytes gray_of(const Bytes& rgb) {
  Bytes g(rgb.size() / 3);
  for (std::size_t i = 0; i < g.size(); ++i)
    g[i] = static_cast<std::uint8_t>(std::lround(0.299 * rgb[3 * i] + 0.587 * rgb[3 * i + 1] + 0.114 * rgb[3 * i + 2]));
  return g;
}

// A GIF of 8-bit gray pixels (a 256-entry gray palette). The LZW stream sends
// every pixel as a literal code and a clear code every 100 codes, so the code
// width stays 9 bits: valid for every decoder, no compression needed.
Bytes encode_gif_gray(const Bytes& gray, int w, int h) {
  Bytes out = {'G', 'I', 'F', '8', '9', 'a'};
  auto put16 = [&](int v) { out.push_back(std::uint8_t(v & 0xFF)), out.push_back(std::uint8_t(v >> 8)); };
  put16(w), put16(h);
  out.insert(out.end(), {0xF7, 0, 0});  // global table of 256 colours
  for (int i = 0; i < 256; ++i) out.insert(out.end(), {std::uint8_t(i), std::uint8_t(i), std::uint8_t(i)});
  out.push_back(0x2C);
  put16(0), put16(0), put16(w), put16(h);
  out.push_back(0);  // no local table, not interlaced
  out.push_back(8);  // LZW minimum code size
  Bytes lzw;
  std::uint32_t bits = 0;
  int nbits = 0;
  auto code = [&](int c) {
    bits |= std::uint32_t(c) << nbits;
    for (nbits += 9; nbits >= 8; nbits -= 8, bits >>= 8) lzw.push_back(std::uint8_t(bits & 0xFF));
  };
  constexpr int kClear = 256, kEnd = 257, kCodesPerClear = 100;
  for (std::size_t i = 0; i < gray.size(); ++i) {
    if (i % kCodesPerClear == 0) code(kClear);
    code(gray[i]);
  }
  code(kEnd);
  if (nbits > 0) lzw.push_back(std::uint8_t(bits & 0xFF));
  for (std::size_t p = 0; p < lzw.size(); p += 255) {
    const std::size_t n = std::min<std::size_t>(255, lzw.size() - p);
    out.push_back(std::uint8_t(n));
    out.insert(out.end(), lzw.begin() + std::ptrdiff_t(p), lzw.begin() + std::ptrdiff_t(p + n));
  }
  out.push_back(0);     // end of the image data
  out.push_back(0x3B);  // trailer
  return out;
}

Bytes webp_lossless(const Bytes& px, int w, int h, int channels) {
  std::uint8_t* data = nullptr;
  const std::size_t n = channels == 4 ? WebPEncodeLosslessRGBA(px.data(), w, h, w * 4, &data)
                                      : WebPEncodeLosslessRGB(px.data(), w, h, w * 3, &data);
  REQUIRE(n > 0);
  Bytes out(data, data + n);
  WebPFree(data);
  return out;
}

Bytes webp_lossy(const Bytes& rgb, int w, int h) {
  std::uint8_t* data = nullptr;
  const std::size_t n = WebPEncodeRGB(rgb.data(), w, h, w * 3, 90.0f, &data);
  REQUIRE(n > 0);
  Bytes out(data, data + n);
  WebPFree(data);
  return out;
}

// An animated WebP of two lossless RGBA frames (libwebpmux's encoder).
Bytes webp_animation(const Bytes& first, const Bytes& second, int w, int h) {
  WebPAnimEncoderOptions options;
  REQUIRE(WebPAnimEncoderOptionsInit(&options));
  WebPAnimEncoder* enc = WebPAnimEncoderNew(w, h, &options);
  REQUIRE(enc != nullptr);
  WebPConfig config;
  REQUIRE(WebPConfigInit(&config));
  config.lossless = 1;
  int timestamp = 0;
  for (const Bytes* frame : {&first, &second}) {
    WebPPicture picture;
    REQUIRE(WebPPictureInit(&picture));
    picture.use_argb = 1, picture.width = w, picture.height = h;
    REQUIRE(WebPPictureImportRGBA(&picture, frame->data(), w * 4));
    REQUIRE(WebPAnimEncoderAdd(enc, &picture, timestamp, &config));
    WebPPictureFree(&picture);
    timestamp += 100;
  }
  REQUIRE(WebPAnimEncoderAdd(enc, nullptr, timestamp, nullptr));
  WebPData data;
  WebPDataInit(&data);
  REQUIRE(WebPAnimEncoderAssemble(enc, &data));
  Bytes out(data.bytes, data.bytes + data.size);
  WebPDataClear(&data);
  WebPAnimEncoderDelete(enc);
  return out;
}

// TurboJPEG's encoder, for what stb_image_write does not write (CMYK, progressive).
Bytes turbo_jpeg(const Bytes& px, int w, int h, int pixel_format, int flags, int subsampling = TJSAMP_444) {
  tjhandle tj = tjInitCompress();
  REQUIRE(tj != nullptr);
  unsigned char* data = nullptr;
  unsigned long size = 0;
  const int rc = tjCompress2(tj, px.data(), w, 0, h, pixel_format, &data, &size, subsampling, 95, flags);
  REQUIRE(rc == 0);
  Bytes out(data, data + size);
  tjFree(data);
  tjDestroy(tj);
  return out;
}

// Mean and largest absolute difference of two planes of the same size.
struct Diff {
  double mean = 0, max = 0;
};
Diff diff(const GrayImage& a, const GrayImage& b) {
  REQUIRE(a.width == b.width);
  REQUIRE(a.height == b.height);
  Diff d;
  for (std::size_t i = 0; i < a.pixels.size(); ++i) {
    const double e = std::fabs(a.pixels[i] - b.pixels[i]);
    d.mean += e;
    d.max = std::max(d.max, e);
  }
  d.mean /= static_cast<double>(a.pixels.size());
  return d;
}

// The full-size image averaged over s x s blocks (the last partial block over what it holds).
GrayImage area_down(const GrayImage& full, int s) {
  GrayImage out;
  out.width = (full.width + s - 1) / s;
  out.height = (full.height + s - 1) / s;
  out.pixels.assign(static_cast<std::size_t>(out.width) * out.height, 0.0f);
  for (int y = 0; y < out.height; ++y)
    for (int x = 0; x < out.width; ++x) {
      double sum = 0;
      int n = 0;
      for (int yy = y * s; yy < std::min(full.height, y * s + s); ++yy)
        for (int xx = x * s; xx < std::min(full.width, x * s + s); ++xx, ++n) sum += full.at(xx, yy);
      out.pixels[static_cast<std::size_t>(y) * out.width + x] = static_cast<float>(sum / n);
    }
  return out;
}

template <typename F>
ImageErrorKind kind_of(F&& f, std::string* message = nullptr) {
  try {
    f();
  } catch (const ImageError& e) {
    if (message) *message = e.what();
    return e.kind();
  }
  FAIL("no ImageError thrown");
  return ImageErrorKind::empty;
}

// A baseline JPEG whose frame header says w x h: a small real JPEG with its
// SOF0 size rewritten. Its entropy data ends early: the decoder warns and fills
// the rest (what a hostile file claiming a huge size looks like).
Bytes jpeg_claiming(int w, int h) {
  Bytes j = encode_jpeg(Bytes(16 * 16, 128), 16, 16, 1, 90);
  for (std::size_t i = 2; i + 8 < j.size(); ++i) {
    if (j[i] == 0xFF && j[i + 1] == 0xC0) {
      j[i + 5] = std::uint8_t(h >> 8), j[i + 6] = std::uint8_t(h & 0xFF);
      j[i + 7] = std::uint8_t(w >> 8), j[i + 8] = std::uint8_t(w & 0xFF);
      return j;
    }
  }
  FAIL("no SOF0 in stb's JPEG");
  return j;
}

}  // namespace

TEST_CASE("image: a GIF's first frame decodes as the PNG of the same pixels") {
  const int w = 37, h = 23;
  const Bytes gray = gray_of(rgb_pattern(w, h));
  const GrayImage from_gif = decode_image_gray(encode_gif_gray(gray, w, h), "p.gif");
  const GrayImage from_png = decode_image_gray(encode_png(gray, w, h, 1), "p.png");
  CHECK(from_gif.width == w);
  CHECK(from_gif.height == h);
  CHECK(diff(from_gif, from_png).max < 1e-5);
  CHECK(from_gif.scale == 1);
}

TEST_CASE("image: WebP decodes as the PNG of the same pixels (lossless RGB and RGBA, lossy close)") {
  const int w = 40, h = 30;
  const Bytes rgb = rgb_pattern(w, h);
  CHECK(diff(decode_image_gray(webp_lossless(rgb, w, h, 3), "p.webp"),
             decode_image_gray(encode_png(rgb, w, h, 3), "p.png")).max < 1e-5);
  // Alpha: a dark stroke on a transparent canvas composites over white in both.
  Bytes rgba(static_cast<std::size_t>(w) * h * 4, 0);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x)
      if (std::abs(x - y) < 3) rgba[(static_cast<std::size_t>(y) * w + x) * 4 + 3] = 255;
  const GrayImage a = decode_image_gray(webp_lossless(rgba, w, h, 4), "a.webp");
  CHECK(a.had_alpha);
  CHECK(diff(a, decode_image_gray(encode_png(rgba, w, h, 4), "a.png")).max < 1e-5);
  CHECK(a.at(0, h - 1) == doctest::Approx(1.0f));  // background: white
  CHECK(a.at(5, 5) == doctest::Approx(0.0f));       // the stroke
  const Diff lossy = diff(decode_image_gray(webp_lossy(rgb, w, h), "l.webp"),
                          decode_image_gray(encode_png(rgb, w, h, 3), "p.png"));
  CHECK(lossy.mean < 0.03);
  // The colour path (the seed's pipeline) reads WebP too, with its channels.
  const ColorImage c = decode_image_color(webp_lossless(rgb, w, h, 3), "c.webp");
  CHECK(c.channels == 3);
  CHECK(c.samples == rgb);
}

TEST_CASE("image: JPEG decodes close to the PNG of the same pixels: colour, gray and CMYK") {
  const int w = 64, h = 48;
  const Bytes rgb = rgb_pattern(w, h);
  const GrayImage png = decode_image_gray(encode_png(rgb, w, h, 3), "p.png");
  const Diff colour = diff(decode_image_gray(encode_jpeg(rgb, w, h, 3, 95), "c.jpg"), png);
  CHECK(colour.mean < 0.02);
  const Diff gray = diff(decode_image_gray(encode_jpeg(gray_of(rgb), w, h, 1, 95), "g.jpg"), png);
  CHECK(gray.mean < 0.02);
  // CMYK as Adobe stores it (inverted): C' = 255 - C; white paper is C'=M'=Y'=K'=255.
  Bytes cmyk(static_cast<std::size_t>(w) * h * 4);
  for (std::size_t i = 0; i < cmyk.size() / 4; ++i) {
    cmyk[4 * i + 0] = rgb[3 * i + 0], cmyk[4 * i + 1] = rgb[3 * i + 1], cmyk[4 * i + 2] = rgb[3 * i + 2];
    cmyk[4 * i + 3] = 255;
  }
  const Diff from_cmyk = diff(decode_image_gray(turbo_jpeg(cmyk, w, h, TJPF_CMYK, 0), "k.jpg"), png);
  CHECK(from_cmyk.mean < 0.02);
  // The colour path keeps RGB.
  const ColorImage c = decode_image_color(encode_jpeg(rgb, w, h, 3, 95), "c.jpg");
  CHECK(c.channels == 3);
  CHECK(c.width == w);
}

TEST_CASE("image: a JPEG decoded at 1/2, 1/4, 1/8 matches the full decode area-averaged, and records its scale") {
  const int w = 203, h = 157;  // not multiples of 8: the last blocks are partial
  const Bytes jpg = encode_jpeg(rgb_pattern(w, h), w, h, 3, 95);
  const GrayImage full = decode_image_gray(jpg, "f.jpg");
  CHECK(full.scale == 1);
  for (int s : {2, 4, 8}) {
    CAPTURE(s);
    DecodeTarget target;
    target.min_short_side = (h + s - 1) / s;  // the most reduced scale keeping it is 1/s
    const GrayImage small = decode_image_gray(jpg, "f.jpg", {}, target);
    CHECK(small.scale == s);
    CHECK(small.width == (w + s - 1) / s);
    CHECK(small.height == (h + s - 1) / s);
    const Diff d = diff(small, area_down(full, s));
    CHECK(d.mean < 0.02);
    CHECK(d.max < 0.25);  // at sharp edges the DCT and the box filter differ most
  }
  // A pixel budget reduces too; other formats ignore the target.
  DecodeTarget budget;
  budget.max_pixels = static_cast<std::uint64_t>(w) * h / 10;
  CHECK(decode_image_gray(jpg, "f.jpg", {}, budget).scale == 4);
  const GrayImage png = decode_image_gray(encode_png(rgb_pattern(w, h), w, h, 3), "f.png", {}, budget);
  CHECK(png.scale == 1);
  CHECK(png.width == w);
}

TEST_CASE("image: EXIF orientation applies to a JPEG decoded at a reduced scale") {
  // Orientation 6 (turned 90 degrees clockwise) in a big-endian EXIF segment.
  const Bytes exif = {0xFF, 0xE1, 0x00, 0x22, 'E', 'x', 'i', 'f', 0, 0, 'M', 'M', 0, 42, 0, 0, 0, 8, 0, 1,
                      0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6, 0, 0, 0, 0, 0, 0};
  const int w = 64, h = 32;
  Bytes jpg = encode_jpeg(rgb_pattern(w, h), w, h, 3, 90);
  jpg.insert(jpg.begin() + 2, exif.begin(), exif.end());
  DecodeTarget target;
  target.min_short_side = 8;  // 1/4: 16 x 8 as stored
  const GrayImage g = decode_image_gray(jpg, "turned.jpg", {}, target);
  CHECK(g.scale == 4);
  CHECK(g.width == h / 4);  // turned: 8 wide, 16 tall
  CHECK(g.height == w / 4);
}

TEST_CASE("image: a JPEG over the pixel limit is read at a reduced size, and other formats over it are refused") {
  // 8000 x 7000 = 56 MP claimed by a small file: read at 1/2 (4000 x 3500).
  const Bytes big = jpeg_claiming(8000, 7000);
  const ImageInfo info = probe_image(big, "big.jpg");
  CHECK(info.width == 8000);
  CHECK(info.min_scale == 2);
  const GrayImage g = decode_image_gray(big, "big.jpg");
  CHECK(g.scale == 2);
  CHECK(g.width == 4000);
  CHECK(g.height == 3500);
  CHECK(static_cast<std::uint64_t>(g.width) * g.height <= kDefaultMaxImagePixels);
  // A smaller caller limit needs a deeper reduction; past 1/8 it is refused.
  ImageLimits limits;
  limits.max_pixels = 900'000;
  CHECK(decode_image_gray(big, "big.jpg", limits).scale == 8);  // 1000 x 875
  limits.max_pixels = 100'000;
  std::string msg;
  CHECK(kind_of([&] { decode_image_gray(big, "big.jpg", limits); }, &msg) == ImageErrorKind::too_large);
  CHECK(msg.find("even decoded at 1/8") != std::string::npos);
  // A progressive JPEG over the limit: its decoder would hold the full image.
  const Bytes progressive = turbo_jpeg(rgb_pattern(64, 64), 64, 64, TJPF_RGB, TJFLAG_PROGRESSIVE);
  limits.max_pixels = 64 * 64 - 1;
  CHECK(kind_of([&] { decode_image_gray(progressive, "p.jpg", limits); }, &msg) == ImageErrorKind::too_large);
  CHECK(msg.find("progressive") != std::string::npos);
  limits.max_pixels = 64 * 64;
  CHECK(decode_image_gray(progressive, "p.jpg", limits).width == 64);
  // GIF and WebP over the limit: refused, naming the size.
  limits.max_pixels = 100;
  const Bytes gray = gray_of(rgb_pattern(20, 10));
  CHECK(kind_of([&] { decode_image_gray(encode_gif_gray(gray, 20, 10), "g.gif", limits); }, &msg) ==
        ImageErrorKind::too_large);
  CHECK(msg.find("20x10 = 200") != std::string::npos);
  CHECK(kind_of([&] { decode_image_gray(webp_lossless(rgb_pattern(20, 10), 20, 10, 3), "w.webp", limits); }, &msg) ==
        ImageErrorKind::too_large);
  CHECK(msg.find("20x10 = 200") != std::string::npos);
}

TEST_CASE("image: truncated or corrupt GIF and WebP are undecodable") {
  const int w = 30, h = 20;
  const Bytes gif = encode_gif_gray(gray_of(rgb_pattern(w, h)), w, h);
  const Bytes webp = webp_lossless(rgb_pattern(w, h), w, h, 3);
  const Bytes lossy = webp_lossy(rgb_pattern(w, h), w, h);
  std::string msg;
  for (std::size_t keep : {gif.size() / 2, gif.size() - 3, std::size_t{20}, std::size_t{8}}) {
    CAPTURE(keep);
    CHECK(kind_of([&] { decode_image_gray(std::span(gif).first(keep), "cut.gif"); }, &msg) ==
          ImageErrorKind::undecodable);
    CHECK(msg.find("cut.gif") == 0);
  }
  for (const Bytes* file : {&webp, &lossy}) {
    for (std::size_t keep : {file->size() / 2, file->size() - 5, std::size_t{16}}) {
      CAPTURE(keep);
      CHECK(kind_of([&] { decode_image_gray(std::span(*file).first(keep), "cut.webp"); }, &msg) ==
            ImageErrorKind::undecodable);
      CHECK(msg.find("cut.webp") == 0);
    }
  }
  // Scrambled image data: GIF with an unknown block, WebP with its bitstream overwritten.
  Bytes bad_gif = gif;
  bad_gif[13 + 256 * 3] = 0x99;
  CHECK(kind_of([&] { decode_image_gray(bad_gif, "bad.gif"); }, &msg) == ImageErrorKind::undecodable);
  CHECK(msg.find("malformed GIF") != std::string::npos);
  Bytes bad_webp = lossy;
  for (std::size_t i = 30; i < bad_webp.size(); ++i) bad_webp[i] = 0xA5;
  CHECK(kind_of([&] { decode_image_gray(bad_webp, "bad.webp"); }) == ImageErrorKind::undecodable);
  // A GIF of no frame at all.
  const std::string empty_gif = "GIF89a\x01\x00\x01\x00\x00\x00\x00;";
  CHECK(kind_of([&] {
          decode_image_gray(std::span(reinterpret_cast<const std::uint8_t*>(empty_gif.data()), empty_gif.size()),
                            "none.gif");
        }) == ImageErrorKind::undecodable);
  // VP8X with the animation flag, a 4 x 4 canvas and no frame.
  const Bytes animated = {'R', 'I', 'F', 'F', 22, 0, 0, 0, 'W', 'E', 'B', 'P', 'V', 'P', '8', 'X', 10, 0, 0, 0,
                          0x02, 0, 0, 0, 3, 0, 0, 3, 0, 0};
  CHECK(kind_of([&] { decode_image_gray(animated, "anim.webp"); }, &msg) == ImageErrorKind::undecodable);
  CHECK(msg.find("animated WebP") != std::string::npos);
}

TEST_CASE("image: an animated WebP gives its first frame, as the PNG of the same pixels, and cut it is undecodable") {
  const int w = 24, h = 18;
  const Bytes rgb = rgb_pattern(w, h);
  Bytes first(static_cast<std::size_t>(w) * h * 4), second(first.size(), 255);
  for (std::size_t i = 0; i < first.size() / 4; ++i) {
    for (int c = 0; c < 3; ++c) first[4 * i + c] = rgb[3 * i + c];
    first[4 * i + 3] = 255;
  }
  const Bytes anim = webp_animation(first, second, w, h);
  const ImageInfo info = probe_image(anim, "anim.webp");
  CHECK(info.is_animated);
  const GrayImage g = decode_image_gray(anim, "anim.webp");
  CHECK(diff(g, decode_image_gray(encode_png(first, w, h, 4), "first.png")).max < 1e-5);
  const ColorImage c = decode_image_color(anim, "anim.webp");
  CHECK(c.channels == 4);
  CHECK(c.samples == first);
  std::string msg;
  CHECK(kind_of([&] { decode_image_gray(std::span(anim).first(anim.size() - 10), "cut.webp"); }, &msg) ==
        ImageErrorKind::undecodable);
  CHECK(msg.find("cut.webp") == 0);
}

TEST_CASE("image: the reader's decode target gives preprocessing the full decode shrunk by the scale") {
  using namespace blnk::data::test;
  // A 1600x1200 photo of a ring ("0") a third of its height, dark on light paper.
  const int w = 1600, h = 1200;
  const GrayImage drawn = paint(draw_ring(w, h, 800, 600, 150, 200, 40), w, h, 0.85f, 0.15f);
  const Bytes jpg = encode_jpeg(to_u8(drawn), w, h, 1, 90);
  const DecodeTarget target = preprocess_decode_target();
  CHECK(target.min_short_side == kDecodeSidePerWorkingSide * PreprocessOptions{}.working_side);
  const GrayImage full = decode_image_gray(jpg, "big.jpg");
  const GrayImage reduced = decode_image_gray(jpg, "big.jpg", {}, target);
  CHECK(reduced.scale == 4);  // 1200 / 4 = 300 >= 256; 1/8 would give 150
  // What the reader now preprocesses is what it would get from the full decode
  // shrunk by 4 first. (Not what it got from the full decode itself: the working
  // grid is 400 / 6 = 66 pixels wide instead of 1600 / 25 = 64, and this thin
  // synthetic ring's 28x28 differs by that placement; the stress suite and
  // upscaled photo-digits read the same, docs/benchmarks.md.)
  const Preprocessed a = preprocess_digit(area_down(full, 4)), b = preprocess_digit(reduced);
  REQUIRE(a.found);
  REQUIRE(b.found);
  CHECK(a.inverted == b.inverted);
  double diff = 0;
  for (int i = 0; i < kDigitPixels; ++i) diff += std::fabs(a.pixels[i] - b.pixels[i]);
  CHECK(diff / kDigitPixels < 0.01);
  // The box found at the reduced size, mapped back by the scale, holds the ring
  // (x 650-950, y 400-800 in the file), to a working pixel or so (24 file pixels).
  const Preprocessed f = preprocess_digit(full);
  REQUIRE(f.found);
  constexpr int kWorkingPixel = 6 * 4;
  CHECK(std::abs(b.box_x * reduced.scale - f.box_x) <= kWorkingPixel + 25);
  CHECK(std::abs(b.box_y * reduced.scale - f.box_y) <= kWorkingPixel + 25);
  CHECK(std::abs(b.box_w * reduced.scale - 300) <= 2 * kWorkingPixel);
  CHECK(std::abs(b.box_h * reduced.scale - 400) <= 2 * kWorkingPixel);
  // working_side 0 (no shrinking) asks for the full decode.
  PreprocessOptions no_shrink;
  no_shrink.working_side = 0;
  CHECK(decode_image_gray(jpg, "big.jpg", {}, preprocess_decode_target(no_shrink)).scale == 1);
}
