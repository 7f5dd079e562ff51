use crate::validation::Invalid;
use std::fmt;

/// A password that meets the registration guide's rule: at least 15
/// characters with an upper case letter, a lower case letter, a digit and a
/// special character — and is not one of the passwords attackers try first.
///
/// Never printed: `Debug` shows a placeholder.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

/// Passwords that satisfy the character rule yet appear in breach corpora or
/// follow the patterns guessed first. Compared without regard to case.
const COMMON: &[&str] = &[
    "password1234567!",
    "password123456!",
    "password12345678!",
    "p@ssw0rd1234567",
    "p@ssw0rd123456!",
    "p@ssword1234567",
    "passw0rd!passw0rd",
    "welcome12345678!",
    "welcome1234567!",
    "welcome@12345678",
    "qwerty123456789!",
    "qwerty12345678!@",
    "qwertyuiop12345!",
    "1qaz2wsx3edc4rf!",
    "1qaz@wsx3edc4rfv",
    "abcdefg1234567!",
    "abc123456789012!",
    "iloveyou1234567!",
    "letmein12345678!",
    "changeme1234567!",
    "administrator1!",
    "kentucky1234567!",
    "kentucky@123456",
    "trainer12345678!",
    "summer2024summer!",
    "winter2025winter!",
    "football1234567!",
    "baseball1234567!",
    "sunshine1234567!",
    "princess1234567!",
];

impl Password {
    pub const MIN_LEN: usize = 15;
    /// Long enough for any passphrase; short enough that hashing stays cheap.
    pub const MAX_LEN: usize = 128;

    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let len = raw.chars().count();
        if len < Self::MIN_LEN {
            return Err(Invalid::new(format!(
                "must be at least {} characters long",
                Self::MIN_LEN
            )));
        }
        if len > Self::MAX_LEN {
            return Err(Invalid::new(format!(
                "must be at most {} characters long",
                Self::MAX_LEN
            )));
        }
        let mut missing = Vec::new();
        if !raw.chars().any(char::is_uppercase) {
            missing.push("an upper case letter");
        }
        if !raw.chars().any(char::is_lowercase) {
            missing.push("a lower case letter");
        }
        if !raw.chars().any(|c| c.is_ascii_digit()) {
            missing.push("a digit");
        }
        if !raw
            .chars()
            .any(|c| !c.is_alphanumeric() && !c.is_whitespace())
        {
            missing.push("a special character such as !, @, # or $");
        }
        if !missing.is_empty() {
            return Err(Invalid::new(format!("must contain {}", missing.join(", "))));
        }
        let folded = raw.to_lowercase();
        if COMMON.contains(&folded.as_str()) {
            return Err(Invalid::new(
                "is too common; choose a password that is not on lists of known passwords",
            ));
        }
        Ok(Self(raw.to_owned()))
    }

    /// A password that merely spells out the username is the first guess.
    pub fn refuse_if_contains(self, username_key: &str) -> Result<Self, Invalid> {
        if username_key.len() >= 4 && self.0.to_lowercase().contains(username_key) {
            return Err(Invalid::new("must not contain the username"));
        }
        Ok(self)
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(..)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_a_password_that_meets_every_part_of_the_rule() {
        assert!(Password::parse("Correct-Horse-9-Battery").is_ok());
    }

    #[test]
    fn fourteen_characters_are_too_few_and_fifteen_are_enough() {
        assert!(Password::parse("Abcdefghij12!x").is_err());
        assert!(Password::parse("Abcdefghij12!xy").is_ok());
    }

    #[test]
    fn names_each_missing_kind_of_character() {
        let cases = [
            ("abcdefghijk12345!", "upper case"),
            ("ABCDEFGHIJK12345!", "lower case"),
            ("Abcdefghijklmnop!", "digit"),
            ("Abcdefghijk123456", "special"),
        ];
        for (raw, missing) in cases {
            let err = Password::parse(raw).unwrap_err();
            assert!(err.0.contains(missing), "{raw}: {err}");
        }
    }

    #[test]
    fn refuses_common_passwords_in_any_case() {
        assert!(Password::parse("Password1234567!").is_err());
        assert!(Password::parse("KENTUCKY1234567!").is_err());
    }

    #[test]
    fn refuses_a_password_spelling_out_the_username() {
        let password = Password::parse("Xx-EndUser-2024!!").unwrap();
        assert!(password.refuse_if_contains("enduser").is_err());
    }

    #[test]
    fn debug_never_shows_the_password() {
        let password = Password::parse("Correct-Horse-9-Battery").unwrap();
        assert!(!format!("{password:?}").contains("Horse"));
    }
}
