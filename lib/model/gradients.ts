/**
 * Gradients of the tfjs kernels that the model and an RL loss use. `@tensorflow/tfjs-core`'s
 * npm entry point does not register any gradients (the full `@tensorflow/tfjs` bundle does), and
 * its ESM gradient files cannot be imported by Deno (extensionless relative imports). Each
 * gradient is registered only when none exists yet, so loading tfjs-node (which brings its own)
 * keeps those.
 *
 * Importing this module registers them; `lib/model/` imports it for you.
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";

type Grads = Record<string, () => tf.Tensor>;
type GradFn = (dy: tf.Tensor, saved: tf.Tensor[], attrs: tf.NamedAttrMap) => Grads;

/** Sums dy [broadcast shape] back down to `shape`. */
function unbroadcast(dy: tf.Tensor, shape: number[]): tf.Tensor {
  const axes = tf.broadcast_util.getReductionAxes(shape, dy.shape);
  return tf.reshape(axes.length > 0 ? tf.sum(dy, axes) : dy, shape);
}

/** dy of a reduction over `axis` (reduced shape) broadcast back to x's shape. */
function unreduce(dy: tf.Tensor, x: tf.Tensor, axis: number | number[] | undefined): tf.Tensor {
  const axes = tf.util.parseAxisParam(axis ?? null as unknown as number[], x.shape);
  const kept = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
  return tf.mul(tf.reshape(dy, kept), tf.onesLike(x));
}

const binary = (fa: GradFn, fb: GradFn): GradFn => (dy, saved, attrs) => ({
  a: () => unbroadcast(fa(dy, saved, attrs).g!(), saved[0]!.shape),
  b: () => unbroadcast(fb(dy, saved, attrs).g!(), saved[1]!.shape),
});

/** Gradients of the inputs only: inputsToSave keys must exist in the kernel's inputs. */
function regSaved(kernelName: string, inputs: string[], gradFunc: GradFn, outputs = false) {
  if (tf.getGradient(kernelName) !== undefined) return;
  tf.registerGradient({
    kernelName,
    inputsToSave: inputs,
    outputsToSave: outputs ? [true] : [],
    gradFunc: gradFunc as tf.GradFunc,
  });
}

regSaved("Add", ["a", "b"], binary((dy) => ({ g: () => dy }), (dy) => ({ g: () => dy })));
regSaved("Sub", ["a", "b"], binary((dy) => ({ g: () => dy }), (dy) => ({ g: () => tf.neg(dy) })));
regSaved(
  "Multiply",
  ["a", "b"],
  binary((dy, [, b]) => ({ g: () => tf.mul(dy, b!) }), (dy, [a]) => ({ g: () => tf.mul(dy, a!) })),
);
regSaved(
  "RealDiv",
  ["a", "b"],
  binary(
    (dy, [, b]) => ({ g: () => tf.div(dy, b!) }),
    (dy, [a, b]) => ({ g: () => tf.neg(tf.div(tf.mul(dy, a!), tf.square(b!))) }),
  ),
);
regSaved(
  "Maximum",
  ["a", "b"],
  binary(
    (dy, [a, b]) => ({ g: () => tf.mul(dy, tf.cast(tf.greaterEqual(a!, b!), "float32")) }),
    (dy, [a, b]) => ({ g: () => tf.mul(dy, tf.cast(tf.less(a!, b!), "float32")) }),
  ),
);
regSaved(
  "Minimum",
  ["a", "b"],
  binary(
    (dy, [a, b]) => ({ g: () => tf.mul(dy, tf.cast(tf.lessEqual(a!, b!), "float32")) }),
    (dy, [a, b]) => ({ g: () => tf.mul(dy, tf.cast(tf.greater(a!, b!), "float32")) }),
  ),
);
regSaved(
  "SquaredDifference",
  ["a", "b"],
  binary(
    (dy, [a, b]) => ({ g: () => tf.mul(dy, tf.mul(tf.sub(a!, b!), 2)) }),
    (dy, [a, b]) => ({ g: () => tf.mul(dy, tf.mul(tf.sub(b!, a!), 2)) }),
  ),
);
regSaved(
  "Pow",
  ["a", "b"],
  binary(
    (dy, [a, b]) => ({ g: () => tf.mul(dy, tf.mul(b!, tf.pow(a!, tf.sub(b!, 1)))) }),
    (dy, [a, b]) => ({
      g: () => {
        const safeLog = tf.where(
          tf.greater(a!, 0),
          tf.log(tf.maximum(a!, 1e-30)),
          tf.zerosLike(a!),
        );
        return tf.mul(dy, tf.mul(tf.pow(a!, b!), safeLog));
      },
    }),
  ),
);
if (tf.getGradient("AddN") === undefined) {
  tf.registerGradient({
    kernelName: "AddN",
    saveAllInputs: true,
    gradFunc: ((dy: tf.Tensor, saved: tf.Tensor[]) =>
      Object.fromEntries(saved.map((_, i) => [i, () =>
        tf.clone(dy)]
      ))) as tf.GradFunc,
  });
}
if (tf.getGradient("Concat") === undefined) {
  tf.registerGradient({
    kernelName: "Concat",
    saveAllInputs: true,
    gradFunc: ((dy: tf.Tensor, saved: tf.Tensor[], attrs: tf.NamedAttrMap) => {
      const axis = tf.util.parseAxisParam(attrs.axis as number, saved[0]!.shape)[0]!;
      const parts = tf.split(dy, saved.map((t) => t.shape[axis]!), axis);
      return Object.fromEntries(parts.map((p, i) => [i, () => p]));
    }) as tf.GradFunc,
  });
}

// Unary element-wise kernels: x saved, or the output y saved where that is cheaper.
regSaved("Neg", [], (dy) => ({ x: () => tf.neg(dy) }));
regSaved("Identity", [], (dy) => ({ x: () => tf.clone(dy) }));
regSaved("Exp", [], (dy, [y]) => ({ x: () => tf.mul(dy, y!) }), true);
regSaved("Log", ["x"], (dy, [x]) => ({ x: () => tf.div(dy, x!) }));
regSaved("Sqrt", [], (dy, [y]) => ({ x: () => tf.div(dy, tf.mul(y!, 2)) }), true);
regSaved("Rsqrt", ["x"], (dy, [x]) => ({ x: () => tf.mul(dy, tf.mul(tf.pow(x!, -1.5), -0.5)) }));
regSaved("Square", ["x"], (dy, [x]) => ({ x: () => tf.mul(dy, tf.mul(x!, 2)) }));
regSaved("Abs", ["x"], (dy, [x]) => ({ x: () => tf.mul(dy, tf.sign(x!)) }));
regSaved("Tanh", [], (dy, [y]) => ({ x: () => tf.mul(dy, tf.sub(1, tf.square(y!))) }), true);
regSaved("Sigmoid", [], (dy, [y]) => ({ x: () => tf.mul(dy, tf.mul(y!, tf.sub(1, y!))) }), true);
regSaved(
  "Relu",
  ["x"],
  (dy, [x]) => ({ x: () => tf.mul(dy, tf.cast(tf.greater(x!, 0), "float32")) }),
);
regSaved("Softplus", ["x"], (dy, [x]) => ({ x: () => tf.mul(dy, tf.sigmoid(x!)) }));
regSaved("ClipByValue", ["x"], (dy, [x], attrs) => ({
  x: () => {
    const inside = tf.logicalAnd(
      tf.greaterEqual(x!, attrs.clipValueMin as number),
      tf.lessEqual(x!, attrs.clipValueMax as number),
    );
    return tf.where(inside, dy, tf.zerosLike(dy));
  },
}));
regSaved(
  "Cast",
  ["x"],
  (dy, [x]) => ({ x: () => (x!.dtype === "float32" ? tf.clone(dy) : tf.zerosLike(x!)) }),
);
regSaved("Select", ["condition"], (dy, [cond]) => ({
  condition: () => tf.zerosLike(cond!),
  t: () => tf.where(cond!, dy, tf.zerosLike(dy)),
  e: () => tf.where(cond!, tf.zerosLike(dy), dy),
}));

// Piecewise-constant kernels: zero gradient (registered so a tape through them does not fail).
for (const kernel of ["ZerosLike", "OnesLike", "Sign", "Floor", "Round", "Ceil"]) {
  regSaved(kernel, ["x"], (_dy, [x]) => ({ x: () => tf.zerosLike(x!) }));
}
for (const kernel of ["Equal", "NotEqual", "Greater", "GreaterEqual", "Less", "LessEqual"]) {
  regSaved(
    kernel,
    ["a", "b"],
    (_dy, [a, b]) => ({ a: () => tf.zerosLike(a!), b: () => tf.zerosLike(b!) }),
  );
}

// Shape kernels.
regSaved("Reshape", ["x"], (dy, [x]) => ({ x: () => tf.reshape(dy, x!.shape) }));
regSaved("Transpose", [], (dy, _s, attrs) => {
  const perm = attrs.perm as number[];
  const inverse = perm.map((_, i) => perm.indexOf(i));
  return { x: () => tf.transpose(dy, inverse) };
});
regSaved("Slice", ["x"], (dy, [x], attrs) => {
  const begin = attrs.begin as number[];
  const pads = x!.shape.map((d, i) =>
    [begin[i]!, d - begin[i]! - dy.shape[i]!] as [number, number]
  );
  return { x: () => tf.pad(dy, pads) };
});
regSaved("Tile", ["x"], (dy, [x], attrs) => {
  const reps = attrs.reps as number[];
  // Fold each tiled axis into [reps, dim] and sum the copies.
  const folded = x!.shape.flatMap((d, i) => [reps[i]!, d]);
  const axes = x!.shape.map((_, i) => 2 * i);
  return { x: () => tf.reshape(tf.sum(tf.reshape(dy, folded), axes), x!.shape) };
});

// Reductions.
regSaved("Sum", ["x"], (dy, [x], attrs) => ({ x: () => unreduce(dy, x!, attrs.axis as number[]) }));
regSaved("Mean", ["x"], (dy, [x], attrs) => {
  const axes = tf.util.parseAxisParam(attrs.axis as number[], x!.shape);
  const count = axes.reduce((n, a) => n * x!.shape[a]!, 1);
  return { x: () => tf.div(unreduce(dy, x!, axes), count) };
});
for (const kernel of ["Max", "Min"]) {
  regSaved(kernel, ["x"], (dy, [x, y], attrs) => {
    const axes = tf.util.parseAxisParam(attrs.reductionIndices as number[], x!.shape);
    const hit = tf.cast(tf.equal(x!, unreduce(y!, x!, axes)), "float32");
    return { x: () => tf.mul(unreduce(dy, x!, axes), hit) };
  }, true);
}
regSaved("Softmax", [], (dy, [y], attrs) => {
  const dim = attrs.dim as number;
  return { logits: () => tf.mul(y!, tf.sub(dy, tf.sum(tf.mul(dy, y!), dim, true))) };
}, true);

/** Marks the module as loaded (importing it has registered the gradients). */
export const GRADIENTS_REGISTERED = true;
