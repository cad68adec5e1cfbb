//! Formatting commit times without a date library: `2026-11-24 20:41 +0100`.

/// Formats seconds since the epoch, shifted by the author's UTC offset.
pub fn format(seconds: i64, offset_minutes: i32) -> String {
    // Both come from a commit, which anyone can write: never overflow.
    let local = seconds.saturating_add(i64::from(offset_minutes) * 60);
    let days = local.div_euclid(86_400);
    let secs = local.rem_euclid(86_400);
    let (y, m, d) = atelier_engine::clock::civil_from_days(days);
    let sign = if offset_minutes < 0 { '-' } else { '+' };
    let off = offset_minutes.abs();
    format!("{y:04}-{m:02}-{d:02} {:02}:{:02} {sign}{:02}{:02}", secs / 3600, secs % 3600 / 60, off / 60, off % 60)
}

#[cfg(test)]
mod tests {
    #[test]
    fn formats_known_instants() {
        assert_eq!(super::format(0, 0), "1970-01-01 00:00 +0000");
        assert_eq!(super::format(1_795_552_860, 60), "2026-11-24 21:41 +0100");
        assert_eq!(super::format(951_782_400, -300), "2000-02-28 19:00 -0500");
    }
}
