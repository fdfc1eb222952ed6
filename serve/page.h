// The upload page (serve/page.html, embedded at build time) and the HTML fragments
// the server puts in it when a form POST comes back without JavaScript.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "reader/classifier.h"

namespace blnk::serve {

// The page as written in serve/page.html, with its {{model}} and <!--result--> markers.
std::string_view page_template();

// The page with the model name filled in and `result_html` (already safe HTML) in place;
// with a class model's `classes`, their names, and the page in its mode for classes
// (no drawing pad: it is for digits).
std::string render_page(std::string_view model_name, double model_accuracy, std::string_view result_html,
                        std::span<const std::string> classes = {});

// What an uploaded image is, from its first bytes (its magic): "image/png",
// "image/jpeg", "image/gif", "image/webp", "image/bmp", "image/x-portable-anymap"
// (PGM, PPM, PBM), or "" when the bytes start as no image format does.
std::string_view sniff_image(std::span<const std::uint8_t> bytes);
// The same, but "" also for what a browser cannot show (PNM).
std::string_view sniff_displayable_image(std::span<const std::uint8_t> bytes);

// The result box of a successful prediction; a class model's reading with its `classes`' names.
std::string render_result_html(const reader::Classification& result, std::string_view filename,
                               std::span<const std::uint8_t> upload, std::span<const std::string> classes = {});
// The error box of a failed one.
std::string render_error_html(int status, std::string_view message, std::string_view filename);

}  // namespace blnk::serve
