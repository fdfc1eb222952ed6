// Reads the digit in a photo with the installed blnk library, as `blnk predict` does.
//   read_photo PHOTO [MODEL_DIR]    (MODEL_DIR: the bundled models, share/blnk)
#include <blnk/blnk.h>

#include <cstdio>
#include <string>

#ifndef BLNK_MODELS_DIR
#define BLNK_MODELS_DIR "/usr/share/blnk"  // CMake and pkg-config builds give the installed folder
#endif

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s PHOTO [MODEL_DIR]\n", argv[0]);
    return 2;
  }
  const std::string models = argc > 2 ? argv[2] : BLNK_MODELS_DIR;
  try {
    blnk::LoadOptions options;
    options.gate = models + "/digit-gate.blnk";  // tells digits from letters and scribbles
    const blnk::Model model = blnk::Model::load(models + "/mnist.blnk", options);
    const blnk::Reading reading = model.read_file(argv[1]);
    std::printf("%s: %d (%.1f%%, %s)", argv[1], reading.digit, 100 * reading.probability,
                blnk::verdict_name(reading.verdict));
    for (int d : reading.top(3)) std::printf(" %d:%.3f", d, reading.probabilities[d]);
    std::printf("\n");
  } catch (const blnk::Exception& e) {
    std::fprintf(stderr, "read_photo: %s\n", e.what());
    return 1;
  }
  return 0;
}
