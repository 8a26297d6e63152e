/**
 * Writes the MobileNet-v1 topology (width multiplier 1.0, 224×224×3, 1000 classes; Howard et al.
 * 2017, "MobileNets", Table 1) as a tfjs LayersModel `model.json` (topology only, no weights),
 * built here with tfjs's functional API — no download. Layer names and structure follow Keras
 * Applications' `mobilenet.py`: conv1 (3×3/2, 'same') + BN + ReLU6, then 13 depthwise-separable
 * blocks (a stride-2 depthwise conv is preceded by ZeroPadding2D((0,1),(0,1)) and uses 'valid'
 * padding), global average pooling, Reshape(1,1,1024), Dropout, a 1×1 conv classifier,
 * Reshape(1000) and softmax. The file is the fixture of @cosearch/hardware's Keras importer test,
 * which compares its MAC count with the paper's 569 M (Table 8).
 *
 *   node --conditions=@cosearch/source --import tsx tools/gen-mobilenet-topology.ts [OUT]
 *     (default OUT: packages/hardware/src/__fixtures__/mobilenet-v1-224.model.json)
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { initBackend, tf } from '@cosearch/backend';

const out = process.argv[2] ?? path.join(__dirname, '..', 'packages', 'hardware', 'src', '__fixtures__', 'mobilenet-v1-224.model.json');

// [pointwise filters, depthwise stride] of the 13 blocks (paper Table 1)
const BLOCKS: [number, number][] = [[64, 1], [128, 2], [128, 1], [256, 2], [256, 1], [512, 2], [512, 1], [512, 1], [512, 1], [512, 1], [512, 1], [1024, 2], [1024, 1]];

async function main(): Promise<void> {
  await initBackend({ backend: 'cpu', quiet: true }); // building the graph only needs a backend to hold the initial weights
  const input = tf.input({ shape: [224, 224, 3], name: 'input_1' });
  const ap = (l: tf.layers.Layer, x: tf.SymbolicTensor | tf.SymbolicTensor[]) => l.apply(x) as tf.SymbolicTensor;
  let x = ap(tf.layers.conv2d({ filters: 32, kernelSize: 3, strides: 2, padding: 'same', useBias: false, name: 'conv1' }), input);
  x = ap(tf.layers.batchNormalization({ name: 'conv1_bn' }), x);
  x = ap(tf.layers.reLU({ maxValue: 6, name: 'conv1_relu' }), x);
  BLOCKS.forEach(([filters, stride], i) => {
    const id = i + 1;
    if (stride === 2) x = ap(tf.layers.zeroPadding2d({ padding: [[0, 1], [0, 1]], name: `conv_pad_${id}` }), x);
    x = ap(tf.layers.depthwiseConv2d({ kernelSize: 3, strides: stride, padding: stride === 1 ? 'same' : 'valid', depthMultiplier: 1, useBias: false, name: `conv_dw_${id}` }), x);
    x = ap(tf.layers.batchNormalization({ name: `conv_dw_${id}_bn` }), x);
    x = ap(tf.layers.reLU({ maxValue: 6, name: `conv_dw_${id}_relu` }), x);
    x = ap(tf.layers.conv2d({ filters, kernelSize: 1, padding: 'same', useBias: false, name: `conv_pw_${id}` }), x);
    x = ap(tf.layers.batchNormalization({ name: `conv_pw_${id}_bn` }), x);
    x = ap(tf.layers.reLU({ maxValue: 6, name: `conv_pw_${id}_relu` }), x);
  });
  x = ap(tf.layers.globalAveragePooling2d({ name: 'global_average_pooling2d' }), x);
  x = ap(tf.layers.reshape({ targetShape: [1, 1, 1024], name: 'reshape_1' }), x);
  x = ap(tf.layers.dropout({ rate: 1e-3, name: 'dropout' }), x);
  x = ap(tf.layers.conv2d({ filters: 1000, kernelSize: 1, padding: 'same', name: 'conv_preds' }), x);
  x = ap(tf.layers.reshape({ targetShape: [1000], name: 'reshape_2' }), x);
  x = ap(tf.layers.activation({ activation: 'softmax', name: 'act_softmax' }), x);
  const model = tf.model({ inputs: input, outputs: x, name: 'mobilenet_1.00_224' });

  // tfjs's own parameter counts, for the importer test to compare with (kernels = static weights)
  let kernelParams = 0;
  for (const l of model.layers) for (const w of l.weights) if (/kernel$/.test(w.originalName)) kernelParams += w.shape.reduce((a, b) => a! * b!, 1)!;
  const json = {
    format: 'layers-model',
    generatedBy: `TensorFlow.js tfjs-layers v${tf.version_layers} via tools/gen-mobilenet-topology.ts`,
    convertedBy: null,
    modelTopology: model.toJSON(null, false),
    weightsManifest: [],
    userDefinedMetadata: {
      provenance: 'MobileNet-v1 1.0/224 (Howard et al. 2017, Table 1), Keras Applications layer names; topology only, written by tools/gen-mobilenet-topology.ts',
      countParams: model.countParams(),
      kernelParams,
    },
  };
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, JSON.stringify(json));
  process.stdout.write(`${out}: ${model.layers.length} layers, ${model.countParams()} parameters (${kernelParams} in kernels), ${fs.statSync(out).size} bytes\n`);
  model.dispose();
}

main().catch((e: unknown) => {
  process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
