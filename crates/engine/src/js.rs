//! The worker's side of the sandbox: boa_engine with nothing but the language,
//! `console`, a seeded `Math.random`, the preview clock and the `atelier`
//! helpers. One realm per session (a run), compiled scripts cached by their
//! text. Runs only inside a worker process (see `pool`), never in the app.

use std::cell::Cell;
use std::collections::HashMap;
use std::rc::Rc;

use boa_engine::context::time::{Clock, JsInstant};
use boa_engine::context::{ContextBuilder, HostHooks};
use boa_engine::error::{EngineError, RuntimeLimitError};
use boa_engine::module::IdleModuleLoader;
use boa_engine::object::{FunctionObjectBuilder, IntegrityLevel};
use boa_engine::{js_string, Context, JsError, JsNativeError, JsObject, JsResult, JsValue, NativeFunction, Script, Source};
use rustc_hash::FxHashMap;

use crate::protocol::{ok_answer, Call, ChainStep, FailureKind, Outcome, Request, Response, ScriptLimits};
use crate::trace::LogLine;

/// Brackets nested deeper than this are refused before parsing: boa's parser
/// recurses without a limit and would overflow the native stack.
pub const MAX_NESTING: usize = 200;
/// Console lines kept per call, the longest line, and all lines together.
const MAX_LOG_LINES: usize = 1000;
const MAX_LOG_LINE: usize = 10_000;
const MAX_LOG_BYTES: usize = 1024 * 1024;
/// The longest error message a script's exception can give.
const MAX_ERROR_CHARS: usize = 2000;
/// Marks an error of the prelude's cleanup: the realm cannot be trusted any more.
const TAINTED: &str = "sandbox: the script";

const PRELUDE: &str = include_str!("prelude.js");

mod lockdown;
mod nesting;
mod plain;
mod pure;
mod random;

/// The preview clock, set by the host before every call.
struct PreviewClock {
    millis: Cell<i64>,
}

impl Clock for PreviewClock {
    fn now(&self) -> JsInstant {
        let m = self.millis.get().max(0) as u64;
        JsInstant::new(m / 1000, ((m % 1000) * 1_000_000) as u32)
    }
    fn system_time_millis(&self) -> i64 {
        self.millis.get()
    }
}

/// Scripts see UTC, whatever the machine's time zone.
struct UtcHooks;

impl HostHooks for UtcHooks {
    fn local_timezone_offset_seconds(&self, _unix_secs: i64) -> i32 {
        0
    }
}

/// Console lines of the current call, kept in the context's host data.
#[derive(Default)]
struct Logs {
    lines: Vec<LogLine>,
    bytes: usize,
    cut: bool,
}

fn host_log(_this: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let level = args.first().cloned().unwrap_or_default().to_string(ctx)?.to_std_string_escaped();
    let mut message = args.get(1).cloned().unwrap_or_default().to_string(ctx)?.to_std_string_escaped();
    if let Some(logs) = ctx.host_defined_mut().get_mut::<Logs>() {
        if logs.cut {
            return Ok(JsValue::undefined());
        }
        if logs.lines.len() >= MAX_LOG_LINES || logs.bytes + message.len().min(MAX_LOG_LINE) > MAX_LOG_BYTES {
            logs.cut = true;
            logs.lines.push(LogLine {
                level: "warn".into(),
                message: format!(
                    "limit exceeded: console output (at most {MAX_LOG_LINES} lines and {} KiB a call); the rest is left out",
                    MAX_LOG_BYTES / 1024
                ),
            });
            return Ok(JsValue::undefined());
        }
        if message.len() > MAX_LOG_LINE {
            truncate_at(&mut message, MAX_LOG_LINE);
            message.push_str("… (cut)");
        }
        logs.bytes += message.len();
        logs.lines.push(LogLine { level, message });
    }
    Ok(JsValue::undefined())
}

/// Cuts `s` to at most `max` bytes, on a character boundary.
fn truncate_at(s: &mut String, max: usize) {
    if s.len() > max {
        let cut = (0..=max).rev().find(|i| s.is_char_boundary(*i)).unwrap_or(0);
        s.truncate(cut);
    }
}

/// The worker's JavaScript realm, locked down once by the prelude and used by
/// one run (session) after another: each new session starts with no compiled
/// code and no step state, and the lockdown (frozen built-ins, globals reset
/// after every call) keeps runs apart as it keeps steps apart.
struct Session {
    id: u64,
    ctx: Context,
    clock: Rc<PreviewClock>,
    /// The prelude's `enter(ownGlobals)`: gives a step back its globals.
    enter: JsObject,
    /// The prelude's `settle()`: takes away the globals a step's top-level code made.
    settle: JsObject,
    /// The realm's own `JSON.stringify`, as it was before any script ran.
    stringify: JsObject,
    /// How many own properties the global object has after the lockdown, and
    /// its prototype: while both are unchanged, no step added a global.
    base_keys: usize,
    base_proto: Option<JsObject>,
    /// Makers of code, by what it is compiled as and its text, kept for as
    /// long as the realm, and whether the code's top level only declares
    /// functions. Keyed by the text itself, not a digest of it: a lookup
    /// hashes and compares the text, which costs less than a digest.
    makers: [FxHashMap<String, (JsObject, bool)>; 3],
    /// Compiled `run` functions and condition expressions, by file (or
    /// label) and source, with the globals their top-level code made.
    compiled: FxHashMap<String, FxHashMap<String, (JsObject, JsValue)>>,
    seed: u64,
    /// Calls so far per file, so each call's `Math.random` is seeded by the
    /// run's seed, the step and the call, never by what other steps drew.
    calls: HashMap<String, u32>,
}

/// The seed of one call's `Math.random`: the run's seed, the file and the
/// call's number, mixed (SplitMix64).
fn call_seed(run_seed: u64, file: &str, n: u32) -> u32 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in file.bytes() {
        h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
    let mut z = run_seed ^ h ^ (u64::from(n) << 32);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    (z ^ (z >> 31)) as u32
}

/// What a piece of code is compiled as.
enum Unit<'a> {
    /// A step script defining `function run(input)`.
    Script(&'a str),
    /// A condition: an expression over `input`, as a boolean.
    Expression(&'a str),
    /// An expression over `input`, as it is.
    Value(&'a str),
}

impl Unit<'_> {
    fn source(&self) -> &str {
        match self {
            Unit::Script(s) | Unit::Expression(s) | Unit::Value(s) => s,
        }
    }

    /// Which of a session's maker caches holds this kind of code.
    fn kind(&self) -> usize {
        match self {
            Unit::Script(_) => 0,
            Unit::Expression(_) => 1,
            Unit::Value(_) => 2,
        }
    }
}

impl Session {
    /// A new realm, locked down, with no session yet.
    fn new(limits: &ScriptLimits) -> JsResult<Session> {
        let clock = Rc::new(PreviewClock { millis: Cell::new(0) });
        let mut ctx = ContextBuilder::new()
            .clock(clock.clone())
            .host_hooks(Rc::new(UtcHooks))
            // The default loader reads modules from disk: refuse all imports.
            .module_loader(Rc::new(IdleModuleLoader))
            .build()?;
        ctx.insert_data(Logs::default());
        ctx.insert_data(random::Random::default());
        let prelude = ctx.eval(Source::from_bytes(PRELUDE))?;
        let prelude = prelude.as_callable().expect("the prelude is a function");
        let log = NativeFunction::from_fn_ptr(host_log).to_js_function(ctx.realm());
        let harden = NativeFunction::from_fn_ptr(lockdown::host_harden).to_js_function(ctx.realm());
        let random = FunctionObjectBuilder::new(ctx.realm(), NativeFunction::from_fn_ptr(random::host_random))
            .name(js_string!("random"))
            .length(0)
            .build();
        let global: JsValue = ctx.global_object().into();
        let hooks = prelude.call(&JsValue::undefined(), &[global, log.into(), harden.into(), random.into()], &mut ctx)?;
        let hooks = hooks.as_object().expect("the prelude returns its hooks");
        let hook = |name, ctx: &mut Context| -> JsResult<JsObject> {
            let f = hooks.get(js_string!(name), ctx)?;
            Ok(f.as_callable().expect("prelude hooks are functions").clone())
        };
        let (enter, settle, stringify) = (hook("enter", &mut ctx)?, hook("settle", &mut ctx)?, hook("stringify", &mut ctx)?);
        let global = ctx.global_object();
        let base_keys = global.borrow().shape().keys().len();
        let base_proto = global.prototype();
        let mut s = Session {
            id: 0,
            ctx,
            clock,
            enter,
            settle,
            stringify,
            base_keys,
            base_proto,
            makers: Default::default(),
            compiled: FxHashMap::default(),
            seed: 0,
            calls: HashMap::new(),
        };
        s.begin(0, 0, limits);
        Ok(s)
    }

    /// Starts session `id` (a run) in this realm: nothing of the last one stays.
    fn begin(&mut self, id: u64, seed: u64, limits: &ScriptLimits) {
        self.id = id;
        self.seed = seed;
        self.compiled.clear();
        self.calls.clear();
        let rl = self.ctx.runtime_limits_mut();
        rl.set_loop_iteration_limit(limits.loop_iterations);
        rl.set_recursion_limit(limits.recursion);
    }

    /// Compiles `unit` of `file` (once a session); returns the function to
    /// call with the globals its top-level code made. The realm keeps one
    /// maker per text (see [`Session::maker`]); a step's maker is called
    /// again in each session, so every step of every run gets closures of
    /// its own. A condition's maker is the condition itself: it has no
    /// top-level code and keeps nothing between calls.
    fn function(&mut self, file: &str, unit: Unit<'_>) -> JsResult<(JsObject, JsValue)> {
        if let Some(f) = self.compiled.get(file).and_then(|by_source| by_source.get(unit.source())) {
            return Ok(f.clone());
        }
        let (maker, quiet) = self.maker(&unit)?;
        let compiled = match unit {
            Unit::Script(_) => {
                let value = maker.call(&JsValue::undefined(), &[], &mut self.ctx);
                // The step's top-level code ran just now; whatever it did to
                // the global scope is taken away at once, even when it threw.
                // Code that only declares functions did nothing to take away.
                let own = if quiet { JsValue::null() } else { self.tidy()? };
                let f = value?.as_callable().ok_or_else(|| {
                    JsError::from_native(boa_engine::JsNativeError::typ().with_message("the script does not define `function run(input)`"))
                })?;
                (f, own)
            }
            Unit::Expression(_) | Unit::Value(_) => (maker, JsValue::null()),
        };
        self.compiled.entry(file.to_owned()).or_default().insert(unit.source().to_owned(), compiled.clone());
        Ok(compiled)
    }

    /// Takes away the globals code added since the last look, and returns
    /// them (null when there were none). Looked at from Rust first, which is
    /// cheap; the prelude's `settle` runs only when something changed, and
    /// throws when the realm can no longer be cleaned.
    fn tidy(&mut self) -> JsResult<JsValue> {
        let global = self.ctx.global_object();
        // The shape's key list costs one list where `own_property_keys`
        // makes three; indexed properties (`globalThis[0]`) are not in it.
        let unchanged = global.borrow().shape().keys().len() == self.base_keys
            && global.borrow().properties().index_property_keys().next().is_none()
            && global.prototype() == self.base_proto
            && global.is_extensible(&mut self.ctx)?;
        if unchanged {
            return Ok(JsValue::null());
        }
        self.settle.call(&JsValue::undefined(), &[], &mut self.ctx)
    }

    /// The maker of `unit`: an arrow function, made once a realm from its
    /// text and frozen. A step's maker runs the step's top-level code and
    /// returns its `run`; a condition's maker is the condition. Arrows have
    /// no `arguments`, `callee` or `prototype` through which code could
    /// reach the maker and leave something on it for a later run; and a
    /// maker, unlike a script, is called without setting up a script each
    /// session. The code must parse on its own first: code that closes the
    /// wrapper early (`})(); let shared = ...`) would otherwise declare
    /// bindings in the realm's global scope, where no reset reaches them.
    fn maker(&mut self, unit: &Unit<'_>) -> JsResult<(JsObject, bool)> {
        let source = unit.source();
        if let Some(f) = self.makers[unit.kind()].get(source) {
            return Ok(f.clone());
        }
        let wrapped = match unit {
            // The code starts on the wrapper's first line, so line numbers stay true.
            Unit::Script(code) => format!("(() => {{{code}\n;return typeof run === \"function\" ? run : undefined;}})"),
            Unit::Expression(expr) => format!("((input) => !!(\n{expr}\n))"),
            Unit::Value(expr) => format!("((input) => (\n{expr}\n))"),
        };
        // The code must parse on its own (see above); a step whose top level
        // only declares functions is `quiet`: its maker touches no global.
        let quiet = pure::declares_only_functions(source, &mut self.ctx)? && matches!(unit, Unit::Script(_));
        let script = Script::parse(Source::from_bytes(&wrapped), None, &mut self.ctx)?;
        // Evaluating an arrow function's expression runs none of its code.
        let maker = script.evaluate(&mut self.ctx)?.as_callable().expect("the wrapper is a function").clone();
        maker.set_integrity_level(IntegrityLevel::Frozen, &mut self.ctx)?;
        if self.makers.iter().map(|m| m.len()).sum::<usize>() >= MAX_MAKERS {
            self.makers.iter_mut().for_each(|m| m.clear());
        }
        self.makers[unit.kind()].insert(source.to_owned(), (maker.clone(), quiet));
        Ok((maker, quiet))
    }
}

/// Makers a realm keeps for later runs, at most.
const MAX_MAKERS: usize = 20_000;

/// The worker's state: its realm, if it has one.
#[derive(Default)]
pub struct Sandbox {
    session: Option<Session>,
    /// The code of each file chains were sent: a chain sends a file's code
    /// only when it is new to this worker (see [`ChainStep`]).
    code: FxHashMap<String, String>,
}

impl Sandbox {
    /// A sandbox whose realm is built and locked down now, before the first
    /// request: the lockdown's cost is paid while the host is still busy.
    pub fn warm() -> Sandbox {
        Sandbox { session: Session::new(&ScriptLimits::default()).ok(), code: FxHashMap::default() }
    }

    /// Answers a call that is not a chain.
    pub fn handle(&mut self, req: Request) -> Response {
        let Request { session, now_ms, seed, limits, call } = req;
        let at = At { session, now_ms, seed, limits: &limits };
        let (label, unit, input) = match &call {
            Call::Script { code, file, input } => (file.as_str(), Unit::Script(code), input),
            Call::Expression { expr, input } => ("condition", Unit::Expression(expr), input),
            Call::Value { expr, input } => ("items", Unit::Value(expr), input),
            Call::Chain { .. } | Call::Each { .. } => return failed(FailureKind::Engine, "a chain is answered line by line".to_owned()),
        };
        let (result, logs) = self.call(&at, label, unit, input);
        let outcome = match result {
            Ok(None) => Outcome::Ok { value: serde_json::Value::Null },
            Ok(Some((_, value))) => Outcome::Ok { value },
            Err(Failure(kind, message)) => Outcome::Failed { kind, message },
        };
        Response { outcome, logs }
    }

    /// Runs a [`Call::Chain`] or [`Call::Each`], handing each script's
    /// answer line to `answer` as it is made; a chain stops after the first
    /// script that fails or returns nothing. Each script is exactly one call,
    /// as if sent alone: its own checks, seed, console and cleanup. The
    /// next script gets new objects made from the result's JSON value, so
    /// no two steps ever hold the same object.
    pub fn handle_chain(&mut self, req: Request, answer: &mut dyn FnMut(&str)) {
        let Request { session, now_ms, seed, limits, call } = req;
        let (mut steps, inputs, stop_at_failure) = match call {
            Call::Chain { steps, input } => (steps, vec![input], true),
            Call::Each { steps, inputs, stop_at_failure } => (steps, inputs, stop_at_failure),
            call => {
                let r = self.handle(Request { session, now_ms, seed, limits, call });
                return answer(&serde_json::to_string(&r).expect("answers serialize"));
            }
        };
        // All of the request's code is kept before any of it runs: the host
        // leaves it out of the next request even if this one stops early.
        let mut code = std::mem::take(&mut self.code);
        for step in &mut steps {
            if let Some(c) = step.code.take() {
                code.insert(step.file.clone(), c);
            }
        }
        let at = At { session, now_ms, seed, limits: &limits };
        self.run_chains(&at, &steps, inputs, stop_at_failure, &code, answer);
        self.code = code;
    }

    fn run_chains(
        &mut self,
        at: &At<'_>,
        steps: &[ChainStep],
        inputs: Vec<serde_json::Value>,
        stop_at_failure: bool,
        code: &FxHashMap<String, String>,
        answer: &mut dyn FnMut(&str),
    ) {
        for mut input in inputs {
            for step in steps {
                let Some(source) = code.get(&step.file) else {
                    let message = format!("the worker was not sent the code of {}", step.file);
                    let r = Response { outcome: Outcome::Failed { kind: FailureKind::Engine, message }, logs: Vec::new() };
                    return answer(&serde_json::to_string(&r).expect("answers serialize"));
                };
                let (result, logs) = self.call(at, &step.file, Unit::Script(source), &input);
                let failure = match result {
                    Ok(Some((text, value))) => {
                        answer(&ok_answer(&text, &logs));
                        input = value;
                        continue;
                    }
                    Ok(None) => {
                        answer(&ok_answer("null", &logs));
                        None
                    }
                    Err(Failure(kind, message)) => {
                        let r = Response { outcome: Outcome::Failed { kind, message }, logs };
                        answer(&serde_json::to_string(&r).expect("answers serialize"));
                        Some(kind)
                    }
                };
                // The host drops a worker whose script hit a limit.
                if stop_at_failure || failure == Some(FailureKind::Limit) {
                    return;
                }
                break;
            }
        }
    }

    /// One call of `unit` (known as `label`) on `input`: the result's JSON
    /// text and value (`None` for nothing), and its console lines.
    fn call(&mut self, at: &At<'_>, label: &str, unit: Unit<'_>, input: &serde_json::Value) -> (Result<Answer, Failure>, Vec<LogLine>) {
        // Code the realm has a maker of passed this check when it was made.
        let known = self.session.as_ref().is_some_and(|s| s.makers[unit.kind()].contains_key(unit.source()));
        let depth = if known { 0 } else { nesting::max_nesting(unit.source()) };
        if depth > MAX_NESTING {
            return (
                Err(Failure(FailureKind::Limit, format!("limit exceeded: {label} nests brackets {depth} deep (at most {MAX_NESTING})"))),
                Vec::new(),
            );
        }
        if self.session.is_none() {
            match Session::new(at.limits) {
                Ok(s) => self.session = Some(s),
                Err(e) => return (Err(Failure(FailureKind::Engine, format!("cannot start JavaScript: {e}"))), Vec::new()),
            }
        }
        let session = self.session.as_mut().expect("just made");
        if session.id != at.session {
            session.begin(at.session, at.seed, at.limits);
        }
        session.clock.millis.set(at.now_ms);
        if let Some(logs) = session.ctx.host_defined_mut().get_mut::<Logs>() {
            *logs = Logs::default();
        }
        let result = run_call(session, label, unit, input, at.limits.max_output_bytes);
        let logs = session.ctx.host_defined_mut().get_mut::<Logs>().map(std::mem::take).unwrap_or_default().lines;
        if let Err(Failure(kind, message)) = &result {
            if *kind == FailureKind::Limit || message.contains(TAINTED) {
                // After a limit error boa's context may be broken: start over.
                self.session = None;
            }
        }
        (result, logs)
    }
}

/// The session, clock and limits a request's calls run under.
struct At<'a> {
    session: u64,
    now_ms: i64,
    seed: u64,
    limits: &'a ScriptLimits,
}

struct Failure(FailureKind, String);

/// What a call gave: its JSON text and value, or nothing (`undefined`, `null`).
type Answer = Option<(String, serde_json::Value)>;

fn run_call(session: &mut Session, label: &str, unit: Unit<'_>, input: &serde_json::Value, max_output: usize) -> Result<Answer, Failure> {
    let n = match session.calls.get_mut(label) {
        Some(n) => {
            *n += 1;
            *n
        }
        None => {
            session.calls.insert(label.to_owned(), 1);
            1
        }
    };
    let seed = call_seed(session.seed, label, n);
    // Seeded before the step's top-level code runs too (its first call
    // makes it): what it draws never depends on what ran before it.
    if let Some(random) = session.ctx.get_data::<random::Random>() {
        random.seed(seed);
    }
    // Function scope keeps each step's top-level names to itself.
    let function = session.function(label, unit);
    let (function, own) = function.map_err(|e| describe_compile(e, label, &mut session.ctx))?;
    // Objects made natively: boa's JSON.parse parses its text as a script.
    let input = JsValue::from_json(input, &mut session.ctx).map_err(|e| describe(e, label, &mut session.ctx))?;
    let result = enter_and_call(session, &function, input, &own, seed);
    // Reading the result as JSON can run its getters and `toJSON`, and
    // describing a thrown object its getters or proxy traps: the cleanup
    // comes after those, as after the call itself.
    let result = match result {
        Ok(value) => json_of(session, &value, label),
        Err(e) => Err(describe(e, label, &mut session.ctx)),
    };
    if let Err(e) = session.tidy() {
        return Err(describe(e, label, &mut session.ctx));
    }
    let Some(value) = result? else { return Ok(None) };
    let text = serde_json::to_string(&value).expect("JSON values serialize");
    if text.len() > max_output {
        return Err(Failure(FailureKind::Limit, format!("limit exceeded: {label} returned {} bytes (at most {max_output})", text.len())));
    }
    Ok(Some((text, value)))
}

/// Calls `function` on `input` (objects made for this call alone) with the
/// step's own globals only and `Math.random` seeded for this call alone.
fn enter_and_call(session: &mut Session, function: &JsObject, input: JsValue, own: &JsValue, seed: u32) -> JsResult<JsValue> {
    let ctx = &mut session.ctx;
    if let Some(random) = ctx.get_data::<random::Random>() {
        random.seed(seed);
    }
    if !own.is_null() {
        session.enter.call(&JsValue::undefined(), std::slice::from_ref(own), ctx)?;
    }
    let result = function.call(&JsValue::undefined(), &[input], ctx)?;
    if let Some(o) = result.as_object().filter(|o| !o.is_callable()) {
        if o.get(js_string!("then"), ctx)?.is_callable() {
            return Err(JsNativeError::typ().with_message("run() returned a Promise; step scripts are synchronous").into());
        }
    }
    Ok(result)
}

/// A call's result as JSON, as JSON.stringify reads it; `None` for
/// `undefined`, `null` and what JSON.stringify writes as `null` or not at all.
fn json_of(session: &mut Session, value: &JsValue, label: &str) -> Result<Option<serde_json::Value>, Failure> {
    let ctx = &mut session.ctx;
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    if let Some(json) = plain::plain_json(value, ctx) {
        return Ok((!json.is_null()).then_some(json));
    }
    let text = session.stringify.call(&JsValue::undefined(), std::slice::from_ref(value), ctx).map_err(|e| describe(e, label, ctx))?;
    if text.is_undefined() {
        return Ok(None);
    }
    let text = text.to_string(ctx).map_err(|e| describe(e, label, ctx))?.to_std_string_escaped();
    match serde_json::from_str(&text) {
        Ok(serde_json::Value::Null) => Ok(None),
        Ok(json) => Ok(Some(json)),
        Err(e) => Err(Failure(FailureKind::Thrown, format!("{label}: the result is not JSON: {e}"))),
    }
}

/// An error while compiling: a SyntaxError here means the code does not parse.
fn describe_compile(err: JsError, label: &str, ctx: &mut Context) -> Failure {
    match describe(err, label, ctx) {
        Failure(FailureKind::Thrown, m) if m.starts_with(&format!("{label}: SyntaxError")) => Failure(FailureKind::Syntax, m),
        other => other,
    }
}

/// A JavaScript error in the user's terms.
fn describe(err: JsError, label: &str, ctx: &mut Context) -> Failure {
    if let Some(EngineError::RuntimeLimit(limit)) = err.as_engine() {
        let what = match limit {
            RuntimeLimitError::LoopIteration => "loop iterations",
            RuntimeLimitError::Recursion => "recursion depth",
            RuntimeLimitError::StackSize => "stack size",
        };
        return Failure(FailureKind::Limit, format!("limit exceeded: {what} in {label}"));
    }
    if err.as_engine().is_some() {
        return Failure(FailureKind::Engine, format!("{label}: {err}"));
    }
    match err.try_native(ctx) {
        Ok(native) => {
            let mut message = native.message().to_string();
            if message.chars().count() > MAX_ERROR_CHARS {
                message = message.chars().take(MAX_ERROR_CHARS).collect::<String>() + "… (cut)";
            }
            Failure(FailureKind::Thrown, format!("{label}: {}: {message}", native.kind()))
        }
        Err(_) => {
            let shown = match err.into_opaque(ctx) {
                Ok(v) => match v.to_json(ctx) {
                    Ok(Some(j)) => j.to_string(),
                    _ => v.display().to_string(),
                },
                Err(_) => "a value".to_owned(),
            };
            let shown: String = shown.chars().take(200).collect();
            Failure(FailureKind::Thrown, format!("{label}: threw {shown}"))
        }
    }
}

fn failed(kind: FailureKind, message: String) -> Response {
    Response { outcome: Outcome::Failed { kind, message }, logs: Vec::new() }
}
