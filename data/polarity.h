// The polarity decision, step 1 of the pipeline in preprocess.h: dark ink on
// light paper or light ink on dark? Declared here, defined in polarity.cpp;
// preprocess.h includes this header, so its users see these too.
#pragma once

#include <array>

#include "data/image.h"

namespace blnk::data {

struct PreprocessOptions;    // preprocess.h
struct PreprocessWorkspace;  // preprocess.h: holds this step's buffers too

// The paper's brightness as a smooth surface over the image: a quadratic in
// u, v (-1..1 across the width and height), which holds a lighting gradient,
// a vignette or a broad flash.
struct PaperSurface {
  static constexpr int kTerms = 6;
  std::array<float, kTerms> c{};  // 1, u, v, u^2, uv, v^2
  float at(float u, float v) const { return c[0] + c[1] * u + c[2] * v + c[3] * u * u + c[4] * u * v + c[5] * v * v; }
};
// Robust fit (Tukey's biweight, iteratively reweighted) of the paper surface,
// from a flat `start_level` with scale `start_sigma`: first to the border ring
// (the paper where a photo is cropped), then to the whole image on a grid
// (the paper is the majority; the ring's fit, extrapolated, keeps the ink out
// as outliers). `sigma_out`: the robust scale of the paper around it.
PaperSurface fit_paper_surface(const GrayImage& image, float start_level, float start_sigma, PreprocessWorkspace& ws,
                               float* sigma_out = nullptr);
// Polarity, decided on the image shrunk to about 48 pixels across (a global
// decision): the border ring's median and spread start the paper surface;
// a pixel votes for dark ink by how far it is both below the surface (beyond
// a margin: 3 robust scales of the paper, at least kMinPolarityMargin) and
// below its grey-level closing by a square about 1/4 of the shorter side
// (the black top-hat: only structures thinner than that), and likewise for
// light ink (above the surface and above its opening); the side with more
// weight is the ink. Ink departs from the smooth paper and is thin; lighting
// that makes the paper's centre brighter than its border follows the surface,
// and a bright patch the surface misses (an off-centre flash) is broad, so
// neither votes; the paper inside a digit's loop is on the surface.
struct Polarity {
  bool ink_dark = false;   // ink darker than the background
  bool sure = true;        // false: a thick digit filling the frame could be either (the reader tries both)
  bool paper_scarce = false;  // ink covers much of the border: little paper shows, tiles cannot find it (one level for all)
  float background = 0;    // median of the border ring
  PaperSurface paper;      // the paper's smooth surface (over the image as shrunk for the decision)
};
Polarity ink_polarity(const GrayImage& image, PreprocessWorkspace& ws, const PreprocessOptions& opt);

}  // namespace blnk::data
