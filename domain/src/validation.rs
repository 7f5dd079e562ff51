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
/// characters but line breaks — since staff and mail show it as written.
pub fn plain_text(raw: &str, max: usize) -> Result<String, Invalid> {
    let text = raw.trim();
    if text.is_empty() || text.chars().count() > max {
        return Err(Invalid::new(format!("must be 1 to {max} characters")));
    }
    if text.contains('<') || text.chars().any(|c| c.is_control() && c != '\n') {
        return Err(Invalid::new("must be plain text"));
    }
    Ok(text.to_owned())
}

/// One rejected field: its name as the client sent it (a JSON path such as
/// `mailing_address.postal_code`) and a sentence saying what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: String,
    pub message: String,
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
        });
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
        ] {
            assert!(plain_text(raw, 3).is_err(), "{why}");
        }
    }
}
