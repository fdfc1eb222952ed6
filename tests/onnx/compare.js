// What the Node tests share: reading a fixture model's files (make_models.sh) and
// comparing a runtime's probabilities with blnk's.
'use strict';
const fs = require('fs');
const path = require('path');

const kMaxAbsDiff = 1e-5;  // the floor for |p_runtime - p_blnk|
const kSkip = 77;          // ctest: skipped

function readFloats(file) {
  const b = fs.readFileSync(file);
  return new Float32Array(b.buffer, b.byteOffset, b.length / 4);
}

// Exits 77 when the fixture skipped (no MNIST data); else the model names it made.
function fixtureModels(dir) {
  if (!fs.existsSync(path.join(dir, 'images.f32'))) {
    console.log(`SKIPPED: no blnk answers in ${dir} (the fixture had no MNIST data)`);
    process.exit(kSkip);
  }
  return fs.readdirSync(dir).filter((f) => f.endsWith('.onnx')).map((f) => f.slice(0, -5)).sort();
}

// A model's files: its input's [C, H, W] (NAME.shape, else MNIST's), the images it is
// compared on, blnk's answers (null when the fixture had no images for it).
function fixture(dir, name) {
  const base = path.join(dir, name);
  const shaped = fs.existsSync(`${base}.shape`);
  const answered = fs.existsSync(`${base}.probs.f32`);
  return {
    onnx: `${base}.onnx`,
    dims: shaped ? fs.readFileSync(`${base}.shape`, 'utf8').trim().split(/\s+/).map(Number) : [1, 28, 28],
    input: answered ? readFloats(shaped ? `${base}.images.f32` : path.join(dir, 'images.f32')) : null,
    probs: answered ? readFloats(`${base}.probs.f32`) : null,
  };
}

function argmax(p, offset, classes) {
  let best = 0;
  for (let k = 1; k < classes; ++k) if (p[offset + k] > p[offset + best]) best = k;
  return best;
}

// Max |dp| and the argmax disagreements of `got` against blnk's `want`, (n, classes) each.
function compare(got, want, classes) {
  if (got.length !== want.length) throw new Error(`${got.length} probabilities, blnk gave ${want.length}`);
  let maxDiff = 0;
  let argmaxDiffer = 0;
  for (let i = 0; i < got.length; ++i) maxDiff = Math.max(maxDiff, Math.abs(got[i] - want[i]));
  for (let s = 0; s < got.length / classes; ++s)
    if (argmax(got, s * classes, classes) !== argmax(want, s * classes, classes)) ++argmaxDiffer;
  return { maxDiff, argmaxDiffer, ok: maxDiff <= kMaxAbsDiff && argmaxDiffer === 0 };
}

module.exports = { fixtureModels, fixture, compare, kMaxAbsDiff };
