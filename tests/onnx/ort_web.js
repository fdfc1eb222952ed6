// The exported bundled model as a browser runs it: onnxruntime-web with its
// WebAssembly backend (one thread), here in Node. Every argmax must agree with
// blnk's on the 10,000 MNIST test images, and the probabilities within 1e-5.
// usage: NODE_PATH=<node_modules> node ort_web.js MODELS_DIR
'use strict';
const ort = require('onnxruntime-web');
const { fixtureModels, fixture, compare, kMaxAbsDiff } = require('./compare.js');

const kSide = 28;
const kBatch = 1000;  // as a page would send a few images at a time, not 31 MB at once

(async () => {
  const dir = process.argv[2];
  if (!fixtureModels(dir).includes('bundled')) throw new Error(`no bundled.onnx in ${dir}`);
  ort.env.wasm.numThreads = 1;
  const f = fixture(dir, 'bundled');
  const session = await ort.InferenceSession.create(f.onnx, { executionProviders: ['wasm'] });
  const n = f.input.length / (kSide * kSide);
  const classes = f.probs.length / n;
  const got = new Float32Array(n * classes);
  for (let first = 0; first < n; first += kBatch) {
    const m = Math.min(kBatch, n - first);
    const x = f.input.subarray(first * kSide * kSide, (first + m) * kSide * kSide);
    const out = await session.run({ image: new ort.Tensor('float32', x, [m, 1, kSide, kSide]) });
    got.set(out.probabilities.data, first * classes);
  }
  const r = compare(got, f.probs, classes);
  console.log(`bundled on onnxruntime-web ${ort.env.versions.web} (wasm): ${n} images, max |dp| ` +
              `${r.maxDiff.toExponential(2)} (floor ${kMaxAbsDiff}), argmax disagreements ${r.argmaxDiffer}`);
  process.exit(r.ok ? 0 : 1);
})().catch((e) => { console.error(e); process.exit(1); });
