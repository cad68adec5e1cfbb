// The sandbox's prelude: runs once per session, before any step script.
// It gives scripts `console`, a seeded `Math.random`, and the `atelier`
// helper library, and defines how the host calls into scripts. Everything a
// script could tamper with is captured here first.
(function (global, seed, hostLog) {
  "use strict";
  const stringify = JSON.stringify;
  const parse = JSON.parse;
  const freeze = Object.freeze;
  const isArray = Array.isArray;
  const StringFn = String;

  // Math.random: mulberry32, seeded per run, so a test case is deterministic.
  let s = seed >>> 0;
  Math.random = function random() {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };

  function show(v) {
    if (typeof v === "string") return v;
    try {
      const text = stringify(v);
      return text === undefined ? StringFn(v) : text;
    } catch (_) {
      return StringFn(v);
    }
  }
  function logger(level) {
    return function () {
      const parts = [];
      for (let i = 0; i < arguments.length; i++) parts.push(show(arguments[i]));
      hostLog(level, parts.join(" "));
    };
  }
  global.console = freeze({
    log: logger("log"),
    info: logger("info"),
    warn: logger("warn"),
    error: logger("error"),
    debug: logger("debug"),
  });

  // The helper library, documented in docs/scripting.md.
  global.atelier = freeze({
    /** Rounds half away from zero to `digits` decimals: round(2.345, 2) === 2.35. */
    round(value, digits) {
      const f = Math.pow(10, digits || 0);
      return (Math.sign(value) * Math.round(Math.abs(value) * f + Number.EPSILON)) / f;
    },
    /** Adds up a list of numbers, or `list.map(pick)` when `pick` is given. */
    sum(list, pick) {
      let total = 0;
      for (const item of list) total += pick ? pick(item) : item;
      return total;
    },
    /** A copy of `object` with only `keys`. */
    pick(object, keys) {
      const out = {};
      for (const k of keys) if (k in object) out[k] = object[k];
      return out;
    },
    /** Groups a list into an object of lists by `key(item)`. */
    groupBy(list, key) {
      const out = {};
      for (const item of list) {
        const k = key(item);
        (out[k] = out[k] || []).push(item);
      }
      return out;
    },
    /** `2026-11-03` for a time in milliseconds (default: the preview clock's now). */
    isoDate(ms) {
      return new Date(ms === undefined ? Date.now() : ms).toISOString().slice(0, 10);
    },
    /** A deep copy of JSON data. */
    clone(value) {
      return parse(stringify(value));
    },
  });

  // How the host calls a step's `run(input)`: JSON text in, JSON text out.
  global.__atelier_invoke = function (fn, inputText) {
    const result = fn(parse(inputText));
    if (result !== null && typeof result === "object" && typeof result.then === "function") {
      throw new TypeError("run() returned a Promise; step scripts are synchronous");
    }
    return result === undefined ? undefined : stringify(result);
  };
  // Built-ins that reach outside pure computation or make runs nondeterministic.
  delete global.Atomics;
  delete global.WeakRef;
  delete global.FinalizationRegistry;
})
