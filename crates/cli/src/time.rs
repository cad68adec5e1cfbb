//! Formatting commit times without a date library: `2026-11-24 20:41 +0100`.

/// Formats seconds since the epoch, shifted by the author's UTC offset.
pub fn format(seconds: i64, offset_minutes: i32) -> String {
    // Both come from a commit, which anyone can write: never overflow.
    let local = seconds.saturating_add(i64::from(offset_minutes) * 60);
    let days = local.div_euclid(86_400);
    let secs = local.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    let sign = if offset_minutes < 0 { '-' } else { '+' };
    let off = offset_minutes.abs();
    format!("{y:04}-{m:02}-{d:02} {:02}:{:02} {sign}{:02}{:02}", secs / 3600, secs % 3600 / 60, off / 60, off % 60)
}

/// Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
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
