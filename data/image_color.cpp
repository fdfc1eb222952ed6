// Decoding to 8-bit samples with their stored channels (image_color.h). A second
// translation unit compiling stb_image (data/stb_image_config.h: static, the same
// decoders as image.cpp, whose stb is private to it); the checks before stb sees
// a file are image.cpp's own, through probe_image and find_truncation.
#include "data/image_color.h"

#include <memory>

#include "base/file_io.h"

#include "data/stb_image_config.h"

namespace blnk::data {

ColorImage decode_image_color(std::span<const std::uint8_t> bytes, const std::string& name,
                              const ImageLimits& limits) {
  const ImageInfo info = probe_image(bytes, name, limits);  // limits, hostile headers, JPEG tables
  const std::string cut = find_truncation(bytes, info.format);
  if (!cut.empty()) throw ImageError(ImageErrorKind::undecodable, name + ": " + cut);
  int w = 0, h = 0, n = 0;
  // stbi_load gives 8-bit samples for 16-bit files too (their high byte).
  std::unique_ptr<stbi_uc, decltype(&stbi_image_free)> px(
      stbi_load_from_memory(bytes.data(), static_cast<int>(bytes.size()), &w, &h, &n, 0), stbi_image_free);
  if (!px) {
    const char* reason = stbi_failure_reason();
    throw ImageError(ImageErrorKind::undecodable, name + ": corrupt " + image_format_name(info.format) + ": " +
                                                      (reason ? reason : "unknown error"));
  }
  ColorImage out;
  out.width = w;
  out.height = h;
  out.channels = n;
  out.samples.assign(px.get(), px.get() + static_cast<std::size_t>(w) * h * n);
  return out;
}

ColorImage read_image_color(const std::string& path, const ImageLimits& limits) {
  const std::uint64_t size = file_size(path);
  if (size == 0) throw ImageError(ImageErrorKind::empty, path + ": empty file (0 bytes)");
  if (size > limits.max_file_bytes)
    throw ImageError(ImageErrorKind::too_large, path + ": file too large: " + std::to_string(size) +
                                                    " bytes, limit " + std::to_string(limits.max_file_bytes));
  const std::vector<std::uint8_t> bytes = read_file_bytes(path, limits.max_file_bytes);
  return decode_image_color(bytes, path, limits);
}

}  // namespace blnk::data
