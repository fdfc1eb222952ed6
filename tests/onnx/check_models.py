"""Independent Python readers of blnk's ONNX export, on the fixture's models (make_models.sh).

  check_models.py checker DIR   onnx.checker.check_model(full_check=True) (which runs strict
                                shape inference), and what the export promises: opset >= 13,
                                `image` (N, C, H, W) with a dynamic N (1, 28, 28, or the model's
                                NAME.shape), `probabilities` (N, classes), standard operators
                                only, no Dropout, explicit Conv attributes, the spec and
                                training metadata
  check_models.py opencv DIR    OpenCV's dnn module on the 10,000 MNIST test images (the colour
                                model: on the photographs, NAME.images.f32): probabilities
                                within 1e-5 of blnk's, every argmax the same

Run with /usr/bin/python3 (Debian's python3-onnx, python3-opencv, python3-numpy).
Exits 77 (ctest: skipped) when a reader is not installed, or (opencv) when the fixture had
no MNIST data to compare on.
"""
import os
import sys

SKIP = 77
MAX_ABS_DIFF = 1e-5  # the floor for |p_runtime - p_blnk|
MNIST_INPUT = [1, 28, 28]  # C, H, W of a model without a NAME.shape file
OPSET = 13
OPS = {"Conv", "Relu", "MaxPool", "Transpose", "Flatten", "MatMul", "Add", "Softmax",
       "AveragePool", "GlobalAveragePool", "Mul"}


def skip(why):
    print("SKIPPED: " + why)
    sys.exit(SKIP)


def fixture_models(directory, need_answers):
    if need_answers and not os.path.isfile(os.path.join(directory, "images.f32")):
        skip("no blnk answers in %s (the fixture had no MNIST data)" % directory)
    return sorted(f[:-5] for f in os.listdir(directory) if f.endswith(".onnx"))


def model_input(directory, name):
    """(C, H, W) of the model's `image`, and the file of the images it is compared on."""
    base = os.path.join(directory, name)
    if os.path.isfile(base + ".shape"):
        return [int(d) for d in open(base + ".shape").read().split()], base + ".images.f32"
    return MNIST_INPUT, os.path.join(directory, "images.f32")


def check_structure(name, model, onnx, input_dims):
    failures = []

    def expect(ok, what):
        if not ok:
            failures.append("%s: %s" % (name, what))

    opsets = {o.domain: o.version for o in model.opset_import}
    expect(opsets.get("", 0) >= OPSET, "default-domain opset %s, want >= %d" % (opsets, OPSET))
    graph = model.graph
    expect([i.name for i in graph.input] == ["image"], "inputs %s" % [i.name for i in graph.input])
    expect([o.name for o in graph.output] == ["probabilities"], "outputs %s" % [o.name for o in graph.output])
    dims = lambda v: [d.dim_param or d.dim_value for d in v.type.tensor_type.shape.dim]
    if graph.input and graph.output:
        in_dims, out_dims = dims(graph.input[0]), dims(graph.output[0])
        expect(isinstance(in_dims[0], str) and in_dims[1:] == input_dims, "image dims %s" % in_dims)
        expect(isinstance(out_dims[0], str) and len(out_dims) == 2 and out_dims[1] >= 2,
               "probabilities dims %s" % out_dims)
        expect(graph.input[0].type.tensor_type.elem_type == onnx.TensorProto.FLOAT, "image is not float32")
    ops = [n.op_type for n in graph.node]
    expect(set(ops) <= OPS, "operators outside the promised set: %s" % (set(ops) - OPS))
    expect(all(n.domain == "" for n in graph.node), "a node outside the default domain")
    expect(ops and ops[-1] == "Softmax", "the last operator is %s, not Softmax" % (ops[-1] if ops else None))
    for node in graph.node:
        if node.op_type in ("Conv", "MaxPool"):
            attrs = {a.name for a in node.attribute}
            expect({"kernel_shape", "strides", "pads"} <= attrs, "%s without explicit %s" % (node.name, attrs))
    meta = {p.key: p.value for p in model.metadata_props}
    expect("blnk.spec" in meta and "blnk.exported_by" in meta, "metadata %s" % sorted(meta))
    if name == "bundled":
        expect("trained.epochs" in meta and "test.accuracy" in meta, "no training metadata: %s" % sorted(meta))
    return failures


def run_checker(directory):
    try:
        import onnx
        import onnx.checker
    except ImportError as e:
        skip("python3-onnx is not installed (%s)" % e)
    failures = []
    names = fixture_models(directory, need_answers=False)
    if not names:
        failures.append("no exported models in " + directory)
    for name in names:
        model = onnx.load(os.path.join(directory, name + ".onnx"))
        try:
            onnx.checker.check_model(model, full_check=True)
        except onnx.checker.ValidationError as e:
            failures.append("%s: check_model: %s" % (name, e))
        failures += check_structure(name, model, onnx, model_input(directory, name)[0])
        print("%s: onnx %s check_model(full_check=True) done, %d nodes, opset %d" %
              (name, onnx.__version__, len(model.graph.node), model.opset_import[0].version))
    return failures


def run_opencv(directory):
    try:
        import cv2
        import numpy as np
    except ImportError as e:
        skip("python3-opencv or python3-numpy is not installed (%s)" % e)
    names = fixture_models(directory, need_answers=True)
    failures = []
    for name in names:
        base = os.path.join(directory, name)
        dims, images = model_input(directory, name)
        if not os.path.isfile(base + ".probs.f32"):
            print("%s: no blnk answers (the fixture had no images for it): not compared" % name)
            continue
        x = np.fromfile(images, dtype=np.float32).reshape([-1] + dims)
        want = np.fromfile(base + ".probs.f32", dtype=np.float32).reshape(len(x), -1)
        net = cv2.dnn.readNetFromONNX(base + ".onnx")
        net.setInput(x)
        got = net.forward()
        if got.shape != want.shape:
            failures.append("%s: OpenCV gave shape %s, blnk %s" % (name, got.shape, want.shape))
            continue
        max_diff = float(np.abs(got - want).max())
        differ = int((got.argmax(1) != want.argmax(1)).sum())
        print("%s: OpenCV %s, %d images, max |dp| %.2e (floor %g), argmax disagreements %d" %
              (name, cv2.__version__, len(x), max_diff, MAX_ABS_DIFF, differ))
        if max_diff > MAX_ABS_DIFF or differ:
            failures.append("%s: max |dp| %.2e, %d argmax disagreements" % (name, max_diff, differ))
    return failures


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in ("checker", "opencv"):
        print(__doc__, file=sys.stderr)
        return 2
    failures = (run_checker if sys.argv[1] == "checker" else run_opencv)(sys.argv[2])
    for f in failures:
        print("FAILED: " + f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
