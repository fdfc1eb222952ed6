// ModelClassifier: decode, preprocess, infer (see model_classifier.h).
#include "reader/model_classifier.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <limits>

#include "data/find_digits.h"
#include "data/find_regions.h"
#include "data/image_write.h"
#include "data/seed_preprocess.h"
#include "engine/model_metadata.h"
#include "layers/int8_gemm.h"
#include "reader/class_model.h"
#include "reader/image_status.h"
#include "reader/region_line.h"
#include "base/error.h"

namespace blnk::reader {

struct ModelClassifier::Slot {
  Slot(const Network& net, const Network* gate)
      : workspace(net, 1, Mode::inference), probabilities(net.num_classes()) {
    if (gate) gate_workspace = std::make_unique<Workspace>(*gate, 1, Mode::inference);
  }
  Workspace workspace;
  std::unique_ptr<Workspace> gate_workspace;
  float gate_probabilities[kGateClasses] = {};
  data::PreprocessWorkspace preprocess;
  data::GrayImage image;
  std::vector<float> probabilities;
  data::FindWorkspace find;
  data::GrayImage page;   // the image shrunk to be searched (data/find_digits.h)
  data::GrayImage crop;   // one digit found, with the paper around it
  data::GrayImage upright;  // the page turned so that a line found at a slant is level
  data::Plane unboxed;      // the search's ink with a digit's box taken away (data::erase_box_sides)
  std::vector<float> group_scores, best_grouping;  // read_pieces: each run's log score, the best to each piece
  std::vector<int> grouping_step;                  // ... and the run (or a piece left out) that reached it
  std::vector<data::Preprocessed> seen;  // what the network read of each digit
  // read_regions: the stable regions, each one's pixels as ink, its reading.
  data::RegionWorkspace region_workspace;
  std::vector<data::Region> regions;
  data::Plane region_ink;
  std::vector<DigitReading> region_readings;
  std::vector<data::Preprocessed> region_seen;
  std::vector<RegionRead> region_reads;  // each region's digit and score, for choose_region_line
  std::vector<data::PixelBox> region_box;
  data::GrayImage region_page;  // the page shrunk further for the regions, when over kMaxRegionPixels
  // The digit-sized groups the search found, in each polarity (true: dark), in the page's pixels.
  std::vector<std::pair<data::PixelBox, bool>> found_groups;
  // read_holders: the holders (data/find_regions.h, step 4), the pictures of what they
  // hold (each read in the image's place), where each one is in the image.
  std::vector<data::Region> holders;
  std::vector<data::GrayImage> holder_pictures;
  struct HolderPlace {
    int x = 0, y = 0;  // the picture's first pixel in the image
    int height = 0;    // the holder's, in the image's pixels
  };
  std::vector<HolderPlace> holder_places;
  std::vector<data::Preprocessed> outer_seen;  // what the picture's own reading saw, kept meanwhile
  bool in_holder = false;  // reading a holder's picture: no holders (nor regions) within it
};

namespace {

// After "no digit found: <why>", what to do about it, in plain words.
constexpr const char* kNoDigitAdvice = "; draw or photograph one digit, bigger and darker";

Network load_gate(const std::string& path) {
  Network gate = network_from(read_model_file(path), path);
  if (gate.input_shape() != kMnistShape || gate.num_classes() != kGateClasses)
    throw Error(path + ": a digit gate takes 28x28x1 inputs and has 2 outputs (one digit, not one digit); this model has " +
                gate.input_shape().str() + " inputs and " + std::to_string(gate.num_classes()) + " outputs");
  return gate;
}

Network load_network(const std::string& path, double& accuracy) {
  const ModelFile file = read_model_file(path);
  // A model of image classes is read by reader/class_model.h, never through the digit pipeline.
  if (const std::optional<ClassModelInfo> classes = class_model_of(file, path))
    throw Error(not_a_digit_model_message(path, *classes) + " (blnk predict, eval and serve answer with its class names)");
  const std::string* stored = file.find_metadata(metadata::kTestAccuracy);
  accuracy = stored ? std::atof(stored->c_str()) : std::nan("");
  Network net = network_from(file, path);
  if (net.input_shape() != kMnistShape)
    throw Error(path + ": the model takes " + net.input_shape().str() + " inputs; digit reading needs 28x28x1");
  // A gate (2 outputs) taken for the reader would answer "0 (100%)" for anything.
  if (net.num_classes() != kDigitClasses)
    throw Error(path + ": a digit reader has " + std::to_string(kDigitClasses) +
                " outputs (one score per digit); this model has " + std::to_string(net.num_classes()) +
                (net.num_classes() == kGateClasses ? " (is it a digit gate? a gate goes to --gate, or gate= in Python)" : ""));
  return net;
}

// With the seed's own preprocessing the model's confidence says nothing: judged as
// blnk's readings are, 64 of the 180 photo-digits were "digit", 12 of them right. Only the gate's
// "not one digit" (on blnk's own view) is evidence; anything else gets no verdict.
void judge_seed_reading(Classification& result, bool gate, const data::Preprocessed& gate_view) {
  if (result.verdict == Verdict::not_a_digit) {
    if (!gate_view.found) result.reason = "blnk's own preprocessing sees no digit here (" + gate_view.reason + ")";
    return;
  }
  result.verdict = Verdict::unjudged;
  result.reason = std::string("no verdict with the seed's preprocessing: its confidence is no evidence") +
                  (gate ? " (the digit gate sees one digit)" : "");
}

}  // namespace

const char* bundled_gate_file() { return int8_vnni_available() ? kGateInt8File : kGateFile; }

ModelClassifier::ModelClassifier(const std::string& model_path, const data::ImageLimits& limits,
                                 const std::string& gate_path, bool seed_preprocessing)
    : accuracy_(std::nan("")),
      net_(load_network(model_path, accuracy_)),
      gate_(gate_path.empty() ? nullptr : std::make_unique<Network>(load_gate(gate_path))),
      name_(std::filesystem::path(model_path).filename().string()),
      limits_(limits),
      seed_preprocessing_(seed_preprocessing) {
  release(std::make_unique<Slot>(net_, gate_.get()));  // one slot ready, so the first call is not slower
}

ModelClassifier::~ModelClassifier() = default;

std::unique_ptr<ModelClassifier::Slot> ModelClassifier::acquire() const {
  {
    std::lock_guard<std::mutex> lock(pool_mutex_);
    if (!pool_.empty()) {
      auto slot = std::move(pool_.back());
      pool_.pop_back();
      return slot;
    }
  }
  return std::make_unique<Slot>(net_, gate_.get());
}

// A slot keeps its image buffer for the next photo of a usual size, not the largest
// it ever decoded: one 50-megapixel upload (even a refused one) would otherwise hold
// 200 MB for the server's lifetime, per slot (found by the hostile soak).
constexpr std::size_t kRetainedImagePixels = std::size_t(1) << 18;  // 1 MB of floats: a 512 x 512 photo
constexpr std::size_t kRetainedRegionPixels = std::size_t(1) << 14;  // 0.75 MB of regions' buffers: a 128 x 128 page

void ModelClassifier::release(std::unique_ptr<Slot> slot) const {
  if (slot->image.pixels.capacity() > kRetainedImagePixels) std::vector<float>().swap(slot->image.pixels);
  // So do the stable regions' buffers (about 45 bytes a pixel of the searched page, used
  // only when a picture reads as no digit) over a small page's.
  // (Any of them: a picture of too little contrast for a region sizes the levels and
  // the ink plane, not the union-find's records.)
  const data::RegionWorkspace& regions = slot->region_workspace;
  if (std::max({regions.nodes.capacity(), regions.levels.capacity(), slot->region_ink.pixels.capacity()}) >
      kRetainedRegionPixels) {
    slot->region_workspace = {};
    slot->region_ink = {};
    slot->region_page = {};
  }
  for (data::GrayImage& picture : slot->holder_pictures)
    if (picture.pixels.capacity() > kRetainedImagePixels) std::vector<float>().swap(picture.pixels);
  std::lock_guard<std::mutex> lock(pool_mutex_);
  pool_.push_back(std::move(slot));
}

std::size_t ModelClassifier::idle_image_bytes() const {
  std::lock_guard<std::mutex> lock(pool_mutex_);
  std::size_t bytes = 0;
  for (const auto& slot : pool_) {
    const data::RegionWorkspace& regions = slot->region_workspace;
    bytes += slot->image.pixels.capacity() * sizeof(float) + slot->region_ink.pixels.capacity() * sizeof(float) +
             slot->region_page.pixels.capacity() * sizeof(float) +
             regions.nodes.capacity() * sizeof(data::RegionWorkspace::Node) + regions.order.capacity() * sizeof(int) +
             regions.levels.capacity() + regions.parent.capacity() * sizeof(int) + regions.scratch.capacity() * sizeof(float) +
             regions.holder_area.capacity() * sizeof(int);
    for (const data::GrayImage& picture : slot->holder_pictures) bytes += picture.pixels.capacity() * sizeof(float);
  }
  return bytes;
}

void ModelClassifier::read_digit(Slot& slot, const data::Preprocessed& digit, const data::Preprocessed& gate_view,
                                 Classification& result) const {
  slot.workspace.predict(digit.pixels.data(), 1, slot.probabilities.data());
  result.probabilities = slot.probabilities;
  result.digit = int(std::max_element(result.probabilities.begin(), result.probabilities.end()) -
                     result.probabilities.begin());
  result.probability = result.probabilities[result.digit];
  result.single_digit = -1;
  if (slot.gate_workspace) {
    if (gate_view.found) {
      slot.gate_workspace->predict(gate_view.pixels.data(), 1, slot.gate_probabilities);
      result.single_digit = slot.gate_probabilities[kGateSingleDigit];
    } else {
      result.single_digit = 0;  // blnk's own preprocessing finds no digit at all
    }
  }
}

void ModelClassifier::classify_pixels(const float* pixels, std::vector<float>& probabilities) const {
  auto slot = acquire();
  probabilities.resize(net_.num_classes());
  slot->workspace.predict(pixels, 1, probabilities.data());
  release(std::move(slot));
}

namespace {

// The decode: JPEGs reduced in the DCT as far as both stages allow: the search
// for digits needs kFindSide pixels on the shorter side, preprocessing its own.
data::DecodeTarget decode_target() {
  data::DecodeTarget target = data::preprocess_decode_target();
  target.min_short_side = std::max(target.min_short_side, data::kFindSide);
  return target;
}

// A single digit whose box reaches half the picture's width or height is read
// from the whole picture, as before the search existed (a drawing, a digit
// photographed close, an MNIST image): the pipeline of preprocess.h was made
// for those. Smaller ones, and numbers, are cut out first.
constexpr float kWholePictureShare = 0.5f;
// Around a digit cut out, this share of its longer side of paper (at least
// kMinMargin pixels), never past half the gap to its neighbours.
constexpr float kMarginShare = 0.25f;
// Digits found replace the whole picture's reading when their score (the
// least sure digit's probability times the gate's "one digit") is higher by this.
constexpr float kFoundMustBeat = 0.1f;
// A picture more than this many times wider than tall is a strip (a number's).
constexpr int kStripAspect = 2;
// ... and at least this: the parts of a letter or a shape, cut out one by
// one, can each look like a digit (an N read "71"); the digits of a number
// people write look like digits clearly.
constexpr float kFoundMinScore = 0.9f;
// When the whole picture reads as no digit, dark ink found needs less: the light
// marks of a drawing on paper are the paper between its strokes (a spiral's, a
// smiley's, a U's insides) and read as digits as easily as a shape's parts do,
// whereas dark marks are what was drawn, and a digit a little unlike the model's
// (a display's segments, a digit in a form's box) reads between the two bars. A
// whole picture read as a digit keeps the higher bar: a stroke of it found alone
// reads as a 1.
constexpr float kDarkFoundMinScore = 0.7f;
constexpr int kMinMargin = 2;
// A digit among doodles (read_line_among_shapes): a mark that reads as none, on the
// digits' row and at least this share of the shortest's height, is apart from them by at
// least kApartOnRow times the tallest's...
constexpr float kDigitSized = 0.6f;
constexpr float kApartOnRow = 2.0f;
// ... and reads under this score (probability times the gate's "one digit"): half like a digit.
constexpr float kHalfDigit = 0.5f;
// No mark that reads as none is this many times as tall as the digits, and one within
// kCloseMark of the tallest of a digit does not read, with it, as another digit at kHalfDigit.
constexpr float kDwarfed = 1.5f;
constexpr float kStrayOneShort = 0.62f;  // drop_stray_ones: a 1 at a number's end under this...
constexpr float kStrayOneTall = 1.65f;   // ... or over this times the other digits' median height,
constexpr float kStrayOneSure = 0.9f;    // ... read as a 1 at this probability at least
constexpr float kCloseMark = 0.5f;
// The regions are looked for in pages of at most this many pixels (a 1024 x 1024 page;
// a larger one is shrunk to it). (Not at a shorter side of 360, half the search's page
// for most photos: 4 times faster, but a book's page number among its text is then too
// small to read: docs/predict.md.)
constexpr std::size_t kMaxRegionPixels = std::size_t(1) << 20;
// Marks of a row further apart than this share of their median height are in two words.
constexpr float kWordGap = 0.5f;
// A line of digits this far from level (radians: 8 degrees) is looked at level too.
constexpr float kMinSlant = 0.14f;
// The search's second look frames the picture in this share of its shorter side of paper.
constexpr float kCloseCropMargin = 0.25f;
// A whole picture's digit that reaches this share of the picture's width or height
// and touches its border is as often the paper's edge against a desk (read "1") or
// two edges of it meeting (read "7") as a digit cropped close. The search decides:
// digits it finds apart from every mark it set aside at the border (not pieces of a
// digit cropped close) need only to read well, not to beat it.
constexpr float kEdgeToEdge = 0.95f;

// No digit of `c` (boxes in the image's pixels) meets any of `boxes` (the page's
// pixels, `scale` image pixels each).
bool apart_from(const Classification& c, const std::vector<data::PixelBox>& boxes, float scale) {
  for (const DigitReading& d : c.digits) {
    const float x0 = float(d.box_x) / scale, y0 = float(d.box_y) / scale;
    const float x1 = float(d.box_x + d.box_w) / scale, y1 = float(d.box_y + d.box_h) / scale;
    for (const data::PixelBox& b : boxes)
      if (x0 < float(b.x + b.w) && float(b.x) < x1 && y0 < float(b.y + b.h) && float(b.y) < y1) return false;
  }
  return true;
}

bool edge_to_edge(const DigitReading& d, int width, int height) {
  const bool at_border = d.box_x <= 0 || d.box_y <= 0 || d.box_x + d.box_w >= width || d.box_y + d.box_h >= height;
  return at_border && (float(d.box_w) >= kEdgeToEdge * float(width) || float(d.box_h) >= kEdgeToEdge * float(height));
}

// A digit edge to edge in a picture of kFindSide or more (under it, pictures are crops
// and drawings, where a digit reaches the border as often as not).
bool across_the_photo(const data::GrayImage& image, const DigitReading& d) {
  const int scale = image.scale;
  return std::min(image.width, image.height) * scale >= data::kFindSide &&
         edge_to_edge(d, image.width * scale, image.height * scale);
}
constexpr const char* kAcrossThePhoto =
    "the only mark that reads reaches across the picture at its border: the edge of the paper, a frame or the "
    "scene, not a digit?";

// From the left of the first digit to the right of the last, in the image's pixels.
int line_width(const Classification& c) {
  int left = INT32_MAX, right = INT32_MIN;
  for (const DigitReading& d : c.digits) left = std::min(left, d.box_x), right = std::max(right, d.box_x + d.box_w);
  return c.digits.empty() ? 0 : right - left;
}

bool read_whole(const data::FoundDigits& found, const data::GrayImage& page, int lines) {
  if (lines != 1 || found.digits.empty() || found.digits.size() > std::size_t(data::kMaxDigitsInLine)) return true;
  if (found.digits.size() > 1) return false;
  // (A wide one may be touching digits: it is read cut out, where it can be split.)
  const data::PixelBox& b = found.digits[0];
  return b.w < b.h && (b.w >= kWholePictureShare * float(page.width) || b.h >= kWholePictureShare * float(page.height));
}

// The crop of digit i of `digits` (in the page's pixels, `factor` image pixels
// each) from `image`, with paper around it, clipped at the image and halfway to
// its neighbours.
data::PixelBox crop_box(const std::vector<data::PixelBox>& digits, std::size_t i, int width, int height) {
  const data::PixelBox& b = digits[i];
  const int margin = std::max(kMinMargin, int(kMarginShare * float(std::max(b.w, b.h))));
  int x0 = b.x - margin, x1 = b.x + b.w + margin;
  int y0 = b.y - margin, y1 = b.y + b.h + margin;
  if (i > 0) x0 = std::max(x0, (digits[i - 1].x + digits[i - 1].w + b.x) / 2);
  if (i + 1 < digits.size()) x1 = std::min(x1, (b.x + b.w + digits[i + 1].x) / 2);
  x0 = std::max(x0, 0), y0 = std::max(y0, 0);
  x1 = std::min(x1, width), y1 = std::min(y1, height);
  return {x0, y0, std::max(0, x1 - x0), std::max(0, y1 - y0)};
}

// The crop as dark ink on white paper from the search's ink (its top-hat):
// the strokes keep their grey levels, and what is not ink (the desk, a shadow,
// a wall, the paper's shading) is already gone.
void copy_ink_crop(const data::Plane& ink, const data::PixelBox& box, data::GrayImage& crop) {
  crop.width = box.w;
  crop.height = box.h;
  crop.scale = 1;
  crop.had_alpha = false;
  crop.pixels.resize(std::size_t(box.w) * std::size_t(box.h));
  for (int y = 0; y < box.h; ++y) {
    for (int x = 0; x < box.w; ++x)
      crop.pixels[std::size_t(y) * std::size_t(box.w) + std::size_t(x)] = 1.0f - std::clamp(ink.at(box.x + x, box.y + y), 0.0f, 1.0f);
  }
}

// A reading of one digit as one of a number's digits.
DigitReading as_digit_reading(const Classification& c) {
  DigitReading d;
  d.digit = c.digit;
  d.probability = c.probability;
  d.probabilities = c.probabilities;
  d.verdict = c.verdict;
  d.reason = c.reason;
  d.single_digit = c.single_digit;
  return d;
}

// How much a reading looks like a digit: its probability times the gate's
// "one digit"; of several, the least sure digit's, each digit's gate at least what
// the number's digits vouch for (verdict.h).
float digit_score(const DigitReading& d, float vouched = -1) {
  const float gate = std::max(d.single_digit, vouched);
  return d.probability * (gate >= 0 ? gate : 1.0f);
}

float reading_score(const Classification& c) {
  float score = c.digits.empty() ? 0.0f : 1.0f;
  const float vouched = vouched_single_digit(c.digits);
  for (const DigitReading& d : c.digits) score = std::min(score, digit_score(d, vouched));
  return score;
}

// A 1 at a number's end far shorter or taller than the number's digits that are no 1s,
// or far taller between them, is a stroke beside them (a sticky note's side, a frame's
// stub, a shirt's stripe) or between them (the gap between a meter's windows, between
// cards), not one of its digits: read
// across the development folders, a genuine 1 at an end is 0.68 to 1.56 times the
// others' median height, a stray one under 0.62 or over 1.73.
void drop_stray_ones(Classification& result, std::vector<data::Preprocessed>& seen) {
  std::array<int, 2 * data::kMaxDigitsInLine> heights;  // (no allocation per reading; longer lines are not numbers)
  if (result.digits.size() > heights.size()) return;
  // The median height of the digits that are no 1s (a line of 1s alone is left as it is).
  std::size_t count = 0;
  for (const DigitReading& d : result.digits)
    if (d.digit != 1) heights[count++] = d.box_h;
  if (count == 0) return;
  std::nth_element(heights.begin(), heights.begin() + long(count / 2), heights.begin() + long(count));
  const float median = float(std::max(1, heights[count / 2]));
  for (std::size_t at = 0; at < result.digits.size() && result.digits.size() >= 2;) {
    const DigitReading& one = result.digits[at];
    const float ratio = float(one.box_h) / median;
    // (A straight stroke reads as a sure 1; a blob that barely does is no edge beside a number.)
    // (Between digits only a taller one: a hand's 1 in a number is often short.)
    const bool at_end = at == 0 || at + 1 == result.digits.size();
    bool stray = one.digit == 1 && ((at_end && ratio < kStrayOneShort) || ratio > kStrayOneTall) &&
                 one.probability >= kStrayOneSure;
    // (Over a neighbour's columns it is a piece of that digit: a 9's stem beside its loop.)
    for (const std::size_t next : {at - 1, at + 1}) {
      if (!stray || next >= result.digits.size()) continue;  // (at - 1 wraps round at 0)
      const DigitReading& d = result.digits[next];
      stray = std::min(one.box_x + one.box_w, d.box_x + d.box_w) <= std::max(one.box_x, d.box_x);
    }
    if (!stray) {
      ++at;
      continue;
    }
    result.digits.erase(result.digits.begin() + long(at));
    if (at < seen.size()) seen.erase(seen.begin() + long(at));
  }
}

}  // namespace

data::Preprocessed ModelClassifier::blnk_view(std::span<const std::uint8_t> bytes, const std::string& name,
                                              Slot& slot) const {
  data::decode_image_gray(bytes, name, slot.image, limits_, decode_target());
  return whole_picture_view(name, slot);
}

data::Preprocessed ModelClassifier::whole_picture_view(const std::string& name, Slot& slot) const {
  try {
    return data::preprocess_digit(slot.image, slot.preprocess);
  } catch (const Error& e) {
    throw Error(name + ": " + e.what());
  }
}

bool ModelClassifier::classify(std::span<const std::uint8_t> bytes, const ClassifyOptions& options,
                               Classification& result, ClassifyFailure& failure) const {
  return classify_named(bytes, options.name.empty() ? "the image" : options.name, options, result, failure);
}

// A reading whose best probability times the gate's "one digit" reaches this is
// not read the other way round (see read_whole_picture).
constexpr float kDecisiveScore = 0.999f;
// A reading whose ink covers this share of the picture's border or more has taken the
// paper for ink (read_whole_picture's other way round).
constexpr float kPaperAtBorder = 0.5f;

DigitReading ModelClassifier::digit_reading(Slot& slot, const data::Preprocessed& digit, int scale) const {
  Classification c;
  read_digit(slot, digit, digit, c);
  DigitReading d = as_digit_reading(c);
  d.box_x = digit.box_x * scale, d.box_y = digit.box_y * scale;
  d.box_w = digit.box_w * scale, d.box_h = digit.box_h * scale;
  return d;
}

// A ring round a mark (a saucer's rim round a digit poured in a cup) reads as a sure 0
// (or another digit with a loop), and the gate, which never saw one, takes it for one
// digit: such a reading of the whole picture counts as no digit, and the search looks
// for what the ring holds. Judged on the working ink `digit` was just made from, and
// only for a digit with a loop (a small photo's 5 pays nothing for it).
namespace {

void refuse_ring_round_a_mark(const data::GrayImage& image, data::PreprocessWorkspace& ws,
                              const data::Preprocessed& digit, DigitReading& reading) {
  const bool looped = reading.digit == 0 || reading.digit == 6 || reading.digit == 8 || reading.digit == 9;
  if (!looped || reading.single_digit < 0) return;
  const int f = data::working_factor(image.width, image.height, data::PreprocessOptions{}.working_side);
  if (data::mark_inside_hole(ws.ink, {digit.box_x / f, digit.box_y / f, digit.box_w / f, digit.box_h / f}, ws))
    reading.single_digit = 0;
}

}  // namespace

void ModelClassifier::read_whole_picture(Slot& slot, data::Preprocessed digit, Classification& result) const {
  result.digits.assign(1, digit_reading(slot, digit, slot.image.scale));
  slot.seen.assign(1, digit);
  refuse_ring_round_a_mark(slot.image, slot.preprocess, digit, result.digits[0]);
  // A thick digit filling the frame can be read either way round (is the
  // paper the light part or the dark?): read it both ways, keep the reading
  // that looks more like one digit. A first reading already decisive needs no
  // second: the other way round could only win by being more so, and reading
  // it doubled the time of such photos (issue 21).
  // The other way round, the ink must cover under half the picture's border: what
  // covers most of it is the paper (a thumbnail's or a close crop's paper, taken for
  // ink, frames the picture and reads as a sure 0).
  if (!digit.polarity_sure && reading_score(result) < kDecisiveScore) {
    data::PreprocessOptions flipped;
    flipped.polarity = digit.inverted ? data::InkPolarity::light : data::InkPolarity::dark;
    read_whole_again(slot, flipped, result, 0.0f, kPaperAtBorder);
  }
}

// A soft, thick digit cropped close covers whole rows and columns with its strokes,
// which streak removal takes for streaks and hollows out (a scanned form's field
// smoothed up): when the whole picture's reading is the answer (no digit found in it
// read better) and is not decisive, the picture is read once more with only bands as
// narrow as a streak taken off, in the polarity kept; that reading must read as well
// as a digit found by the search must (kFoundMinScore). (Not before the search, and
// not short of that: a photo's whole reading is often of the scene, and the scene
// with its broad bands of shade kept too reads as some digit, a shape as some digit,
// better than the scene did.)
void ModelClassifier::read_whole_strokes_kept(Slot& slot, Classification& result) const {
  if (result.digits.size() != 1 || slot.seen.size() != 1 || reading_score(result) >= kDecisiveScore) return;
  data::PreprocessOptions strokes_kept;
  strokes_kept.streaks_only = true;
  strokes_kept.polarity = slot.seen[0].inverted ? data::InkPolarity::dark : data::InkPolarity::light;
  read_whole_again(slot, strokes_kept, result, kFoundMinScore);
}

void ModelClassifier::read_whole_again(Slot& slot, const data::PreprocessOptions& options, Classification& result,
                                       float min_score, float border_ink_under) const {
  const data::Preprocessed other = data::preprocess_digit(slot.image, slot.preprocess, options);
  if (!other.found) return;
  Classification other_result;
  other_result.digits.assign(1, digit_reading(slot, other, slot.image.scale));
  refuse_ring_round_a_mark(slot.image, slot.preprocess, other, other_result.digits[0]);
  const float score = reading_score(other_result);
  if (score > reading_score(result) && score >= min_score && other.border_ink < border_ink_under) {
    result.digits = std::move(other_result.digits);
    slot.seen.assign(1, other);
  }
}

// Digit i of `boxes` is cut out of the search's ink plane (page pixels,
// `factor` image pixels each) with paper around it and preprocessed as dark
// ink on white.
bool ModelClassifier::read_found_digit(Slot& slot, const std::vector<data::PixelBox>& boxes, std::size_t i,
                                       int factor, DigitReading& reading, data::Preprocessed& seen,
                                       const data::Plane* from) const {
  const data::Plane& ink = from ? *from : slot.find.tophat;
  const data::PixelBox box = crop_box(boxes, i, ink.width, ink.height);
  if (box.empty()) return false;
  copy_ink_crop(ink, box, slot.crop);
  data::PreprocessOptions dark;
  dark.polarity = data::InkPolarity::dark;
  seen = data::preprocess_digit(slot.crop, slot.preprocess, dark);
  if (!seen.found) return false;
  seen.box_x += box.x, seen.box_y += box.y;
  reading = digit_reading(slot, seen, slot.image.scale * factor);
  return true;
}

// Each digit found is cut out and read on its own.
bool ModelClassifier::read_found_digits(Slot& slot, const data::FoundDigits& found, int factor,
                                        Classification& result) const {
  result.digits.clear();
  slot.seen.clear();
  std::vector<data::PixelBox> boxes = found.digits;
  for (std::size_t i = 0; i < boxes.size(); ++i) {
    DigitReading reading;
    data::Preprocessed seen;
    bool read = read_found_digit(slot, boxes, i, factor, reading, seen);
    // Touching digits are one mark: a wide one that reads badly is split
    // where its ink is thinnest, and kept split when both sides read well.
    const data::PixelBox& b = boxes[i];
    if ((!read || digit_score(reading) < kFoundMinScore) && b.w >= b.h &&
        boxes.size() < std::size_t(data::kMaxDigitsInLine)) {
      const int column = data::split_column(slot.find.tophat, found.contrast, b);
      if (column > b.x) {
        std::vector<data::PixelBox> split = boxes;
        split[i] = {b.x, b.y, column - b.x, b.h};
        split.insert(split.begin() + long(i) + 1, data::PixelBox{column + 1, b.y, b.x + b.w - column - 1, b.h});
        DigitReading left, right;
        data::Preprocessed left_seen, right_seen;
        if (read_found_digit(slot, split, i, factor, left, left_seen) &&
            read_found_digit(slot, split, i + 1, factor, right, right_seen) &&
            std::min(digit_score(left), digit_score(right)) >= kFoundMinScore) {
          boxes = std::move(split);
          result.digits.push_back(std::move(left));
          result.digits.push_back(std::move(right));
          slot.seen.push_back(left_seen);
          slot.seen.push_back(right_seen);
          ++i;
          continue;
        }
      }
    }
    // A digit written touching its box is one mark with it: read again without the
    // box's sides; a box that holds nothing then (a form's unused one) is no digit.
    if ((!read || digit_score(reading) < kFoundMinScore) &&
        data::erase_box_sides(slot.find.tophat, b, found.contrast, slot.unboxed)) {
      DigitReading inside;
      data::Preprocessed inside_seen;
      if (!read_found_digit(slot, boxes, i, factor, inside, inside_seen, &slot.unboxed)) {
        boxes.erase(boxes.begin() + long(i));
        --i;
        continue;
      }
      if (!read || digit_score(inside) > digit_score(reading)) {
        reading = std::move(inside);
        seen = inside_seen;
        read = true;
      }
    }
    if (!read) return false;
    result.digits.push_back(std::move(reading));
    slot.seen.push_back(seen);
  }
  drop_stray_ones(result, slot.seen);
  return !result.digits.empty();  // (a row of empty boxes holds no number)
}

// A digit of pieces holds at most this many (a segment display's seven bars and a dot
// beside them), and is at least this share of the line's height.
constexpr std::size_t kMaxPiecesInDigit = 8;
constexpr float kPieceDigitHeight = 0.5f;
// Only a piece under this share of the line's height may be left out of every digit (a
// speck, a dot), and it costs as much as a digit read at kPieceLeftOut: a bar as long as
// a display's is some digit's.
constexpr float kPieceSpeck = 0.3f;
constexpr float kPieceLeftOut = 0.25f;
// The best of the many groupings a line of pieces allows reads well by chance more
// often than a line found as it is: the grouping is the reading only when its least
// sure digit reads at this score (over the development folders, 12 of the 13 groupings
// that read under it and changed an answer were wrong: docs/predict.md, "Digits in pieces").
constexpr float kPiecesMinScore = 0.998f;

// How many of the line's pieces, each more than a speck, lie outside every digit found
// (their centres outside every digit's columns).
int pieces_outside(const data::FoundDigits& found) {
  if (found.pieces.empty()) return 0;
  int top = found.pieces[0].box.y, bottom = top;
  for (const data::Mark& m : found.pieces) top = std::min(top, m.box.y), bottom = std::max(bottom, m.box.y + m.box.h);
  int outside = 0;
  for (const data::Mark& m : found.pieces) {
    if (float(std::max(m.box.w, m.box.h)) < kPieceSpeck * float(bottom - top)) continue;
    const int centre2 = 2 * m.box.x + m.box.w;
    outside += std::none_of(found.digits.begin(), found.digits.end(), [&](const data::PixelBox& d) {
      return centre2 >= 2 * d.x && centre2 <= 2 * (d.x + d.w);
    });
  }
  return outside;
}

bool ModelClassifier::read_piece_group(Slot& slot, const std::vector<data::Mark>& pieces, std::size_t first,
                                       std::size_t count, int factor, DigitReading& reading,
                                       data::Preprocessed& seen) const {
  const data::Plane& ink = slot.find.tophat;
  const std::vector<int>& labels = slot.find.labels;
  data::PixelBox b = pieces[first].box;
  for (std::size_t k = first + 1; k < first + count; ++k) b = data::united(b, pieces[k].box);
  const int margin = std::max(kMinMargin, int(kMarginShare * float(std::max(b.w, b.h))));
  const int x0 = std::max(0, b.x - margin), y0 = std::max(0, b.y - margin);
  const int x1 = std::min(ink.width, b.x + b.w + margin), y1 = std::min(ink.height, b.y + b.h + margin);
  if (x1 <= x0 || y1 <= y0) return false;
  const auto in_group = [&](int x, int y) {
    const int label = labels[std::size_t(y) * std::size_t(ink.width) + std::size_t(x)];
    if (label < 0) return false;
    for (std::size_t k = first; k < first + count; ++k)
      if (pieces[k].label == label) return true;
    return false;
  };
  // The group's pixels and the unlabelled rim round them (a stroke's soft edge under the
  // threshold); everything else is paper.
  data::GrayImage& crop = slot.crop;
  crop.width = x1 - x0, crop.height = y1 - y0, crop.scale = 1, crop.had_alpha = false;
  crop.pixels.assign(std::size_t(crop.width) * std::size_t(crop.height), 1.0f);
  for (int y = y0; y < y1; ++y) {
    for (int x = x0; x < x1; ++x) {
      bool keep = in_group(x, y);
      if (!keep && labels[std::size_t(y) * std::size_t(ink.width) + std::size_t(x)] < 0) {
        for (int v = std::max(0, y - 1); v <= std::min(ink.height - 1, y + 1) && !keep; ++v)
          for (int u = std::max(0, x - 1); u <= std::min(ink.width - 1, x + 1) && !keep; ++u) keep = in_group(u, v);
      }
      if (keep)
        crop.pixels[std::size_t(y - y0) * std::size_t(crop.width) + std::size_t(x - x0)] =
            1.0f - std::clamp(ink.at(x, y), 0.0f, 1.0f);
    }
  }
  data::PreprocessOptions dark;
  dark.polarity = data::InkPolarity::dark;
  seen = data::preprocess_digit(crop, slot.preprocess, dark);
  if (!seen.found) return false;
  seen.box_x += x0, seen.box_y += y0;
  reading = digit_reading(slot, seen, slot.image.scale * factor);
  return true;
}

bool ModelClassifier::read_pieces(Slot& slot, const data::FoundDigits& found, int factor, Classification& result) const {
  const std::vector<data::Mark>& pieces = found.pieces;
  const std::size_t n = pieces.size();
  if (n < 2) return false;
  int top = pieces[0].box.y, bottom = pieces[0].box.y + pieces[0].box.h;
  for (const data::Mark& m : pieces) top = std::min(top, m.box.y), bottom = std::max(bottom, m.box.y + m.box.h);
  const float min_height = kPieceDigitHeight * float(bottom - top);
  // Each run's score (log), -inf where it is no digit's shape or reads as none.
  constexpr float kNone = -std::numeric_limits<float>::infinity();
  slot.group_scores.assign(n * kMaxPiecesInDigit, kNone);
  DigitReading reading;
  data::Preprocessed seen;
  for (std::size_t i = 0; i < n; ++i) {
    data::PixelBox b = pieces[i].box;
    for (std::size_t k = 0; k < kMaxPiecesInDigit && i + k < n; ++k) {
      if (k > 0) b = data::united(b, pieces[i + k].box);
      if (b.w > bottom - top) break;  // wider only grows
      if (b.w > b.h || float(b.h) < min_height) continue;
      if (read_piece_group(slot, pieces, i, k + 1, factor, reading, seen) && digit_score(reading) > 0)
        slot.group_scores[i * kMaxPiecesInDigit + k] = std::log(digit_score(reading));
    }
  }
  // The best grouping of pieces [0, j), by the sum of its runs' log scores.
  slot.best_grouping.assign(n + 1, kNone);
  slot.grouping_step.assign(n + 1, 0);  // the run's length that reached j (0: piece j - 1 left out)
  slot.best_grouping[0] = 0;
  const float left_out = std::log(kPieceLeftOut);
  for (std::size_t i = 0; i < n; ++i) {
    const float from = slot.best_grouping[i];
    if (from == kNone) continue;
    const data::PixelBox& piece = pieces[i].box;
    if (float(std::max(piece.w, piece.h)) < kPieceSpeck * float(bottom - top) && from + left_out > slot.best_grouping[i + 1])
      slot.best_grouping[i + 1] = from + left_out, slot.grouping_step[i + 1] = 0;
    for (std::size_t k = 0; k < kMaxPiecesInDigit && i + k < n; ++k) {
      const float s = slot.group_scores[i * kMaxPiecesInDigit + k];
      if (s != kNone && from + s > slot.best_grouping[i + k + 1])
        slot.best_grouping[i + k + 1] = from + s, slot.grouping_step[i + k + 1] = int(k + 1);
    }
  }
  // Back from the end: the runs chosen, read again for the reading and what was seen.
  // A grouping of one piece a digit is the line as found (read_found_digits read it).
  result.digits.clear();
  slot.seen.clear();
  if (slot.best_grouping[n] == kNone) return false;
  // Nor is one whose only pieces joined read as 1s: any two strokes one above the other
  // (a letter's, a frame's sides) read as a 1.
  bool joins = false;
  for (std::size_t j = n; j > 0;) {
    const std::size_t count = std::size_t(std::max(1, slot.grouping_step[j]));
    if (slot.grouping_step[j] > 0) {
      if (!read_piece_group(slot, pieces, j - count, count, factor, reading, seen)) return false;
      joins = joins || (count > 1 && reading.digit != 1);
      result.digits.insert(result.digits.begin(), reading);
      slot.seen.insert(slot.seen.begin(), seen);
    }
    j -= count;
  }
  if (!joins) return false;
  if (result.digits.empty() || result.digits.size() > std::size_t(data::kMaxDigitsInLine)) return false;
  drop_stray_ones(result, slot.seen);
  return !result.digits.empty();
}

bool ModelClassifier::read_number_among_words(Slot& slot, const data::FoundDigits& found, int factor, float min_score,
                                              Classification& result) const {
  // A space between words: wider than half the marks' height, and than twice their
  // median gap (a hand's digits are spaced unevenly, not in words).
  std::vector<int> heights, gaps;
  for (std::size_t i = 0; i < found.digits.size(); ++i) {
    heights.push_back(found.digits[i].h);
    if (i > 0) gaps.push_back(found.digits[i].x - (found.digits[i - 1].x + found.digits[i - 1].w));
  }
  std::nth_element(heights.begin(), heights.begin() + long(heights.size() / 2), heights.end());
  std::nth_element(gaps.begin(), gaps.begin() + long(gaps.size() / 2), gaps.end());
  const float word_gap = std::max(kWordGap * float(heights[heights.size() / 2]), 2.0f * float(gaps[gaps.size() / 2]));
  std::vector<data::Preprocessed> number_seen;
  int numbers = 0;
  data::FoundDigits word = found;
  for (std::size_t first = 0; first < found.digits.size();) {
    std::size_t end = first + 1;
    while (end < found.digits.size() &&
           float(found.digits[end].x - (found.digits[end - 1].x + found.digits[end - 1].w)) <= word_gap)
      ++end;
    if (first == 0 && end == found.digits.size()) return false;  // one word: the line as it is
    word.digits.assign(found.digits.begin() + long(first), found.digits.begin() + long(end));
    Classification reading;
    const float score = read_found_digits(slot, word, factor, reading) ? reading_score(reading) : 0.0f;
    if (end - first >= 2 && score >= min_score) {
      if (++numbers > 1) return false;  // two numbers on the row: not one line of digits
      result = std::move(reading);
      number_seen.swap(slot.seen);
    } else if (end - first == 1 && score >= kFoundMinScore) {
      return false;  // a digit apart from the others (a comb's boxes): the row is digits, not words
    }
    first = end;
  }
  slot.seen.swap(number_seen);
  return numbers == 1;
}

bool ModelClassifier::off_line_reads_as_digit(Slot& slot, const data::FoundDigits& found, int factor) const {
  // A page of text beside the line is not read mark by mark: it is refused as before.
  if (found.off_line.size() > std::size_t(2 * data::kMaxDigitsInLine)) return true;
  for (std::size_t i = 0; i < found.off_line.size(); ++i) {
    DigitReading reading;
    data::Preprocessed seen;
    if (read_found_digit(slot, found.off_line, i, factor, reading, seen) && digit_score(reading) >= kFoundMinScore)
      return true;
  }
  return false;
}

bool ModelClassifier::read_line_among_shapes(Slot& slot, const data::FoundDigits& found, int factor,
                                             Classification& result) const {
  std::vector<data::PixelBox> marks = found.digits;
  marks.insert(marks.end(), found.off_line.begin(), found.off_line.end());
  if (marks.size() < 2 || marks.size() > std::size_t(2 * data::kMaxDigitsInLine)) return false;
  std::sort(marks.begin(), marks.end(), [](const data::PixelBox& a, const data::PixelBox& b) { return a.x < b.x; });
  const auto same_row = [](const data::PixelBox& a, const data::PixelBox& b) {
    return std::min(a.y + a.h, b.y + b.h) - std::max(a.y, b.y) >= std::min(a.h, b.h) / 2;
  };
  // Each mark cut out between its neighbours on its own row, and read.
  std::vector<DigitReading> readings(marks.size());
  std::vector<data::Preprocessed> seen(marks.size());
  std::vector<std::uint8_t> is_digit(marks.size());
  std::vector<data::PixelBox> row;
  std::size_t digits = 0;
  for (std::size_t i = 0; i < marks.size(); ++i) {
    row.clear();
    std::size_t at = 0;
    for (std::size_t j = 0; j < marks.size(); ++j) {
      if (j != i && !same_row(marks[i], marks[j])) continue;
      if (j == i) at = row.size();
      row.push_back(marks[j]);
    }
    is_digit[i] = read_found_digit(slot, row, at, factor, readings[i], seen[i]) &&
                  digit_score(readings[i]) >= kFoundMinScore;
    digits += is_digit[i];
  }
  if (digits == 0 || digits > std::size_t(data::kMaxDigitsInLine)) return false;
  // Nor 1s alone from among marks that read as none: any straight stroke of a letter, a
  // sign or a shape reads as one (a parking bay's lines as 111).
  bool all_ones = true;
  for (std::size_t i = 0; i < marks.size(); ++i) all_ones = all_ones && (!is_digit[i] || readings[i].digit == 1);
  if (all_ones) return false;
  // The digits share one row, from neighbour to neighbour.
  int left = INT32_MAX, right = INT32_MIN, tallest = 0, shortest = INT32_MAX;
  const data::PixelBox* previous = nullptr;
  for (std::size_t i = 0; i < marks.size(); ++i) {
    if (!is_digit[i]) continue;
    if (previous && !same_row(*previous, marks[i])) return false;
    previous = &marks[i];
    left = std::min(left, marks[i].x), right = std::max(right, marks[i].x + marks[i].w);
    tallest = std::max(tallest, marks[i].h), shortest = std::min(shortest, marks[i].h);
  }
  // And every other mark is apart from them: not sure otherwise.
  for (std::size_t i = 0; i < marks.size(); ++i) {
    if (is_digit[i]) continue;
    const data::PixelBox& m = marks[i];
    // Dwarfed by a mark that reads as none, a digit is as often a piece of what it is (a shirt's stripes).
    if (float(m.h) > kDwarfed * float(tallest)) return false;
    bool on_row = false;
    for (std::size_t j = 0; j < marks.size() && !on_row; ++j) on_row = is_digit[j] && same_row(m, marks[j]);
    // (Of the shortest digit's size: a digit stacked with a doodle under it is tall.)
    if (on_row && float(m.h) >= kDigitSized * float(shortest)) {
      // A mark of a digit's size on the row, near either end or among the digits, or
      // reading half like a digit anywhere on it, is as likely a digit of the number that
      // reads badly (in a form's box, a comb's) as a doodle.
      const float apart = kApartOnRow * float(tallest);
      if ((float(m.x) < float(right) + apart && float(m.x + m.w) > float(left) - apart) ||
          digit_score(readings[i]) >= kHalfDigit)
        return false;
    }
    // A mark close to a digit may be the rest of it (a digit found in pieces, one of which
    // reads as a 1, or a clump of a display's dots as an 8): when the two together read
    // as another digit, neither is sure.
    for (std::size_t j = 0; j < marks.size(); ++j) {
      if (!is_digit[j]) continue;
      const data::PixelBox& d = marks[j];
      const int gap = std::max(std::max(m.x, d.x) - std::min(m.x + m.w, d.x + d.w),
                               std::max(m.y, d.y) - std::min(m.y + m.h, d.y + d.h));
      if (float(gap) >= kCloseMark * float(tallest)) continue;
      const int x0 = std::min(m.x, d.x), y0 = std::min(m.y, d.y);
      row.assign(1, data::PixelBox{x0, y0, std::max(m.x + m.w, d.x + d.w) - x0, std::max(m.y + m.h, d.y + d.h) - y0});
      DigitReading together;
      data::Preprocessed together_seen;
      if (read_found_digit(slot, row, 0, factor, together, together_seen) && together.digit != readings[j].digit &&
          digit_score(together) >= kHalfDigit)
        return false;
    }
  }
  result.digits.clear();
  slot.seen.clear();
  for (std::size_t i = 0; i < marks.size(); ++i) {
    if (!is_digit[i]) continue;
    result.digits.push_back(std::move(readings[i]));
    slot.seen.push_back(seen[i]);
  }
  return true;
}

// Find, then read, in the decoded picture of the slot (docs/predict.md). False with
// failure.no_digit when nothing in it reads as a digit or a number.
bool ModelClassifier::read_picture(Slot& slot, const std::string& name, const ClassifyOptions& options,
                                   Classification& result, ClassifyFailure& failure, bool regions_when_none) const {
  // Find, then read. The whole picture read as one digit is the first
  // candidate (a digit cropped to its ink, or filling a drawing: what
  // preprocess.h was made for). Then the picture is searched for digits
  // of either polarity at kFindSide (data/find_digits.h); each digit found
  // is cut out and read. The model judges: digits found replace the whole
  // picture's reading when they read clearly better, and the better of
  // the two polarities wins. A line that reads badly is read again with its
  // broken strokes joined, and, at a slant, in the page turned level.
  float best = -1;
  slot.found_groups.clear();
  const data::Preprocessed whole = whole_picture_view(name, slot);
  int whole_width = 0;  // the whole picture's digit's width, in the image's pixels
  bool whole_no_digit = true;  // the gate refuses the whole picture's reading (or there is none)
  bool whole_at_edges = false;  // its digit reaches across the picture at its border
  if (whole.found) {
    read_whole_picture(slot, whole, result);
    whole_at_edges = across_the_photo(slot.image, result.digits[0]);
    best = reading_score(result) + kFoundMustBeat;
    whole_width = result.digits[0].box_w;
    const float gate = result.digits[0].single_digit;
    whole_no_digit = gate >= 0 && gate < VerdictRules{}.min_single_digit;
  }
  std::vector<data::Preprocessed> whole_seen;
  whole_seen.swap(slot.seen);
  bool found_wins = false;
  Classification found_reading;
  std::vector<data::Preprocessed> found_seen;
  // Scores are at most 1: over 1 - kFoundMustBeat, the whole picture's
  // reading cannot lose, and the search is skipped (it costs more than the reading);
  // but not in a strip, whose wider line of digits may beat one read alone (a row
  // of eleven plain 1s, each a sub-pixel line at the whole reading's working size,
  // read as one sure 1). Without the search (options.find false) the whole
  // picture's reading is the answer.
  if (!options.find) best = std::max(best, 1.0f);
  const bool strip = slot.image.width > kStripAspect * slot.image.height;
  const bool unbeatable = best >= 1.0f && !((whole_at_edges || strip) && options.find);
  const int factor = std::max(1, std::min(slot.image.width, slot.image.height) / data::kFindSide);
  if (factor > 1 && !unbeatable) data::shrink_by(slot.image, factor, slot.page);
  const data::GrayImage& page = factor > 1 ? slot.page : slot.image;
  std::string beyond_one_line;  // what the search saw that blnk does not read
  bool whole_in_long_line = false;  // ... a line too long, the whole picture's digit one of its marks
  bool dropped_at_border = false;
  const bool close_crop_sized =
      std::min(slot.image.width, slot.image.height) * slot.image.scale < 2 * data::kFindSide;
  // A second look when nothing read well: the picture framed in paper (a
  // number cut out of a form, a drawing filling the pad: digits touching the
  // border, strokes as long as the picture).
  const int close_crop_margin = std::max(1, int(kCloseCropMargin * float(std::min(page.width, page.height))));
  for (const auto& [ink_dark, margin] : {std::pair{true, 0}, {false, 0}, {true, close_crop_margin},
                                         {false, close_crop_margin}}) {
    if (unbeatable) break;
    if (margin == 0 && found_wins && best >= 1.0f) continue;  // the other polarity cannot beat it
    // The second look, unless digits were found where nothing at the border
    // was set aside; and only for pictures under twice kFindSide (form fields,
    // crops, drawings): a photo has its paper around the digits, and looking
    // twice at one would cost it another search.
    if (margin > 0 && ((found_wins && !dropped_at_border) || !close_crop_sized)) break;
    data::FoundDigits found = data::find_digits(page, ink_dark, slot.find, margin);
    dropped_at_border = dropped_at_border || found.border_marks > 0;
    for (const data::PixelBox& b : found.digits) slot.found_groups.emplace_back(b, ink_dark);
    for (const data::PixelBox& b : found.off_line) slot.found_groups.emplace_back(b, ink_dark);
    // What the first look saw is said (the second frames the picture, and
    // sees it otherwise), and only in the polarity the whole picture's
    // reading found its ink in: the other one takes paper for ink.
    const bool says_why = !whole.found || !whole.polarity_sure || whole.inverted == ink_dark;
    // A number beside words (a price tag's, a ticket's): the other rows hold no
    // mark that reads as a digit, and the line is read as if alone. Only a line of
    // several marks (one mark beside others is as often what is left of a shape the
    // search set aside), of dark ink or in the polarity the whole picture's reading
    // found its ink in: in the other, the paper between strokes makes the marks,
    // and a picture's surround can decide the whole reading's polarity (a white
    // envelope on a dark desk).
    const bool dark_ink = ink_dark;  // (clang 14 does not capture a structured binding)
    const auto alone_in_its_row = [&](const data::FoundDigits& f) {
      return (says_why || dark_ink) && f.lines > 1 && f.digits.size() > 1 && f.digits.size() <= std::size_t(data::kMaxDigitsInLine) &&
             !off_line_reads_as_digit(slot, f, factor);
    };
    bool beside_words = alone_in_its_row(found);
    // The tallest mark's row may be a stamp or a logo beside the number: the row
    // with more digit-sized marks is the line when the rest reads as no digit.
    if (!beside_words && !found.fullest_row.empty()) {
      data::FoundDigits fullest = found;
      fullest.digits.swap(fullest.fullest_row);
      fullest.off_line.swap(fullest.fullest_row_off_line);
      if (alone_in_its_row(fullest)) found = std::move(fullest), beside_words = true;
    }
    if (says_why && found.lines > 1 && !beside_words && beyond_one_line.empty())
      beyond_one_line = "digits in two or more lines: blnk reads one line of digits";
    if (says_why && found.lines == 1 && found.digits.size() > std::size_t(data::kMaxDigitsInLine) &&
        beyond_one_line.empty()) {
      beyond_one_line = std::to_string(found.digits.size()) + " marks in a line: blnk reads up to " +
                        std::to_string(data::kMaxDigitsInLine) + " digits";
      // The whole picture's reading saw one of them (its digit under half the line's width).
      const data::PixelBox &first = found.digits.front(), &last = found.digits.back();
      const int line_pixels = (last.x + last.w - first.x) * factor * slot.image.scale;
      whole_in_long_line = whole.found && float(whole_width) < kWholePictureShare * float(line_pixels);
    }
    const int lines = beside_words ? 1 : found.lines;
    const float min_score = ink_dark && whole_no_digit ? kDarkFoundMinScore : kFoundMinScore;
    Classification candidate;
    float score = -1.0f;
    if (read_whole(found, page, lines)) {
      // Several lines: one of them may be the digits among doodles or shapes (as below),
      // or the rows of a segment display's bars (read_pieces).
      if (lines < 2 || !(says_why || dark_ink)) continue;
      if (read_line_among_shapes(slot, found, factor, candidate)) {
        score = reading_score(candidate);
      } else if (read_pieces(slot, found, factor, candidate) && reading_score(candidate) >= kPiecesMinScore) {
        score = reading_score(candidate);
      } else {
        continue;
      }
    } else {
      const bool read = read_found_digits(slot, found, factor, candidate);
      score = read ? reading_score(candidate) : -1.0f;
      // Broken strokes (a print's, a stencil's, dots): the marks within a stroke's
      // width of each other joined, read when the line as found does not read well.
      if (score < min_score && !found.joined.empty()) {
        data::FoundDigits joined = found;
        joined.digits.swap(joined.joined);
        std::vector<data::Preprocessed> as_found;
        as_found.swap(slot.seen);
        Classification other;
        if (read_found_digits(slot, joined, factor, other) && reading_score(other) > score) {
          candidate = std::move(other);
          score = reading_score(candidate);
        } else {
          slot.seen.swap(as_found);
        }
      }
      // Digits in pieces (a segment display's bars, a stencil's parts, strips of tape):
      // the line's pieces grouped as the reading agrees, when the line read badly, or
      // read but left two or more pieces on its rows, each more than a speck, outside
      // every digit (a display's digit whose bars each looked like a speck beside the
      // others; then the grouping must also hold more digits). Of dark ink, or in the
      // whole picture's polarity: in the other, the paper between a drawing's strokes
      // makes the pieces.
      const bool pieces_left = pieces_outside(found) >= 2;
      if ((score < min_score || pieces_left) && (says_why || dark_ink) && found.pieces.size() > found.digits.size()) {
        std::vector<data::Preprocessed> as_found;
        as_found.swap(slot.seen);
        Classification grouped;
        if (read_pieces(slot, found, factor, grouped) && reading_score(grouped) >= kPiecesMinScore &&
            (score < min_score || grouped.digits.size() > candidate.digits.size())) {
          candidate = std::move(grouped);
          score = reading_score(candidate);
        } else {
          slot.seen.swap(as_found);
        }
      }
      // A number among words on its row (a receipt's "TOTAL $102", a bib's event name):
      // the row's words, parted where the gap is wider than half the marks' height
      // and twice their median gap, are read each; one that reads as two or more
      // digits is the line, when no other word does and no lone mark reads as a digit.
      if (score < min_score && found.digits.size() > 2) {
        Classification word_reading;
        if (read_number_among_words(slot, found, factor, min_score, word_reading) && reading_score(word_reading) > score) {
          candidate = std::move(word_reading);
          score = reading_score(candidate);
        }
      }
      // A digit among doodles or shapes: every mark read alone, the model judges which are
      // digits. (Of dark ink, or in the whole picture's polarity: in the other, the paper
      // between a drawing's strokes makes the marks.)
      if (score < min_score && (says_why || dark_ink) && (found.lines > 1 || found.digits.size() > 1)) {
        Classification among;
        std::vector<data::Preprocessed> as_found;
        as_found.swap(slot.seen);
        if (read_line_among_shapes(slot, found, factor, among) && reading_score(among) > score) {
          candidate = std::move(among);
          score = reading_score(candidate);
        } else {
          slot.seen.swap(as_found);
        }
      }
      // A line at a slant (a ticket lying askew) that does not read well is looked
      // for again in the page turned level: its digits upright, each cut out alone.
      // (Last: the search's ink is then the turned page's.)
      const float angle = score < min_score && margin == 0 ? data::line_angle(found.digits) : 0.0f;
      if (std::abs(angle) >= kMinSlant) {
        data::turn_page(page, -angle, slot.upright);
        const data::FoundDigits level = data::find_digits(slot.upright, ink_dark, slot.find, 0);
        std::vector<data::Preprocessed> as_found;
        as_found.swap(slot.seen);
        Classification turned;
        if (level.lines == 1 && !read_whole(level, slot.upright, 1) && read_found_digits(slot, level, factor, turned) &&
            reading_score(turned) > score) {
          const float s = float(slot.image.scale * factor);
          for (DigitReading& d : turned.digits) {
            const data::PixelBox back = data::turned_back(
                {int(float(d.box_x) / s), int(float(d.box_y) / s), int(std::ceil(float(d.box_w) / s)), int(std::ceil(float(d.box_h) / s))},
                -angle, page.width, page.height);
            d.box_x = int(float(back.x) * s), d.box_y = int(float(back.y) * s);
            d.box_w = int(float(back.w) * s), d.box_h = int(float(back.h) * s);
          }
          candidate = std::move(turned);
          score = reading_score(candidate);
        } else {
          slot.seen.swap(as_found);
        }
      }
    }
    if (score < 0) continue;
    // A line of digits beside a reading that saw one of them (its line under
    // half as wide: a 1 read out of 181) needs only to read well.
    const int kept_width = found_wins ? line_width(found_reading) : whole.found ? whole_width : 0;
    const bool wider_line = candidate.digits.size() > 1 && best >= 0 &&
                            float(kept_width) < kWholePictureShare * float(line_width(candidate));
    // Digits apart from the marks at the border, beside a whole picture's reading of those marks.
    const bool beside_the_edges = whole_at_edges && margin == 0 && !found_wins &&
                                  apart_from(candidate, found.border_boxes, float(slot.image.scale * factor));
    if ((wider_line || beside_the_edges || score > best) && score >= min_score) {
      // Dark ink on light paper is the common case, and the light marks
      // of such a picture are its paper between strokes: a light-ink
      // reading, too, must be clearly better to replace it.
      best = score + kFoundMustBeat;
      found_reading.digits = std::move(candidate.digits);
      found_seen.swap(slot.seen);
      found_wins = true;
    }
  }
  if (found_wins) {
    result.digits = std::move(found_reading.digits);
    slot.seen.swap(found_seen);
  } else if (whole.found) {
    slot.seen.swap(whole_seen);
    if (options.find) read_whole_strokes_kept(slot, result);
  } else {
    if (options.find && regions_when_none && read_regions(slot, name, options, result)) return true;
    failure = {422, name + ": " + whole.reason + kNoDigitAdvice, true};
    return false;
  }
  judge_digits(result);
  if (!found_wins && result.verdict == Verdict::not_a_digit && !beyond_one_line.empty())
    result.reason = beyond_one_line;
  if (!found_wins && whole_in_long_line && result.verdict != Verdict::not_a_digit) {
    result.verdict = Verdict::not_a_digit;
    for (DigitReading& d : result.digits) d.verdict = Verdict::not_a_digit;
    result.reason = beyond_one_line;
  }
  // A lone digit reaching across a photo at its border is the paper's edge against a
  // desk (read 1), two edges meeting (7), a frame or the scene far more often than a
  // digit filling the frame: over the development folders, 9 such readings right, 90
  // wrong and 38 non-digits taken for digits (docs/predict.md).
  // (With the search off the caller asked for the whole picture as one digit.)
  if (options.find && result.digits.size() == 1 && result.verdict != Verdict::not_a_digit &&
      across_the_photo(slot.image, result.digits[0])) {
    result.verdict = result.digits[0].verdict = Verdict::not_a_digit;
    result.reason = result.digits[0].reason = kAcrossThePhoto;
  }
  // Nothing found reads as a digit: the picture's regions may (a digit on a card or in
  // a window of its own, of a colour and not a stroke).
  if (options.find && result.verdict == Verdict::not_a_digit) read_regions(slot, name, options, result);
  return true;
}

bool ModelClassifier::read_regions(Slot& slot, const std::string& name, const ClassifyOptions& options,
                                   Classification& result) const {
  if (slot.in_holder) return false;
  int factor = std::max(1, std::min(slot.image.width, slot.image.height) / data::kFindSide);
  if (factor > 1) data::shrink_by(slot.image, factor, slot.page);
  const data::GrayImage* searched = factor > 1 ? &slot.page : &slot.image;
  // (A long strip searched as it is, 700 x 20000, would take 45 bytes a pixel: its
  // regions are looked for in it shrunk to kMaxRegionPixels.)
  const double pixels = double(searched->width) * double(searched->height);
  if (pixels > double(kMaxRegionPixels)) {
    const int more = int(std::ceil(std::sqrt(pixels / double(kMaxRegionPixels))));
    data::shrink_by(*searched, more, slot.region_page);
    searched = &slot.region_page;
    factor *= more;
  }
  const data::GrayImage& page = *searched;
  std::vector<data::Region>& regions = slot.regions;
  regions.clear();
  data::stable_regions(page, slot.region_workspace, regions, &slot.holders);
  // Each region read alone, from its own pixels (painted on a clean plane, and taken
  // away again once read).
  slot.region_ink.resize(page.width, page.height);
  std::fill(slot.region_ink.pixels.begin(), slot.region_ink.pixels.end(), 0.0f);
  slot.region_readings.resize(regions.size());
  slot.region_seen.resize(regions.size());
  slot.region_reads.assign(regions.size(), {});
  std::vector<data::PixelBox>& one = slot.region_box;
  one.resize(1);
  for (std::size_t i = 0; i < regions.size(); ++i) {
    const data::Region& r = regions[i];
    data::paint_region(page, r, slot.region_workspace, slot.region_ink, 1.0f);
    one[0] = r.box;
    if (read_found_digit(slot, one, 0, factor, slot.region_readings[i], slot.region_seen[i], &slot.region_ink))
      slot.region_reads[i] = {slot.region_readings[i].digit, digit_score(slot.region_readings[i])};
    data::paint_region(page, r, slot.region_workspace, slot.region_ink, 0.0f);
  }
  const std::vector<int> line = choose_region_line(regions, slot.region_reads, slot.found_groups);
  if (line.empty()) return read_holders(slot, name, options, page, factor, result);
  result.digits.clear();
  slot.seen.clear();
  for (int k : line) {
    result.digits.push_back(slot.region_readings[std::size_t(k)]);
    slot.seen.push_back(slot.region_seen[std::size_t(k)]);
  }
  judge_digits(result);
  return true;
}

namespace {

// Two boxes over one thing: each holds 80% of the other's rows and columns.
bool same_box(const data::PixelBox& a, const data::PixelBox& b) {
  const auto share = [](int a0, int a1, int b0, int b1) {
    return float(std::max(0, std::min(a1, b1) - std::max(a0, b0))) / float(std::max(a1 - a0, b1 - b0));
  };
  return share(a.x, a.x + a.w, b.x, b.x + b.w) >= 0.8f && share(a.y, a.y + a.h, b.y, b.y + b.h) >= 0.8f;
}

// A holder's picture holds at least this share of something other than the holder
// (a digit's strokes are a few percent of its plate; a plain card holds nothing).
constexpr float kMinHeld = 0.01f;
// A digit read in a holder's picture is at least this share of the holder's height (a
// plate's, a shirt's, a box's digit is a quarter of it or more).
constexpr float kMinHeldDigit = 0.2f;

}  // namespace

bool ModelClassifier::read_holders(Slot& slot, const std::string& name, const ClassifyOptions& options,
                                   const data::GrayImage& page, int factor, Classification& result) const {
  // Each picture made before any is read (reading one uses the page's buffers).
  slot.holder_pictures.resize(std::size_t(data::kMaxHolders));
  slot.holder_places.resize(std::size_t(data::kMaxHolders));
  std::size_t made = 0;
  for (const data::Region& holder : slot.holders) {
    if (made == std::size_t(data::kMaxHolders)) break;
    // A region over the holder's place that reads as a digit is that digit, no holder
    // (a big 8's picture would be its two counters, read as a 6).
    bool a_digit = false;
    for (std::size_t i = 0; i < slot.regions.size() && !a_digit; ++i)
      a_digit = slot.region_reads[i].score >= kRegionJoining && same_box(slot.regions[i].box, holder.box);
    if (a_digit) continue;
    // One of a row of holders or regions of its size is a box of a number (a form's,
    // a meter's windows, a ransom note's tiles): what it holds is one of the number's
    // digits, read alone as if it were the answer.
    const auto on_its_row = [&](const data::Region& other) {
      return &other != &holder && (data::follows_on_line(holder.box, other.box) >= 0 || data::follows_on_line(other.box, holder.box) >= 0);
    };
    if (std::any_of(slot.holders.begin(), slot.holders.end(), on_its_row) ||
        std::any_of(slot.regions.begin(), slot.regions.end(), on_its_row))
      continue;
    Slot::HolderPlace& place = slot.holder_places[made];
    place.height = holder.box.h * factor;
    if (data::holder_picture(page, holder, slot.region_workspace, slot.image, factor, slot.holder_pictures[made], place.x,
                             place.y) >= kMinHeld)
      ++made;
  }
  if (made == 0) return false;
  // Each read as the picture (the image's place taken by it, given back on every path).
  struct InHolder {
    Slot& slot;
    data::GrayImage* picture = nullptr;
    void enter(data::GrayImage& p) { picture = &p, std::swap(slot.image, p), slot.in_holder = true; }
    void leave() {
      if (picture) std::swap(slot.image, *picture), slot.in_holder = false, picture = nullptr;
    }
    ~InHolder() { leave(); }
  } in_holder{slot};
  slot.outer_seen.swap(slot.seen);
  for (std::size_t k = 0; k < made; ++k) {
    Classification inside;
    ClassifyFailure failure;
    in_holder.enter(slot.holder_pictures[k]);
    const bool read = read_picture(slot, name, options, inside, failure);
    in_holder.leave();
    // Only what reads decisively as a digit or a number (as a line of regions must): a
    // holder's picture is one more guess, and a shape's (a face's, a star's, a word's
    // on a tag) reads as some digit as often as not.
    // And only digits of a fifth of the holder's height or more: a sliver of paper in a
    // scribble's pocket reads as a sure 1.
    const int s = slot.image.scale;
    const Slot::HolderPlace& place = slot.holder_places[k];
    if (!read || (inside.verdict != Verdict::digit && inside.verdict != Verdict::number) ||
        reading_score(inside) < kRegionDecisive ||
        std::any_of(inside.digits.begin(), inside.digits.end(),
                    [&](const DigitReading& d) { return float(d.box_h) < kMinHeldDigit * float(place.height * s); }))
      continue;
    for (DigitReading& d : inside.digits) {
      d.box_x += place.x * s, d.box_y += place.y * s;
      if (d.box_x < 0) d.box_w += d.box_x, d.box_x = 0;
      if (d.box_y < 0) d.box_h += d.box_y, d.box_y = 0;
    }
    result = std::move(inside);
    return true;
  }
  slot.seen.swap(slot.outer_seen);
  return false;
}

bool ModelClassifier::classify_named(std::span<const std::uint8_t> bytes, const std::string& name,
                                     const ClassifyOptions& options, Classification& result,
                                     ClassifyFailure& failure) const {
  const auto start = std::chrono::steady_clock::now();
  auto slot = acquire();
  struct Return {  // gives the slot back on every path
    const ModelClassifier& self;
    std::unique_ptr<Slot>& slot;
    ~Return() { self.release(std::move(slot)); }
  } give_back{*this, slot};
  // Any error is this image's failure, never the server's. preprocess_digit
  // refuses images with a side over 32768 (within the pixel limit: a
  // 12 x 2,490,380 BMP is 30 MP) by throwing (docs/hardening.md, F5).
  try {
    if (seed_preprocessing_) {
      if (!read_with_seed_pipeline(bytes, name, *slot, result, failure)) return false;
    } else {
      data::decode_image_gray(bytes, name, slot->image, limits_, decode_target());
      if (!read_picture(*slot, name, options, result, failure, false)) {
        // Nothing stands out in the brightness: a digit may differ from its ground in
        // colour alone (red paint on a blue sign). The colours' own axis is read, and
        // its answer kept only when it finds something (its regions too).
        if (!failure.no_digit) return false;
        const ClassifyFailure in_brightness = failure;
        data::decode_image_gray(bytes, name, slot->image, limits_, decode_target(), data::GrayFrom::colour_contrast);
        if (!read_picture(*slot, name, options, result, failure)) {
          failure = in_brightness;
          return false;
        }
      }
    }
  } catch (const data::ImageError& e) {
    failure = {status_for(e.kind()), e.what()};
    return false;
  } catch (const Error& e) {
    failure = {422, e.what()};
    return false;
  }
  // A refused picture has no number: its digit stays the best guess (as before numbers
  // were read), but a client reading `number` alone must not take a letter for a 4.
  if (result.verdict == Verdict::not_a_digit) result.number.clear();
  if (options.seen_png) result.seen_png = seen_png(slot->seen);
  if (options.found_png && !seed_preprocessing_) result.found_png = found_png(slot->image, result.digits);
  result.elapsed_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  return true;
}

// The seed's own pipeline reads one digit from the whole picture; the gate
// judges blnk's own view of it (trained on that, and the seed's view makes a
// letter look like a digit to it: an A read "1, digit").
bool ModelClassifier::read_with_seed_pipeline(std::span<const std::uint8_t> bytes, const std::string& name, Slot& slot,
                                              Classification& result, ClassifyFailure& failure) const {
  const data::Preprocessed digit = data::seed_preprocess_image(bytes, name, limits_);
  data::Preprocessed gate_view;
  if (gate_) gate_view = blnk_view(bytes, name, slot);
  if (!digit.found) {
    failure = {422, name + ": " + digit.reason + kNoDigitAdvice, true};
    return false;
  }
  read_digit(slot, digit, gate_view, result);
  judge(result);
  judge_seed_reading(result, gate_ != nullptr, gate_view);
  result.digits.assign(1, as_digit_reading(result));
  result.number = std::string(1, char('0' + result.digit));
  slot.seen.assign(1, digit);
  return true;
}

// The picture, shrunk to at most kFoundViewSide on its longer side, with each
// digit's box drawn in red: what was read where.
constexpr int kFoundViewSide = 800;

std::vector<std::uint8_t> ModelClassifier::found_png(const data::GrayImage& image, const std::vector<DigitReading>& digits) {
  const int factor = std::max(1, (std::max(image.width, image.height) + kFoundViewSide - 1) / kFoundViewSide);
  const int w = image.width / factor, h = image.height / factor;
  if (w < 1 || h < 1) return {};
  std::vector<std::uint8_t> rgb(std::size_t(w) * std::size_t(h) * 3);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      const float v = std::clamp(image.at(x * factor, y * factor), 0.0f, 1.0f);
      std::uint8_t* p = &rgb[3 * (std::size_t(y) * std::size_t(w) + std::size_t(x))];
      p[0] = p[1] = p[2] = std::uint8_t(v * 255.0f + 0.5f);
    }
  const int to_view = image.scale * factor;  // the image's own pixels per view pixel
  for (const DigitReading& d : digits) {
    const int x0 = d.box_x / to_view, y0 = d.box_y / to_view;
    const int x1 = (d.box_x + d.box_w) / to_view, y1 = (d.box_y + d.box_h) / to_view;
    const auto dot = [&](int x, int y) {
      if (x < 0 || y < 0 || x >= w || y >= h) return;
      std::uint8_t* p = &rgb[3 * (std::size_t(y) * std::size_t(w) + std::size_t(x))];
      p[0] = 255, p[1] = 0, p[2] = 0;
    };
    for (int x = x0; x <= x1; ++x) dot(x, y0), dot(x, y1);
    for (int y = y0; y <= y1; ++y) dot(x0, y), dot(x1, y);
  }
  return data::encode_png(rgb, w, h, 3);
}

// The 28x28 images the network read, side by side.
std::vector<std::uint8_t> ModelClassifier::seen_png(const std::vector<data::Preprocessed>& seen) {
  const int n = std::max<int>(1, int(seen.size()));
  std::vector<std::uint8_t> strip(std::size_t(n) * data::kDigitPixels, 0);
  for (int k = 0; k < int(seen.size()); ++k) {
    const auto pixels = seen[std::size_t(k)].to_u8();
    for (int y = 0; y < data::kDigitSide; ++y)
      std::copy_n(pixels.data() + y * data::kDigitSide, data::kDigitSide,
                  strip.data() + (std::size_t(y) * std::size_t(n) + std::size_t(k)) * data::kDigitSide);
  }
  return data::encode_png(strip, n * data::kDigitSide, data::kDigitSide, 1);
}

}  // namespace blnk::reader
