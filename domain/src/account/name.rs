use crate::validation::Invalid;

/// A person's first, middle or last name as recorded.
///
/// Letters of any script, spaces, hyphens, apostrophes and periods — enough
/// for "Mary-Jo", "O'Neil" and "St. John", and nothing that could carry markup.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonName(String);

impl PersonName {
    pub const MAX_LEN: usize = 50;

    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let value = raw.trim();
        if value.is_empty() {
            return Err(Invalid::new("is required"));
        }
        if value.chars().count() > Self::MAX_LEN {
            return Err(Invalid::new(format!(
                "must be at most {} characters",
                Self::MAX_LEN
            )));
        }
        if !value
            .chars()
            .all(|c| c.is_alphabetic() || matches!(c, ' ' | '-' | '\'' | '.' | '’'))
        {
            return Err(Invalid::new(
                "may contain only letters, spaces, hyphens, apostrophes and periods",
            ));
        }
        if !value.starts_with(char::is_alphabetic) {
            return Err(Invalid::new("must start with a letter"));
        }
        Ok(Self(value.split_whitespace().collect::<Vec<_>>().join(" ")))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// What account search compares: case and curly apostrophes folded, so
    /// "o’neil" finds "O'Neil".
    pub fn key(&self) -> String {
        Self::key_of(&self.0)
    }

    pub fn key_of(raw: &str) -> String {
        raw.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .replace('’', "'")
            .to_lowercase()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_real_names() {
        for raw in ["End", "Mary-Jo", "O'Neil", "St. John", "José", "Nguyễn"] {
            assert!(PersonName::parse(raw).is_ok(), "{raw:?} was refused");
        }
    }

    #[test]
    fn refuses_markup_digits_and_blank() {
        for raw in [
            "",
            "  ",
            "<script>alert(1)</script>",
            "Robert'); DROP TABLE people;--",
            "R2D2",
            "-Anne",
        ] {
            assert!(PersonName::parse(raw).is_err(), "{raw:?} was accepted");
        }
    }

    #[test]
    fn search_key_folds_case_spaces_and_apostrophes() {
        let name = PersonName::parse("  O’Neil   Smith ").unwrap();
        assert_eq!(name.as_str(), "O’Neil Smith");
        assert_eq!(name.key(), "o'neil smith");
    }
}
