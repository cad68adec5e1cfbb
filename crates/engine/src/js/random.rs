//! `Math.random` in the sandbox: mulberry32, seeded by the host before each
//! call, so a test case is deterministic and no step shifts another's
//! numbers. Native, so that seeding a call costs no call into JavaScript.

use std::cell::Cell;

use boa_engine::{Context, JsResult, JsValue};

/// The generator's state, kept in the context's host data.
#[derive(Default)]
pub(super) struct Random(Cell<u32>);

impl Random {
    pub(super) fn seed(&self, seed: u32) {
        self.0.set(seed);
    }

    fn next(&self) -> f64 {
        let s = self.0.get().wrapping_add(0x6d2b_79f5);
        self.0.set(s);
        let mut t = (s ^ (s >> 15)).wrapping_mul(s | 1);
        t ^= t.wrapping_add((t ^ (t >> 7)).wrapping_mul(t | 61));
        f64::from(t ^ (t >> 14)) / 4_294_967_296.0
    }
}

/// `Math.random()`.
pub(super) fn host_random(_this: &JsValue, _args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    Ok(JsValue::new(ctx.get_data::<Random>().map_or(0.0, Random::next)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use boa_engine::Source;

    #[test]
    fn the_numbers_are_mulberry32s_as_javascript_computes_them() {
        // The prelude's generator before it was made native: the same seeds
        // must give the same numbers, or every kept test case would change.
        let js = "(seed) => { let s = seed >>> 0; const out = []; for (let i = 0; i < 50; i++) {
            s = (s + 0x6d2b79f5) >>> 0; let t = s;
            t = Math.imul(t ^ (t >>> 15), t | 1); t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
            out.push(((t ^ (t >>> 14)) >>> 0) / 4294967296); } return out; }";
        let mut ctx = Context::default();
        let f = ctx.eval(Source::from_bytes(js)).unwrap();
        for seed in [0u32, 1, 42, 0x7fff_ffff, 0x8000_0000, u32::MAX] {
            let want = f.as_callable().unwrap().call(&JsValue::undefined(), &[JsValue::new(seed)], &mut ctx).unwrap();
            let want = want.to_json(&mut ctx).unwrap().unwrap();
            let r = Random::default();
            r.seed(seed);
            let got: Vec<f64> = (0..50).map(|_| r.next()).collect();
            assert_eq!(serde_json::to_value(got).unwrap(), want, "seed {seed}");
        }
    }
}
