use crate::validation::Invalid;
use validator::ValidateEmail;

/// An email address. Unique without regard to case: mail systems treat
/// addresses that way in practice, and two accounts differing only in case
/// would be one inbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmailAddress(String);

impl EmailAddress {
    /// RFC 5321 limits a forward path to 254 characters.
    pub const MAX_LEN: usize = 254;

    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let value = raw.trim();
        if value.is_empty() {
            return Err(Invalid::new("is required"));
        }
        if value.len() > Self::MAX_LEN {
            return Err(Invalid::new("must be at most 254 characters"));
        }
        // The validator crate follows the HTML5 definition, which also accepts
        // dotless domains; a person's mailbox always has a dotted domain.
        let has_dotted_domain = value
            .rsplit_once('@')
            .is_some_and(|(_, domain)| domain.contains('.') && !domain.ends_with('.'));
        if !value.validate_email() || !has_dotted_domain {
            return Err(Invalid::new("must be a valid email address"));
        }
        Ok(Self(value.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn key(&self) -> String {
        self.0.to_lowercase()
    }

    /// The comparison key of raw input (forgot-username looks up by it).
    pub fn key_of(raw: &str) -> String {
        raw.trim().to_lowercase()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_ordinary_addresses() {
        let email = EmailAddress::parse(" End.User@Example.org ").unwrap();
        assert_eq!(email.as_str(), "End.User@Example.org");
        assert_eq!(email.key(), "end.user@example.org");
    }

    #[test]
    fn refuses_what_is_not_an_address() {
        for raw in [
            "",
            "user",
            "user@",
            "@example.org",
            "user@localhost",
            "a b@example.org",
            "<script>@x.org",
        ] {
            assert!(EmailAddress::parse(raw).is_err(), "{raw:?} was accepted");
        }
    }
}
