use crate::validation::Invalid;

/// A sign-in name. Unique without regard to case, so `key()` is what the
/// database compares; the spelling the person chose is kept for display.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Username(String);

impl Username {
    pub const MIN_LEN: usize = 3;
    pub const MAX_LEN: usize = 64;

    /// Letters, digits, `.`, `_`, `-` and `@` (people like to use their email),
    /// starting with a letter or digit. ASCII only, so case folding is the same
    /// on every database.
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let value = raw.trim();
        if value.is_empty() {
            return Err(Invalid::new("is required"));
        }
        let len = value.chars().count();
        if !(Self::MIN_LEN..=Self::MAX_LEN).contains(&len) {
            return Err(Invalid::new(format!(
                "must be {} to {} characters long",
                Self::MIN_LEN,
                Self::MAX_LEN
            )));
        }
        if !value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '@'))
        {
            return Err(Invalid::new(
                "may contain only letters, digits, '.', '_', '-' and '@'",
            ));
        }
        if !value.starts_with(|c: char| c.is_ascii_alphanumeric()) {
            return Err(Invalid::new("must start with a letter or a digit"));
        }
        Ok(Self(value.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The case-folded form that uniqueness and sign-in compare.
    pub fn key(&self) -> String {
        self.0.to_ascii_lowercase()
    }

    /// The comparison key of raw sign-in input, without validating it: a
    /// sign-in with a malformed name must fail like any unknown name.
    pub fn key_of(raw: &str) -> String {
        raw.trim().to_ascii_lowercase()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_spelling_and_folds_case_for_the_key() {
        let name = Username::parse("  End.User-1 ").unwrap();
        assert_eq!(name.as_str(), "End.User-1");
        assert_eq!(name.key(), "end.user-1");
    }

    #[test]
    fn refuses_bad_names() {
        for raw in [
            "",
            "ab",
            "-abc",
            "a b c",
            "robert'); DROP TABLE",
            "<script>",
            "ünïcode",
        ] {
            assert!(Username::parse(raw).is_err(), "{raw:?} was accepted");
        }
        assert!(Username::parse(&"a".repeat(65)).is_err());
        assert!(Username::parse(&"a".repeat(64)).is_ok());
    }
}
