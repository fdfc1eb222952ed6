// Listing a folder of images the way every folder reader of blnk does (the digit
// layouts, data/image_folder.h; the class folders, data/class_folder.h): dot files
// left out, files and folders apart, each sorted by name (directory order is the
// file system's), images told by their extension.
#pragma once

#include <filesystem>
#include <vector>

namespace blnk::data {

// png, jpg, jpeg, gif, webp, bmp, pgm, ppm, pnm (any case).
bool is_image_file_name(const std::filesystem::path& p);

struct FolderEntries {
  std::vector<std::filesystem::path> files, folders;
};
// Throws Error naming the folder when it cannot be listed.
FolderEntries list_folder(const std::filesystem::path& dir);

}  // namespace blnk::data
