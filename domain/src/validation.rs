//! Field-level input errors, collected so a caller hears about every bad field at once.

use std::fmt;

/// Why one value could not be parsed; the caller knows which field it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid(pub String);

impl Invalid {
    pub fn new(message: impl Into<String>) -> Self {
        Self(message.into())
    }
}

impl fmt::Display for Invalid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Invalid {}

/// Free text a person writes (a statement, a reason, an order): trimmed,
/// 1 to `max` characters, and plain — no markup (`<`), no control
/// characters but line breaks, no bidirectional controls — since staff and
/// mail show it as written.
pub fn plain_text(raw: &str, max: usize) -> Result<String, Invalid> {
    let text = raw.trim();
    if text.is_empty() || text.chars().count() > max {
        return Err(Invalid::new(format!("must be 1 to {max} characters")));
    }
    if text.contains('<') || text.chars().any(|c| c == '\r' || c == '\t') {
        return Err(Invalid::new("must be plain text"));
    }
    check_multiline_text_characters(text)?;
    Ok(text.to_owned())
}

/// Whether `c` is a bidirectional control: the embeddings and overrides
/// (U+202A–U+202E), the isolates (U+2066–U+2069) and the marks (U+200E,
/// U+200F, U+061C). Shown on the public register, in mail or as a file
/// name, they make text read other than it is stored ("gpj.exe" shown as
/// "exe.jpg"), so no field carries them.
pub fn is_bidirectional_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

/// The one rule for the characters of any text the API reads on one line:
/// a path segment, a query parameter, a file name. No control character
/// (NUL included: PostgreSQL cannot store it, and nothing a person writes
/// contains it) and no bidirectional control.
pub fn check_text_characters(text: &str) -> Result<(), Invalid> {
    check_characters(text, false)
}

/// The same rule for a string of a JSON body, which may run over lines:
/// line feeds, carriage returns and tabs are allowed there (a statement has
/// paragraphs), every other control character is not.
pub fn check_multiline_text_characters(text: &str) -> Result<(), Invalid> {
    check_characters(text, true)
}

fn check_characters(text: &str, multiline: bool) -> Result<(), Invalid> {
    let refused = text.chars().find(|&c| {
        (c.is_control() && !(multiline && matches!(c, '\n' | '\r' | '\t')))
            || is_bidirectional_control(c)
    });
    match refused {
        None => Ok(()),
        Some(c) if c.is_control() => Err(Invalid::new(format!(
            "must not contain control characters (U+{:04X})",
            u32::from(c)
        ))),
        Some(c) => Err(Invalid::new(format!(
            "must not contain bidirectional controls (U+{:04X})",
            u32::from(c)
        ))),
    }
}

/// One rejected field: its name as the client sent it (a JSON path such as
/// `mailing_address.postal_code`) and a sentence saying what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: String,
    pub message: String,
    /// The rule of 922 KAR 2:240 the field breaks, when a rule (not the
    /// shape of the value) refuses it.
    pub rule: Option<&'static str>,
    pub citation: Option<crate::rules::Citation>,
}

/// Every rejected field of one request.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldErrors(Vec<FieldError>);

impl FieldErrors {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn single(field: impl Into<String>, message: impl Into<String>) -> Self {
        let mut errors = Self::new();
        errors.push(field, message);
        errors
    }

    pub fn push(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.0.push(FieldError {
            field: field.into(),
            message: message.into(),
            rule: None,
            citation: None,
        });
    }

    /// Records that `field` breaks a rule of the regulation, with its id and
    /// clause, so one refusal lists every unmet rule.
    pub fn push_unmet(&mut self, field: impl Into<String>, unmet: &crate::rules::Unmet) {
        self.0.push(FieldError {
            field: field.into(),
            message: unmet.message.clone(),
            rule: Some(unmet.rule),
            citation: Some(unmet.citation),
        });
    }

    /// Every error of `other` after these.
    pub fn extend(&mut self, other: FieldErrors) {
        self.0.extend(other.0);
    }

    /// Whether any error is a broken rule rather than a malformed value.
    pub fn breaks_a_rule(&self) -> bool {
        self.0.iter().any(|e| e.rule.is_some())
    }

    /// Keeps the parsed value, or records why `field` was refused.
    pub fn check<T>(&mut self, field: &str, parsed: Result<T, Invalid>) -> Option<T> {
        match parsed {
            Ok(value) => Some(value),
            Err(Invalid(message)) => {
                self.push(field, message);
                None
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn into_vec(self) -> Vec<FieldError> {
        self.0
    }

    pub fn iter(&self) -> impl Iterator<Item = &FieldError> {
        self.0.iter()
    }

    /// `Ok(())` when nothing was recorded, else every error.
    pub fn into_result(self) -> Result<(), FieldErrors> {
        if self.is_empty() { Ok(()) } else { Err(self) }
    }
}

impl fmt::Display for FieldErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = self
            .0
            .iter()
            .map(|e| format!("{}: {}", e.field, e.message))
            .collect();
        f.write_str(&parts.join("; "))
    }
}

impl std::error::Error for FieldErrors {}

#[cfg(test)]
mod plain_text_tests {
    use super::plain_text;

    #[test]
    fn plain_text_is_trimmed_bounded_and_free_of_markup() {
        assert_eq!(
            plain_text("  Sheets were altered.\nTwice. ", 30).unwrap(),
            "Sheets were altered.\nTwice."
        );
        for (raw, why) in [
            ("", "empty"),
            ("   ", "blank"),
            ("abcd", "too long"),
            ("<b>", "markup"),
            ("a\u{7}", "control"),
            ("a\u{202E}", "bidirectional override"),
        ] {
            assert!(plain_text(raw, 3).is_err(), "{why}");
        }
    }
}

#[cfg(test)]
mod text_characters_tests {
    use super::{check_multiline_text_characters, check_text_characters};

    #[test]
    fn control_and_bidirectional_characters_are_refused_line_breaks_only_in_bodies() {
        for ok in ["Jane Doe", "Café — naïve", "日本語", ""] {
            assert!(check_text_characters(ok).is_ok(), "{ok:?}");
            assert!(check_multiline_text_characters(ok).is_ok(), "{ok:?}");
        }
        for breaks in ["a\nb", "a\r\nb", "a\tb"] {
            assert!(check_text_characters(breaks).is_err(), "{breaks:?}");
            assert!(
                check_multiline_text_characters(breaks).is_ok(),
                "{breaks:?}"
            );
        }
        for bad in [
            "a\0b",
            "\u{1}",
            "\u{1B}[31m",
            "\u{7F}",
            "\u{85}",
            "\u{202A}",
            "\u{202E}gpj.exe",
            "\u{2066}",
            "\u{2069}",
            "\u{200E}",
            "\u{200F}",
            "\u{061C}",
        ] {
            assert!(check_text_characters(bad).is_err(), "{bad:?}");
            assert!(check_multiline_text_characters(bad).is_err(), "{bad:?}");
        }
        assert_eq!(
            check_text_characters("a\0").unwrap_err().0,
            "must not contain control characters (U+0000)"
        );
    }
}
