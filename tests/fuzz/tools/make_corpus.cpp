// Writes the seed corpora of the fuzz targets into tests/fuzz/corpus/<target>/:
// a few small valid inputs and edge cases each, made with blnk's own encoders.
//   blnk_fuzz_make_corpus <corpus-dir>
// Every file starts with the selector bytes its target reads first (see
// tests/fuzz/targets/*.cpp): idx two (mode, classes), model one (odd: fix the
// CRC), http one (where the chunked body is cut), image none, decode one (the
// target and limits: see targets/fuzz_decode.cpp).
#include <turbojpeg.h>
#include <webp/encode.h>
#include <webp/mux.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "data/idx.h"
#include "data/image_write.h"
#include "engine/model_file.h"
#include "engine/network.h"

namespace {

namespace fs = std::filesystem;
using Bytes = std::vector<std::uint8_t>;

void write(const fs::path& dir, const std::string& name, const Bytes& prefix, const Bytes& bytes) {
  fs::create_directories(dir);
  std::ofstream out(dir / name, std::ios::binary);
  out.write(reinterpret_cast<const char*>(prefix.data()), std::streamsize(prefix.size()));
  out.write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
}
Bytes text(const std::string& s) { return Bytes(s.begin(), s.end()); }

// A w x h gray digit-like stroke: a dark diagonal bar on white.
Bytes stroke(int w, int h, int channels) {
  Bytes px(std::size_t(w) * h * channels, 255);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x)
      if (std::abs(x - y * w / h) <= std::max(1, w / 8))
        for (int c = 0; c < channels; ++c) px[(std::size_t(y) * w + x) * channels + c] = (c == 3) ? 255 : 0;
  return px;
}

void make_idx(const fs::path& dir) {
  using namespace blnk::data;
  Bytes pixels(3 * 4 * 5);
  for (std::size_t i = 0; i < pixels.size(); ++i) pixels[i] = std::uint8_t(i * 7);
  const Bytes labels = {1, 0, 9};
  // mode bit 0: gzip the rest in the target; bit 1: labels. Byte 2: classes - 1.
  write(dir, "images-3x4x5", {0, 9}, encode_idx_images(3, 4, 5, pixels));
  write(dir, "images-3x4x5-target-gz", {1, 9}, encode_idx_images(3, 4, 5, pixels));
  write(dir, "images-3x4x5-file-gz", {0, 9}, encode_idx_images(3, 4, 5, pixels, IdxCompression::gzip));
  write(dir, "images-empty", {0, 9}, encode_idx_images(0, 28, 28, {}));
  Bytes truncated = encode_idx_images(3, 4, 5, pixels);
  truncated.resize(truncated.size() - 7);
  write(dir, "images-truncated", {0, 9}, truncated);
  write(dir, "labels-3", {2, 9}, encode_idx_labels(labels));
  write(dir, "labels-3-file-gz", {2, 9}, encode_idx_labels(labels, IdxCompression::gzip));
  write(dir, "labels-3-target-gz", {3, 9}, encode_idx_labels(labels));
  write(dir, "labels-out-of-range", {2, 1}, encode_idx_labels(labels));
}

void make_model(const fs::path& dir) {
  using namespace blnk;
  struct Spec { const char* name; const char* spec; Shape input; };
  const Spec specs[] = {
      {"conv2-pool-dense3", "conv2,pool,flatten,dense3", Shape{6, 6, 1}},
      {"conv1-k2-s2-same", "conv1:k=2:s=2:pad=same,relu,drop0.5,flatten,dense2:act=linear", Shape{5, 4, 2}},
      {"dense-only", "flatten,dense4,dense2", Shape{2, 2, 1}},
      {"int8-conv-dense", "conv2:q=int8,pool,flatten,dense3:act=linear:q=int8", Shape{6, 6, 1}},  // version 2
  };
  for (const Spec& s : specs) {
    Network net(s.spec, s.input);
    net.init(1);
    if (std::string(s.spec).find("q=int8") != std::string::npos) {  // int8 layers start at zero: whole numbers
      const auto params = net.mutable_params();
      for (std::size_t i = 0; i < params.size(); ++i) params[i] = float(int(i % 7) - 3);
    }
    ModelFile file = model_file_of(net);
    file.set_metadata("test.accuracy", "0.5");
    const Bytes bytes = encode_model_file(file);
    write(dir, s.name, {0}, bytes);       // as written
    write(dir, std::string(s.name) + "-fixcrc", {1}, bytes);  // CRC recomputed by the target
  }
  // Well-formed files whose tensors do not fit the spec (missing, wrong shape).
  Network net("conv2,pool,flatten,dense3", Shape{6, 6, 1});
  ModelFile file = model_file_of(net);
  file.tensors.pop_back();
  write(dir, "tensor-missing", {1}, encode_model_file(file));
  file = model_file_of(net);
  file.tensors[0].shape = {3, 3, 1, 1, 2};
  write(dir, "tensor-wrong-shape", {1}, encode_model_file(file));
  write(dir, "magic-only", {1}, text("BLNKMODL"));
  // Finding F3: a valid file of a few dozen bytes whose spec needs 240 million
  // parameters (960 MB) and that holds none.
  ModelFile hostile;
  hostile.spec = "flatten,dense15000,dense15000";
  hostile.input = Shape{1, 1, 1024};
  write(dir, "finding-f3-spec-needs-960mb", {0}, encode_model_file(hostile));
}

void make_http(const fs::path& dir) {
  const Bytes cut = {5};
  write(dir, "get-healthz", cut, text("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"));
  write(dir, "get-index-http10", cut, text("\r\nGET / HTTP/1.0\nConnection: keep-alive\n\n"));
  write(dir, "options-predict", cut, text("OPTIONS /predict HTTP/1.1\r\nHost: x\r\n\r\n"));
  write(dir, "head-metrics", cut, text("HEAD /metrics HTTP/1.1\r\nHost: x\r\nAccept: */*\r\n\r\n"));
  write(dir, "get-api-bad-host", cut, text("GET /api HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"));
  write(dir, "post-raw-png", cut,
        text("POST /predict?seen=1&format=json HTTP/1.1\r\nHost: x\r\nContent-Type: image/png\r\n"
             "Content-Length: 8\r\n\r\n\x89PNG\r\n\x1a\n"));
  write(dir, "post-chunked", {7},
        text("POST /predict HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nExpect: 100-continue\r\n\r\n"
             "4;ext=1\r\n7abc\r\n3\r\ndef\r\n0\r\nTrailer: y\r\n\r\nGET / HTTP/1.1\r\n\r\n"));
  const std::string form =
      "--XyZ\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhi\r\n"
      "--XyZ\r\nContent-Disposition: form-data; name=\"upload\"; filename=\"<s>.png\"\r\n"
      "Content-Type: image/png\r\n\r\n3abc\r\n--XyZ--\r\n";
  write(dir, "post-multipart-html", {200},
        text("POST /predict?format=html HTTP/1.1\r\nHost: x\r\nAccept: text/html,application/json;q=0.9\r\n"
             "Content-Type: multipart/form-data; boundary=\"XyZ\"\r\nContent-Length: " +
             std::to_string(form.size()) + "\r\n\r\n" + form));
  write(dir, "post-multipart-lf-fail", cut,
        text("POST /predict HTTP/1.1\nHost: x\nContent-Type: multipart/form-data; boundary=b\n"
             "Transfer-Encoding: chunked\n\n2e\r\n--b\nContent-Disposition: form-data; name=upload\n\nF\n--b--\r\n0\r\n\r\n"));
  write(dir, "smuggle-cl-te", cut,
        text("POST /predict HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"));
  write(dir, "bad-version", cut, text("GET / HTTP/2.0\r\nHost: x\r\n\r\n"));
  write(dir, "folded-header", cut, text("GET / HTTP/1.1\r\nHost: x\r\nX-A: 1\r\n  2\r\n\r\n"));
}

void make_image(const fs::path& dir) {
  using namespace blnk::data;
  const Bytes gray = stroke(12, 12, 1), rgb = stroke(10, 14, 3), rgba = stroke(9, 9, 4);
  write(dir, "stroke-gray.png", {}, encode_png(gray, 12, 12, 1));
  write(dir, "stroke-rgba.png", {}, encode_png(rgba, 9, 9, 4));
  write(dir, "stroke-rgb.jpg", {}, encode_jpeg(rgb, 10, 14, 3, 80));
  write(dir, "stroke-gray.bmp", {}, encode_bmp(gray, 12, 12, 1));
  // PGM (binary and ASCII), and a 16-bit PGM.
  std::string pgm = "P5\n12 12\n255\n";
  pgm.append(gray.begin(), gray.end());
  write(dir, "stroke.pgm", {}, text(pgm));
  write(dir, "tiny-ascii.pgm", {}, text("P2\n3 2\n15\n0 15 0\n15 0 15\n"));
  std::string pgm16 = "P5\n2 2\n65535\n";
  pgm16 += std::string("\x00\x00\xff\xff\xff\xff\x00\x00", 8);
  write(dir, "tiny16.pgm", {}, text(pgm16));
  write(dir, "blank-white.png", {}, encode_png(Bytes(16, 255), 4, 4, 1));  // no digit: 422
  write(dir, "gif-header.gif", {}, text("GIF89a\x01\x00\x01\x00\x00\x00\x00;"));  // no frame: 422
  write(dir, "huge-claimed.pgm", {}, text("P5\n60000 60000\n255\n\x00"));          // over the pixel limit
  Bytes png = encode_png(gray, 12, 12, 1);
  png.resize(png.size() / 2);
  write(dir, "truncated.png", {}, png);
}

// A JPEG by TurboJPEG's encoder (progressive and CMYK files, which stb_image_write does not write).
Bytes turbo_jpeg(const Bytes& px, int w, int h, int pixel_format, int flags) {
  tjhandle tj = tjInitCompress();
  unsigned char* data = nullptr;
  unsigned long size = 0;
  Bytes out;
  if (tj && tjCompress2(tj, px.data(), w, 0, h, pixel_format, &data, &size, TJSAMP_420, 80, flags) == 0)
    out.assign(data, data + size);
  tjFree(data);
  tjDestroy(tj);
  return out;
}

void make_decode(const fs::path& dir) {
  using namespace blnk::data;
  const Bytes rgb = stroke(24, 16, 3), rgba = stroke(9, 9, 4), cmyk = stroke(16, 16, 4);
  const Bytes whole = {0x00}, eighth = {0x3F}, small_limit = {0x81};  // selector bytes
  write(dir, "stroke-rgb.jpg", whole, encode_jpeg(rgb, 24, 16, 3, 80));
  write(dir, "stroke-rgb-eighth.jpg", eighth, encode_jpeg(rgb, 24, 16, 3, 80));
  write(dir, "progressive.jpg", {0x02}, turbo_jpeg(rgb, 24, 16, TJPF_RGB, TJFLAG_PROGRESSIVE));
  write(dir, "cmyk.jpg", {0x01}, turbo_jpeg(cmyk, 16, 16, TJPF_CMYK, 0));
  // A baseline JPEG whose frame claims 4096 x 4096: read at a reduced size under the small limit.
  Bytes claim = encode_jpeg(Bytes(16 * 16, 128), 16, 16, 1, 90);
  for (std::size_t i = 2; i + 8 < claim.size(); ++i)
    if (claim[i] == 0xFF && claim[i + 1] == 0xC0) {
      claim[i + 5] = 0x10, claim[i + 6] = 0x00, claim[i + 7] = 0x10, claim[i + 8] = 0x00;
      break;
    }
  write(dir, "claims-4096x4096.jpg", small_limit, claim);
  std::uint8_t* webp = nullptr;
  std::size_t n = WebPEncodeLosslessRGBA(rgba.data(), 9, 9, 9 * 4, &webp);
  write(dir, "stroke-lossless-alpha.webp", whole, Bytes(webp, webp + n));
  WebPFree(webp);
  n = WebPEncodeRGB(rgb.data(), 24, 16, 24 * 3, 80.0f, &webp);
  write(dir, "stroke-lossy.webp", whole, Bytes(webp, webp + n));
  WebPFree(webp);
  // An animation of two frames (libwebpmux): its first frame is decoded.
  WebPAnimEncoderOptions anim_options;
  WebPConfig config;
  if (WebPAnimEncoderOptionsInit(&anim_options) && WebPConfigInit(&config)) {
    WebPAnimEncoder* enc = WebPAnimEncoderNew(9, 9, &anim_options);
    const Bytes other(rgba.size(), 200);
    int timestamp = 0;
    for (const Bytes* frame : {&rgba, &other}) {
      WebPPicture picture;
      WebPPictureInit(&picture);
      picture.use_argb = 1, picture.width = 9, picture.height = 9;
      WebPPictureImportRGBA(&picture, frame->data(), 9 * 4);
      WebPAnimEncoderAdd(enc, &picture, timestamp += 100, &config);
      WebPPictureFree(&picture);
    }
    WebPAnimEncoderAdd(enc, nullptr, timestamp + 100, nullptr);
    WebPData anim;
    WebPDataInit(&anim);
    if (WebPAnimEncoderAssemble(enc, &anim)) write(dir, "animated.webp", whole, Bytes(anim.bytes, anim.bytes + anim.size));
    WebPDataClear(&anim);
    WebPAnimEncoderDelete(enc);
  }
  // A 1 x 1 GIF with a graphic control extension (transparency), and one with no frame.
  write(dir, "one-pixel.gif", whole,
        text(std::string("GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x01\x00\x00\x00\x00,"
                         "\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02\x44\x01\x00;", 43)));
  write(dir, "no-frame.gif", whole, text(std::string("GIF89a\x01\x00\x01\x00\x00\x00\x00;", 14)));
  write(dir, "stroke-rgba.png", whole, encode_png(rgba, 9, 9, 4));
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: blnk_fuzz_make_corpus <corpus-dir>\n");
    return 2;
  }
  const fs::path root = argv[1];
  make_idx(root / "idx");
  make_model(root / "model");
  make_http(root / "http");
  make_image(root / "image");
  make_decode(root / "decode");
  return 0;
}
