import fc from "fast-check";

// Property tests run from a fixed seed, so CI sees the same cases every time (a red run can be
// reproduced, a green one is not luck). Set MXSIM_PROPERTY_SEED to explore other cases, e.g.
// MXSIM_PROPERTY_SEED=$RANDOM npm test; a failure prints the seed and the counterexample.
const seed = Number(process.env.MXSIM_PROPERTY_SEED ?? 20261201);
fc.configureGlobal({ seed });
