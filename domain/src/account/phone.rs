use crate::validation::Invalid;

/// A North American telephone number, stored in E.164 (`+15025550123`).
///
/// Applicants are Kentucky trainers; the North American Numbering Plan
/// covers every number the office calls.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhoneNumber(String);

impl PhoneNumber {
    /// Accepts the usual ways of writing one: `(502) 555-0123`,
    /// `502-555-0123`, `502.555.0123`, `+1 502 555 0123`.
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let value = raw.trim();
        if value.is_empty() {
            return Err(Invalid::new("is required"));
        }
        if !value
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '-' | '.' | '(' | ')' | '+'))
        {
            return Err(Invalid::new(
                "must be a US telephone number such as (502) 555-0123",
            ));
        }
        let digits: String = value.chars().filter(char::is_ascii_digit).collect();
        let national = match digits.len() {
            10 => digits.as_str(),
            11 if digits.starts_with('1') => &digits[1..],
            _ => {
                return Err(Invalid::new("must have 10 digits, such as (502) 555-0123"));
            }
        };
        // NANP: neither the area code nor the exchange starts with 0 or 1.
        let bytes = national.as_bytes();
        if matches!(bytes[0], b'0' | b'1') || matches!(bytes[3], b'0' | b'1') {
            return Err(Invalid::new("is not a valid North American number"));
        }
        Ok(Self(format!("+1{national}")))
    }

    /// A number already stored in E.164 form.
    pub fn from_e164(stored: &str) -> Result<Self, Invalid> {
        Self::parse(stored)
    }

    pub fn as_e164(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_common_forms_to_e164() {
        for raw in [
            "(502) 555-0123",
            "502-555-0123",
            "502.555.0123",
            "+1 502 555 0123",
            "15025550123",
        ] {
            assert_eq!(
                PhoneNumber::parse(raw).unwrap().as_e164(),
                "+15025550123",
                "{raw}"
            );
        }
    }

    #[test]
    fn refuses_short_foreign_and_impossible_numbers() {
        for raw in [
            "",
            "555-0123",
            "+44 20 7946 0958",
            "(102) 555-0123",
            "(502) 155-0123",
            "502-555-0123 x12",
            "<b>5025550123</b>",
        ] {
            assert!(PhoneNumber::parse(raw).is_err(), "{raw:?} was accepted");
        }
    }
}
