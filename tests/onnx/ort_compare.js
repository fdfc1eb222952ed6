// ONNX Runtime (onnxruntime-node, CPU) on every exported model and the 10,000 MNIST
// test images (the colour model: the photographs): its probabilities must agree with
// blnk's within 1e-5, every argmax too.
// usage: NODE_PATH=<node_modules> node ort_compare.js MODELS_DIR
'use strict';
const ort = require('onnxruntime-node');
const { fixtureModels, fixture, compare, kMaxAbsDiff } = require('./compare.js');

(async () => {
  const dir = process.argv[2];
  let failed = 0;
  for (const name of fixtureModels(dir)) {
    const f = fixture(dir, name);
    if (!f.probs) {
      console.log(`${name}: no blnk answers (the fixture had no images for it): not compared`);
      continue;
    }
    const n = f.input.length / (f.dims[0] * f.dims[1] * f.dims[2]);
    const session = await ort.InferenceSession.create(f.onnx);
    const out = await session.run({ image: new ort.Tensor('float32', f.input, [n, ...f.dims]) });
    const p = out.probabilities;
    const r = compare(p.data, f.probs, p.dims[1]);
    console.log(`${name}: ${n} images, dims [${p.dims}], max |dp| ${r.maxDiff.toExponential(2)} ` +
                `(floor ${kMaxAbsDiff}), argmax disagreements ${r.argmaxDiffer}`);
    if (p.dims[0] !== n || !r.ok) ++failed;
  }
  process.exit(failed ? 1 : 0);
})().catch((e) => { console.error(e); process.exit(1); });
