use crate::validation::{FieldErrors, Invalid};

/// A US postal state or territory code, including military post offices.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsState(&'static str);

const STATE_CODES: &[&str] = &[
    "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "FL", "GA", "HI", "ID", "IL", "IN", "IA", "KS",
    "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM", "NY",
    "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV",
    "WI", "WY", "DC", "PR", "GU", "VI", "AS", "MP", "AA", "AE", "AP",
];

impl UsState {
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let upper = raw.trim().to_ascii_uppercase();
        STATE_CODES
            .iter()
            .find(|code| **code == upper)
            .map(|code| Self(code))
            .ok_or_else(|| Invalid::new("must be a two-letter US state code such as KY"))
    }

    pub fn as_str(&self) -> &'static str {
        self.0
    }
}

/// A ZIP code: `40601` or `40601-1234`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostalCode(String);

impl PostalCode {
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let value = raw.trim();
        let digits = |s: &str, n: usize| s.len() == n && s.chars().all(|c| c.is_ascii_digit());
        let valid = match value.split_once('-') {
            None => digits(value, 5),
            Some((zip, plus4)) => digits(zip, 5) && digits(plus4, 4),
        };
        if !valid {
            return Err(Invalid::new(
                "must be a ZIP code such as 40601 or 40601-1234",
            ));
        }
        Ok(Self(value.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Where the cabinet mails letters: required before any application.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailingAddress {
    pub line1: String,
    pub line2: Option<String>,
    pub city: String,
    pub state: UsState,
    pub postal_code: PostalCode,
}

/// The raw parts of an address as a client sends them.
#[derive(Debug, Clone, Default)]
pub struct MailingAddressInput<'a> {
    pub line1: &'a str,
    pub line2: Option<&'a str>,
    pub city: &'a str,
    pub state: &'a str,
    pub postal_code: &'a str,
}

const LINE_MAX: usize = 100;

fn address_text(raw: &str, required: bool) -> Result<Option<String>, Invalid> {
    let value = raw.trim();
    if value.is_empty() {
        return if required {
            Err(Invalid::new("is required"))
        } else {
            Ok(None)
        };
    }
    if value.chars().count() > LINE_MAX {
        return Err(Invalid::new(format!(
            "must be at most {LINE_MAX} characters"
        )));
    }
    if value
        .chars()
        .any(|c| c.is_control() || matches!(c, '<' | '>' | '{' | '}'))
    {
        return Err(Invalid::new(
            "contains characters that do not belong in an address",
        ));
    }
    Ok(Some(value.to_owned()))
}

impl MailingAddress {
    /// Parses every part, recording each bad one under `prefix.part`.
    pub fn parse(
        input: MailingAddressInput<'_>,
        prefix: &str,
        errors: &mut FieldErrors,
    ) -> Option<Self> {
        let field = |part: &str| format!("{prefix}.{part}");
        let line1 = errors.check(&field("line1"), address_text(input.line1, true));
        let line2 = errors.check(
            &field("line2"),
            address_text(input.line2.unwrap_or(""), false),
        );
        let city = errors.check(&field("city"), address_text(input.city, true));
        let state = errors.check(&field("state"), UsState::parse(input.state));
        let postal_code = errors.check(&field("postal_code"), PostalCode::parse(input.postal_code));
        Some(Self {
            line1: line1.flatten()?,
            line2: line2?,
            city: city.flatten()?,
            state: state?,
            postal_code: postal_code?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input<'a>(state: &'a str, postal_code: &'a str) -> MailingAddressInput<'a> {
        MailingAddressInput {
            line1: "275 E Main St",
            line2: None,
            city: "Frankfort",
            state,
            postal_code,
        }
    }

    #[test]
    fn parses_a_kentucky_address() {
        let mut errors = FieldErrors::new();
        let address =
            MailingAddress::parse(input("ky", "40621-0001"), "mailing_address", &mut errors)
                .unwrap();
        assert!(errors.is_empty());
        assert_eq!(address.state.as_str(), "KY");
    }

    #[test]
    fn names_every_bad_part() {
        let mut errors = FieldErrors::new();
        let parsed = MailingAddress::parse(
            MailingAddressInput {
                line1: "",
                city: "<b>",
                ..input("ZZ", "4060")
            },
            "mailing_address",
            &mut errors,
        );
        assert!(parsed.is_none());
        let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "mailing_address.line1",
                "mailing_address.city",
                "mailing_address.state",
                "mailing_address.postal_code"
            ]
        );
    }
}
