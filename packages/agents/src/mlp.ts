/**
 * A small multilayer perceptron on raw `tf.variable` weights with its own dense forward pass: for networks of
 * a few thousand weights, tfjs-layers' bookkeeping costs more than the arithmetic. Weights are drawn from our
 * seeded generator, not TFJS's, so the same seed gives the same network on every backend.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from './rng';

let instances = 0;

export class Mlp {
  /** `[W0, b0, W1, b1, ...]`; W_k is `[in, out]`. */
  readonly weights: tf.Variable[];

  /**
   * @param sizes layer widths from input to output, e.g. `[25, 64, 64, 4]`
   * @param trainable false for a target network, which only ever copies
   */
  constructor(
    readonly sizes: readonly number[],
    rng: Rng,
    trainable = true,
  ) {
    // TFJS names variables globally; a per-instance prefix lets several agents live in one process.
    const prefix = `mlp${instances++}`;
    this.weights = [];
    for (let k = 0; k + 1 < sizes.length; k++) {
      const fanIn = sizes[k]!;
      const fanOut = sizes[k + 1]!;
      // He uniform for the ReLU layers keeps activations from shrinking layer by layer.
      const limit = Math.sqrt(6 / fanIn);
      const w = new Float32Array(fanIn * fanOut);
      for (let i = 0; i < w.length; i++) w[i] = (rng.next() * 2 - 1) * limit;
      // A variable shares its initial tensor's data; dispose that tensor, or each network leaves its copies behind.
      const init = [tf.tensor2d(w, [fanIn, fanOut]), tf.zeros([fanOut])];
      this.weights.push(tf.variable(init[0]!, trainable, `${prefix}/w${k}`));
      this.weights.push(tf.variable(init[1]!, trainable, `${prefix}/b${k}`));
      tf.dispose(init);
    }
  }

  /** Q-values `[batch, out]` of inputs `[batch, in]`: ReLU between layers, linear output. Call inside tf.tidy. */
  forward(x: tf.Tensor2D): tf.Tensor2D {
    let h: tf.Tensor2D = x;
    const layers = this.weights.length / 2;
    for (let k = 0; k < layers; k++) {
      h = tf.add(tf.matMul(h, this.weights[2 * k] as tf.Tensor2D), this.weights[2 * k + 1]!);
      if (k + 1 < layers) h = tf.relu(h);
    }
    return h;
  }

  /** Runs the network on `rows` rows of `input` and returns the outputs as a JS array (one sync). */
  predict(input: Float32Array, rows: number): Float32Array {
    const inputs = this.sizes[0]!;
    return tf.tidy(() => this.forward(tf.tensor2d(input.subarray(0, rows * inputs), [rows, inputs])).dataSync() as Float32Array);
  }

  /** this <- tau * source + (1 - tau) * this; tau 1 is a hard copy. */
  copyFrom(source: Mlp, tau = 1): void {
    tf.tidy(() => {
      this.weights.forEach((w, i) => {
        const s = source.weights[i]!;
        w.assign(tau >= 1 ? s : tf.add(tf.mul(s, tau), tf.mul(w, 1 - tau)));
      });
    });
  }

  /** The weights as JS arrays, in order. */
  read(): Float32Array[] {
    return this.weights.map((w) => w.dataSync() as Float32Array).map((a) => Float32Array.from(a));
  }

  /** Overwrites the weights; each array must have the matching element count. */
  write(arrays: readonly Float32Array[]): void {
    if (arrays.length !== this.weights.length) throw new Error(`expected ${this.weights.length} weight arrays, got ${arrays.length}`);
    tf.tidy(() => {
      this.weights.forEach((w, i) => {
        const data = arrays[i]!;
        if (data.length !== w.size) throw new Error(`weight ${i} has ${w.size} values, got ${data.length}`);
        w.assign(tf.tensor(data, w.shape));
      });
    });
  }

  dispose(): void {
    this.weights.forEach((w) => w.dispose());
  }
}
