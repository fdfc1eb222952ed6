// Listing a folder of images (folder_listing.h).
#include "data/folder_listing.h"

#include <algorithm>
#include <cctype>
#include <string>

#include "base/error.h"

namespace blnk::data {

namespace fs = std::filesystem;

bool is_image_file_name(const fs::path& p) {
  std::string ext = p.extension().string();
  for (char& c : ext) c = char(std::tolower(static_cast<unsigned char>(c)));
  for (const char* known : {".png", ".jpg", ".jpeg", ".gif", ".webp", ".bmp", ".pgm", ".ppm", ".pnm"})
    if (ext == known) return true;
  return false;
}

namespace {
bool is_hidden(const fs::path& p) { return !p.filename().empty() && p.filename().string()[0] == '.'; }
}  // namespace

FolderEntries list_folder(const fs::path& dir) {
  FolderEntries entries;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (is_hidden(it->path())) continue;
    if (it->is_directory(ec)) entries.folders.push_back(it->path());
    else if (it->is_regular_file(ec)) entries.files.push_back(it->path());
  }
  if (ec) throw Error(dir.string() + ": cannot list the folder: " + ec.message());
  std::sort(entries.files.begin(), entries.files.end());
  std::sort(entries.folders.begin(), entries.folders.end());
  return entries;
}

}  // namespace blnk::data
