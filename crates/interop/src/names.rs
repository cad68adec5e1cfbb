//! Names between SQL and Atelier: SQL likes `spent_on` and `SpentOn`,
//! Atelier's ids are slugs (`spent-on`).

use atelier_model::Id;

/// `SpentOn`, `spent_on`, `"Spent On"` → `spent-on`; none when nothing usable is left.
pub fn field_id(name: &str) -> Option<Id> {
    let mut out = String::new();
    let mut prev_lower = false;
    for c in name.chars() {
        if c.is_ascii_uppercase() {
            if prev_lower && !out.ends_with('-') {
                out.push('-');
            }
            out.push(c.to_ascii_lowercase());
            prev_lower = false;
        } else if c.is_ascii_lowercase() || c.is_ascii_digit() {
            out.push(c);
            prev_lower = true;
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
            prev_lower = false;
        }
    }
    let out: String = out.trim_end_matches('-').chars().take(atelier_model::id::MAX_ID_LEN).collect();
    Id::new(out.trim_end_matches('-')).ok()
}

/// `spent-on` → `spent_on`: a plain SQL identifier.
pub fn sql_name(id: &Id) -> String {
    id.as_str().replace('-', "_")
}

/// A human label from a column name: `spent_on` → `Spent on`.
pub fn label_of(name: &str) -> String {
    let words = field_id(name).map(|id| id.as_str().replace('-', " ")).unwrap_or_else(|| name.to_owned());
    let mut c = words.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sql_names_become_slugs_and_back() {
        assert_eq!(field_id("SpentOn").unwrap().as_str(), "spent-on");
        assert_eq!(field_id("spent_on").unwrap().as_str(), "spent-on");
        assert_eq!(field_id("Spent On!").unwrap().as_str(), "spent-on");
        assert_eq!(field_id("HTTPCode").unwrap().as_str(), "httpcode");
        assert_eq!(field_id("__"), None);
        assert_eq!(sql_name(&Id::new("spent-on").unwrap()), "spent_on");
        assert_eq!(label_of("spent_on"), "Spent on");
    }
}
