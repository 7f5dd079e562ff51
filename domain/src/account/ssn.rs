use crate::validation::Invalid;
use std::fmt;

/// A Social Security Number. Held only long enough to encrypt it and to
/// compute its keyed search hashes; `Debug` and `Display` never show it.
#[derive(Clone, PartialEq, Eq)]
pub struct Ssn(String);

impl Ssn {
    /// `123-45-6789` or `123456789`. Refuses numbers the SSA never issues:
    /// area 000, 666 or 900–999, group 00, serial 0000.
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let trimmed = raw.trim();
        let dashed = trimmed.len() == 11
            && trimmed.as_bytes().get(3) == Some(&b'-')
            && trimmed.as_bytes().get(6) == Some(&b'-');
        let digits: String = if dashed {
            trimmed.chars().filter(|c| *c != '-').collect()
        } else {
            trimmed.to_owned()
        };
        if digits.len() != 9 || !digits.chars().all(|c| c.is_ascii_digit()) {
            return Err(Invalid::new(
                "must be 9 digits, written 123-45-6789 or 123456789",
            ));
        }
        let (area, rest) = digits.split_at(3);
        let (group, serial) = rest.split_at(2);
        if area == "000"
            || area == "666"
            || area.starts_with('9')
            || group == "00"
            || serial == "0000"
        {
            return Err(Invalid::new("is not a number the SSA issues"));
        }
        Ok(Self(digits))
    }

    /// The nine digits, for encryption and the keyed hash only.
    pub fn expose_digits(&self) -> &str {
        &self.0
    }

    pub fn last4(&self) -> SsnLast4 {
        SsnLast4(self.0[5..].to_owned())
    }
}

impl fmt::Debug for Ssn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Ssn(***-**-****)")
    }
}

/// The last four digits of an SSN, as account search asks for them.
#[derive(Clone, PartialEq, Eq)]
pub struct SsnLast4(String);

impl SsnLast4 {
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let value = raw.trim();
        if value.len() != 4 || !value.chars().all(|c| c.is_ascii_digit()) {
            return Err(Invalid::new("must be exactly 4 digits"));
        }
        Ok(Self(value.to_owned()))
    }

    pub fn expose_digits(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for SsnLast4 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SsnLast4(****)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_dashed_and_plain_forms_alike() {
        let dashed = Ssn::parse("123-45-6789").unwrap();
        let plain = Ssn::parse("123456789").unwrap();
        assert_eq!(dashed, plain);
        assert_eq!(dashed.last4().expose_digits(), "6789");
    }

    #[test]
    fn refuses_numbers_never_issued_and_malformed_input() {
        for raw in [
            "000-12-3456",
            "666-12-3456",
            "900-12-3456",
            "123-00-4567",
            "123-45-0000",
            "12345678",
            "1234567890",
            "123-456-789",
            "abc-de-fghi",
            "' OR 1=1 --",
        ] {
            assert!(Ssn::parse(raw).is_err(), "{raw:?} was accepted");
        }
    }

    #[test]
    fn never_prints_the_number() {
        let ssn = Ssn::parse("123-45-6789").unwrap();
        let shown = format!("{ssn:?} {:?}", ssn.last4());
        assert!(!shown.contains("6789") && !shown.contains("123"));
    }

    #[test]
    fn last4_must_be_four_digits() {
        assert!(SsnLast4::parse("6789").is_ok());
        for raw in ["678", "67890", "67a9", ""] {
            assert!(SsnLast4::parse(raw).is_err(), "{raw:?} was accepted");
        }
    }
}
