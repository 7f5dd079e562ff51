//! What the system knows about people and accounts, as repositories hand it
//! out: no SSN in any form, no database rows.

use super::{MailingAddress, PhoneNumber, Role};
use crate::DomainError;
use crate::validation::FieldErrors;
use chrono::{NaiveDate, NaiveDateTime};

/// A person on record, as shown to someone who proved they know the name,
/// date of birth and last four SSN digits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonOnRecord {
    pub id: String,
    pub first_name: String,
    pub middle_name: Option<String>,
    pub last_name: String,
    pub date_of_birth: NaiveDate,
    /// Whether an account already owns this record (it cannot be claimed twice).
    pub claimed: bool,
}

/// An account as sign-in and authorization need it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub id: String,
    pub person_id: Option<String>,
    pub role: Role,
    pub username: String,
    pub email: String,
    pub email_confirmed_at: Option<NaiveDateTime>,
    pub password_hash: String,
    /// Set by an operator (`kecs staff disable`): the account may not sign
    /// in, refresh or use a token it still holds. Only staff are disabled.
    pub disabled_at: Option<NaiveDateTime>,
}

/// The applicant's own profile page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profile {
    pub account_id: String,
    pub username: String,
    pub first_name: String,
    pub middle_name: Option<String>,
    pub last_name: String,
    pub date_of_birth: NaiveDate,
    pub email: String,
    pub email_confirmed_at: Option<NaiveDateTime>,
    pub mailing_address: Option<MailingAddress>,
    pub phone: Option<PhoneNumber>,
}

impl Profile {
    /// The user guide: "A valid address and phone number must be added to
    /// your profile before an application can be started"; the email must be
    /// confirmed too, so the cabinet can reach the applicant. The refusal
    /// names every missing field at once, each with how to add it.
    pub fn check_ready_to_apply(&self) -> Result<(), DomainError> {
        let mut errors = FieldErrors::new();
        if self.mailing_address.is_none() {
            errors.push(
                "profile.mailing_address",
                "add a mailing address to your profile (PUT /api/v1/me/profile)",
            );
        }
        if self.phone.is_none() {
            errors.push(
                "profile.phone",
                "add a phone number to your profile (PUT /api/v1/me/profile)",
            );
        }
        if self.email_confirmed_at.is_none() {
            errors.push(
                "profile.email",
                "confirm your email address with the link mailed to you; POST /api/v1/accounts/resend-confirmation sends a new one",
            );
        }
        errors.into_result().map_err(DomainError::ProfileIncomplete)
    }

    /// Whether [`Self::check_ready_to_apply`] lets an application start.
    pub fn ready_to_apply(&self) -> bool {
        self.check_ready_to_apply().is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorCode;
    use crate::account::MailingAddressInput;
    use chrono::NaiveDate;

    fn ready() -> Profile {
        let mut errors = FieldErrors::new();
        let address = MailingAddress::parse(
            MailingAddressInput {
                line1: "275 E Main St",
                line2: None,
                city: "Frankfort",
                state: "KY",
                postal_code: "40621",
            },
            "mailing_address",
            &mut errors,
        );
        Profile {
            account_id: "a1".to_owned(),
            username: "trainer1".to_owned(),
            first_name: "Ada".to_owned(),
            middle_name: None,
            last_name: "Lovelace".to_owned(),
            date_of_birth: NaiveDate::from_ymd_opt(1980, 5, 1).unwrap(),
            email: "ada@example.org".to_owned(),
            email_confirmed_at: NaiveDate::from_ymd_opt(2026, 1, 2)
                .unwrap()
                .and_hms_opt(9, 0, 0),
            mailing_address: address,
            phone: PhoneNumber::parse("(502) 555-0123").ok(),
        }
    }

    #[test]
    fn a_profile_with_address_phone_and_confirmed_email_is_ready_to_apply() {
        let profile = ready();
        assert_eq!(profile.check_ready_to_apply(), Ok(()));
        assert!(profile.ready_to_apply());
    }

    #[test]
    fn an_unready_profile_names_every_missing_field() {
        // (what is missing, the fields the refusal names, in this order)
        let no_address = Profile {
            mailing_address: None,
            ..ready()
        };
        let no_phone = Profile {
            phone: None,
            ..ready()
        };
        let unconfirmed = Profile {
            email_confirmed_at: None,
            ..ready()
        };
        let nothing = Profile {
            mailing_address: None,
            phone: None,
            email_confirmed_at: None,
            ..ready()
        };
        let cases = [
            (no_address, vec!["profile.mailing_address"]),
            (no_phone, vec!["profile.phone"]),
            (unconfirmed, vec!["profile.email"]),
            (
                nothing,
                vec!["profile.mailing_address", "profile.phone", "profile.email"],
            ),
        ];
        for (profile, fields) in cases {
            let refusal = profile.check_ready_to_apply().unwrap_err();
            assert_eq!(refusal.code(), ErrorCode::ProfileIncomplete);
            let named: Vec<String> = refusal
                .fields()
                .unwrap()
                .iter()
                .map(|e| e.field.clone())
                .collect();
            assert_eq!(named, fields);
            assert!(!profile.ready_to_apply());
        }
    }

    #[test]
    fn each_missing_field_says_how_to_add_it() {
        let refusal = Profile {
            mailing_address: None,
            phone: None,
            email_confirmed_at: None,
            ..ready()
        }
        .check_ready_to_apply()
        .unwrap_err();
        let messages: Vec<String> = refusal
            .fields()
            .unwrap()
            .iter()
            .map(|e| e.message.clone())
            .collect();
        assert_eq!(
            messages,
            [
                "add a mailing address to your profile (PUT /api/v1/me/profile)",
                "add a phone number to your profile (PUT /api/v1/me/profile)",
                "confirm your email address with the link mailed to you; POST /api/v1/accounts/resend-confirmation sends a new one",
            ]
        );
    }
}
