// The sandbox's prelude: runs once per realm (a worker's), before any step script.
// It gives scripts `console`, a seeded `Math.random`, and the `atelier`
// helper library, and the hooks the host calls between scripts. Everything a
// script could tamper with is captured here first.
(function (global, hostLog, hostHarden, hostRandom) {
  "use strict";
  const stringify = JSON.stringify;
  const parse = JSON.parse;
  const freeze = Object.freeze;
  const isArray = Array.isArray;
  const StringFn = String;

  // Math.random: mulberry32 (native, `hostRandom`), seeded by the host for
  // each call, so a test case is deterministic and no step shifts another's numbers.
  Math.random = hostRandom;

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

  // Code made at run time (`eval`, `new Function`) could declare bindings in
  // the realm's global scope that no reset can see; step code is known ahead.
  function noCodeFromStrings() {
    throw new TypeError("eval and new Function are not available in step scripts");
  }
  const FunctionPrototype = Object.getPrototypeOf(noCodeFromStrings);
  const makers = [
    FunctionPrototype,
    Object.getPrototypeOf(function* () {}),
    Object.getPrototypeOf(async function () {}),
    Object.getPrototypeOf(async function* () {}),
  ];
  for (const proto of makers) {
    Object.defineProperty(proto, "constructor", { value: noCodeFromStrings, writable: false, configurable: false });
  }
  noCodeFromStrings.prototype = FunctionPrototype;
  global.eval = noCodeFromStrings;
  global.Function = noCodeFromStrings;

  // Built-ins that reach outside pure computation or make runs nondeterministic.
  delete global.Atomics;
  delete global.WeakRef;
  delete global.FinalizationRegistry;

  // Lockdown: every built-in object reachable from the global scope is
  // frozen, so no step can change what another step's code sees (prototype
  // pollution, a replaced JSON.parse). Properties a script may set on its own
  // objects (`this.name = ...` in an Error subclass, `obj.toString = ...`)
  // become accessors that define the property on the object assigned to,
  // instead of failing because the prototype's property is frozen.
  const ownKeys = Reflect.ownKeys;
  const describe = Object.getOwnPropertyDescriptor;
  const define = Object.defineProperty;
  const protoOf = Object.getPrototypeOf;
  const isExtensible = Object.isExtensible;
  const remove = Reflect.deleteProperty;
  // Called by the walk (`hostHarden`) for these keys of every object it freezes.
  function tame(object, key) {
    const d = describe(object, key);
    if (!d || !("value" in d) || !d.writable || !d.configurable) return;
    const value = d.value;
    // Methods, not `function` expressions: those would bring a `prototype`
    // object of their own to tame, and so on without end.
    const accessors = {
      get() { return value; },
      set(v) {
        if (this === object) throw new TypeError("Cannot assign to read only property '" + StringFn(key) + "'");
        define(this, key, { value: v, writable: true, enumerable: true, configurable: true });
      },
    };
    define(object, key, { get: accessors.get, set: accessors.set, enumerable: d.enumerable, configurable: false });
  }
  // What the walk starts from. Intrinsics no global names: iterator and
  // generator prototypes, %TypedArray%.
  const roots = [
    makers,
    protoOf([][Symbol.iterator]()),
    protoOf(new Map()[Symbol.iterator]()),
    protoOf(new Set()[Symbol.iterator]()),
    protoOf(""[Symbol.iterator]()),
    protoOf(/a/[Symbol.matchAll]("")),
    protoOf(Int8Array),
  ];
  // Iterator helpers (`[].values().map(...)`, `Iterator.from(...)`), where the engine has them.
  for (const make of [
    () => [].values().map((x) => x),
    () => Iterator.from({ next() { return { done: true }; } }),
    () => (async function* () {})(),
  ]) {
    try { roots.push(protoOf(make())); } catch (_) { /* not in this engine */ }
  }
  // The built-ins move from the global object to a frozen object between it
  // and Object.prototype, where names still find them (`JSON`, `globalThis.JSON`):
  // after every call the worker looks for globals a step added among the
  // global object's own keys, and three keys cost less to look at than
  // seventy. Those three (`undefined`, `NaN`, `Infinity`) cannot move.
  const builtIns = Object.create(protoOf(global));
  const setProto = Object.setPrototypeOf;
  for (const key of ownKeys(global)) {
    const d = describe(global, key);
    if (!d.configurable) continue;
    define(builtIns, key, d);
    remove(global, key);
  }
  setProto(global, builtIns);
  roots.push(builtIns);
  const baseProto = protoOf(global);
  for (const key of ownKeys(global)) {
    const d = describe(global, key);
    roots.push("value" in d ? d.value : d.get);
  }
  // The walk itself is native (it visits a few thousand properties, and its
  // speed is the worker's start-up time): from every root, each object not
  // yet seen (never the global object) has `tame` applied to the keys
  // scripts may set on their own objects (`OVERRIDABLE` in js/lockdown.rs;
  // a function's own `length` and `name` excepted), its
  // prototype and every value and accessor of its own properties walked,
  // and is then frozen.
  hostHarden(roots, tame, global);
  for (const key of ownKeys(global)) {
    const d = describe(global, key);
    if ("value" in d) define(global, key, { value: d.value, writable: false, enumerable: d.enumerable, configurable: false });
    else define(global, key, { get: d.get, set: d.set, enumerable: d.enumerable, configurable: false });
  }

  // Globals a step adds (`total = 0` without a declaration, `globalThis.x`)
  // are its own: they are removed after each call and given back only to the
  // step that made them, before its next call.
  const baseline = new Set(ownKeys(global));
  function added() {
    const out = [];
    for (const key of ownKeys(global)) {
      if (baseline.has(key)) continue;
      out.push([key, describe(global, key)]);
      if (!remove(global, key)) throw new TypeError("sandbox: the script defined a global `" + StringFn(key) + "` that cannot be removed; steps may not share globals");
    }
    if (!isExtensible(global) || protoOf(global) !== baseProto) {
      throw new TypeError("sandbox: the script changed the global object itself; steps may not share globals");
    }
    return out.length > 0 ? out : null;
  }

  return freeze({
    // Before a step's call (the host calls `run` itself, after seeding
    // Math.random): gives the step back the globals its top-level code
    // made. The host takes away what the call added to the global scope
    // (`settle`) after it has read what the call returned or threw.
    enter: function (own) {
      for (const [key, d] of own) define(global, key, d);
    },
    stringify: function (value) {
      return stringify(value);
    },
    // After a step's top-level code ran: the globals it made, taken away for now.
    settle: added,
  });
})
