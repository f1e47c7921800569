import { inputChannels, outputChannels, type ModelManifest } from './manifest.js';
import { FLOAT_TYPE, type OnnxIo, type OnnxSignature } from './onnx/inspect.js';
import { ssdAnchorCount } from './ssd-anchors.js';

export { ModelError, type ModelErrorCode } from './errors.js';

/** An output's spatial size may differ from the input's: post-processing resizes it to the image. */
const ANY = -1;

function layoutDims(layout: 'NHWC' | 'NCHW', h: number, w: number, c: number): number[] {
  return layout === 'NHWC' ? [1, h, w, c] : [1, c, h, w];
}

const show = (d: number) => (d === ANY ? '*' : String(d));

function checkTensor(kind: string, actual: OnnxIo | undefined, name: string, expected: number[], problems: string[], available: OnnxIo[]): void {
  if (!actual) {
    problems.push(`${kind} "${name}" not found; the model has ${available.map((a) => `"${a.name}"`).join(', ') || 'none'}`);
    return;
  }
  if (actual.elemType !== FLOAT_TYPE) problems.push(`${kind} "${name}" must be float32 (ONNX type ${actual.elemType})`);
  if (!actual.dims) return; // shape not declared: checked when the session runs
  if (actual.dims.length !== expected.length) {
    problems.push(`${kind} "${name}" has rank ${actual.dims.length}, manifest implies [${expected.map(show).join(', ')}]`);
    return;
  }
  actual.dims.forEach((d, i) => {
    // Symbolic dimensions (batch, dynamic size) accept the manifest's value.
    if (typeof d === 'number' && expected[i] !== ANY && d !== expected[i]) {
      problems.push(`${kind} "${name}" dimension ${i} is ${d}, manifest implies ${expected[i]} (shape [${expected.map(show).join(', ')}])`);
    }
  });
}

/** Every way the ONNX graph disagrees with the manifest (empty when they agree). */
export function signatureProblems(m: ModelManifest, sig: OnnxSignature): string[] {
  const problems: string[] = [];
  if (sig.inputs.length !== 1) problems.push(`expected exactly one graph input, found ${sig.inputs.length}`);
  if (sig.outputs.length < 1) problems.push('the graph has no output');
  const { input, output } = m;
  checkTensor('input', sig.inputs.find((i) => i.name === input.name), input.name, layoutDims(input.layout, input.height, input.width, inputChannels(m)), problems, sig.inputs);
  if (m.detection) {
    // A detector's heads are [1, anchors, values]: as many anchors as its strides make.
    const anchors = ssdAnchorCount(m.detection.strides, m.detection.anchorsPerLayer, input.width, input.height);
    checkTensor('output', sig.outputs.find((o) => o.name === output.name), output.name, [1, anchors, 4 + 2 * m.detection.keypoints], problems, sig.outputs);
    checkTensor('output', sig.outputs.find((o) => o.name === m.detection?.scores), m.detection.scores, [1, anchors, 1], problems, sig.outputs);
    return problems;
  }
  checkTensor('output', sig.outputs.find((o) => o.name === output.name), output.name, layoutDims(output.layout, ANY, ANY, outputChannels(m)), problems, sig.outputs);
  return problems;
}
