// WebP decoding through libwebp (see webp_decode.h).
#include "data/webp_decode.h"

#include <webp/decode.h>
#include <webp/demux.h>

#include <cstring>
#include <memory>

#include "data/image.h"

namespace blnk::data::webp {

namespace {

const char* status_text(VP8StatusCode status) {
  switch (status) {
    case VP8_STATUS_OK: return "ok";
    case VP8_STATUS_OUT_OF_MEMORY: return "out of memory";
    case VP8_STATUS_INVALID_PARAM: return "invalid parameter";
    case VP8_STATUS_BITSTREAM_ERROR: return "bitstream error";
    case VP8_STATUS_UNSUPPORTED_FEATURE: return "unsupported feature";
    case VP8_STATUS_SUSPENDED: return "suspended";
    case VP8_STATUS_USER_ABORT: return "aborted";
    case VP8_STATUS_NOT_ENOUGH_DATA: return "truncated (not enough data)";
  }
  return "unknown error";
}

}  // namespace

bool read_header(std::span<const std::uint8_t> bytes, Header& header, std::string& why) {
  WebPBitstreamFeatures features;
  const VP8StatusCode status = WebPGetFeatures(bytes.data(), bytes.size(), &features);
  if (status != VP8_STATUS_OK) {
    why = status_text(status);
    return false;
  }
  header.width = features.width;
  header.height = features.height;
  header.has_alpha = features.has_alpha != 0;
  header.animated = features.has_animation != 0;
  return true;
}

namespace {

struct AnimDecoderFree {
  void operator()(WebPAnimDecoder* dec) const { WebPAnimDecoderDelete(dec); }
};

// An animation's first frame, composed on its canvas (libwebpdemux): RGBA.
void decode_first_frame(std::span<const std::uint8_t> bytes, const std::string& name, const Header& header,
                        Samples8& out) {
  auto fail = [&](const char* why) {
    throw ImageError(ImageErrorKind::undecodable, name + ": corrupt animated WebP: " + why);
  };
  WebPAnimDecoderOptions options;
  if (!WebPAnimDecoderOptionsInit(&options)) fail("cannot start the decoder (library version mismatch)");
  options.color_mode = MODE_RGBA;
  options.use_threads = 0;
  const WebPData data{bytes.data(), bytes.size()};
  const std::unique_ptr<WebPAnimDecoder, AnimDecoderFree> dec(WebPAnimDecoderNew(&data, &options));
  WebPAnimInfo info;
  if (!dec || !WebPAnimDecoderGetInfo(dec.get(), &info)) fail("its frames cannot be read (cut short or malformed)");
  if (static_cast<int>(info.canvas_width) != header.width || static_cast<int>(info.canvas_height) != header.height)
    fail("its canvas size differs from its header's");
  std::uint8_t* canvas = nullptr;
  int timestamp = 0;
  if (!WebPAnimDecoderGetNext(dec.get(), &canvas, &timestamp)) fail("its first frame cannot be decoded");
  out.width = header.width;
  out.height = header.height;
  out.channels = 4;
  out.data.assign(canvas, canvas + static_cast<std::size_t>(out.width) * out.height * 4);
}

}  // namespace

void decode(std::span<const std::uint8_t> bytes, const std::string& name, const Header& header, Samples8& out) {
  if (header.animated) return decode_first_frame(bytes, name, header, out);
  WebPDecoderConfig config;
  if (!WebPInitDecoderConfig(&config))
    throw ImageError(ImageErrorKind::undecodable, name + ": cannot start the WebP decoder (library version mismatch)");
  out.width = header.width;
  out.height = header.height;
  out.channels = header.has_alpha ? 4 : 3;
  const std::size_t stride = static_cast<std::size_t>(out.width) * out.channels;
  out.data.resize(stride * out.height);
  // Into our buffer: libwebp allocates only its own working rows.
  config.output.colorspace = header.has_alpha ? MODE_RGBA : MODE_RGB;
  config.output.is_external_memory = 1;
  config.output.u.RGBA.rgba = out.data.data();
  config.output.u.RGBA.stride = static_cast<int>(stride);
  config.output.u.RGBA.size = out.data.size();
  const VP8StatusCode status = WebPDecode(bytes.data(), bytes.size(), &config);
  WebPFreeDecBuffer(&config.output);  // frees nothing of ours (external memory)
  if (status != VP8_STATUS_OK)
    throw ImageError(ImageErrorKind::undecodable, name + ": corrupt WebP: " + status_text(status));
  if (config.output.width != out.width || config.output.height != out.height)
    throw ImageError(ImageErrorKind::undecodable, name + ": corrupt WebP: its frame size differs from its header's");
}

}  // namespace blnk::data::webp
