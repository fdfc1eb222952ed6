// ONNX Runtime (onnxruntime-node, CPU) on an exported blnk model, measured as
// blnk_bench_e2e measures blnk (bench/e2e.cpp), one JSON line per measurement:
//   --mode batch     batch-256 inference over the 10k MNIST test images, images/s (median of --passes)
//   --mode latency   single-image inference, median and min over --runs runs
// usage: NODE_PATH=<node_modules> node bench/ort_bench.js MODEL.onnx MNIST_DIR --mode batch --threads 2
'use strict';
const fs = require('fs');
const path = require('path');
const zlib = require('zlib');
const ort = require('onnxruntime-node');

const kSide = 28;
const kImage = kSide * kSide;

function option(name, fallback) {
  const at = process.argv.indexOf('--' + name);
  return at > 0 && at + 1 < process.argv.length ? process.argv[at + 1] : fallback;
}

// The MNIST test images as floats v / 255 (as blnk feeds them), (count, 1, 28, 28).
function testImages(dir) {
  const plain = path.join(dir, 't10k-images-idx3-ubyte');
  const bytes = fs.existsSync(plain) ? fs.readFileSync(plain) : zlib.gunzipSync(fs.readFileSync(plain + '.gz'));
  const count = bytes.readUInt32BE(4);
  const x = new Float32Array(count * kImage);
  for (let i = 0; i < x.length; ++i) x[i] = bytes[16 + i] / 255;
  return { x, count };
}

(async () => {
  const [model, dir] = process.argv.slice(2, 4);
  const mode = option('mode', 'batch');
  const threads = Number(option('threads', '1'));
  const session = await ort.InferenceSession.create(model, {
    intraOpNumThreads: threads, interOpNumThreads: 1, executionMode: 'sequential', graphOptimizationLevel: 'all',
  });
  const { x, count } = testImages(dir);
  const run = (first, n) =>
    session.run({ image: new ort.Tensor('float32', x.subarray(first * kImage, (first + n) * kImage), [n, 1, kSide, kSide]) });
  const now = () => Number(process.hrtime.bigint()) / 1e9;
  if (mode === 'batch') {
    const batch = Number(option('batch', '256')), passes = Number(option('passes', '3'));
    await run(0, batch);  // warm-up
    const rates = [];
    for (let p = 0; p < passes; ++p) {
      const t0 = now();
      for (let b = 0; b < count; b += batch) await run(b, Math.min(batch, count - b));
      rates.push(count / (now() - t0));
    }
    rates.sort((a, b) => a - b);
    console.log(JSON.stringify({ engine: 'onnxruntime', version: ort.env.versions.common, model: path.basename(model),
                                 mode, threads, batch, images: count, passes, images_per_s: rates[rates.length >> 1] }));
  } else {
    const runs = Number(option('runs', '2000'));
    for (let i = 0; i < 200; ++i) await run(i % count, 1);
    const us = [];
    for (let i = 0; i < runs; ++i) {
      const t0 = now();
      await run((200 + i) % count, 1);
      us.push((now() - t0) * 1e6);
    }
    us.sort((a, b) => a - b);
    console.log(JSON.stringify({ engine: 'onnxruntime', version: ort.env.versions.common, model: path.basename(model),
                                 mode: 'latency', threads, runs, median_us: us[runs >> 1], min_us: us[0] }));
  }
})().catch((e) => { console.error(`ort_bench.js: ${e.message}`); process.exit(1); });
