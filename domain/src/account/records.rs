//! What the system knows about people and accounts, as repositories hand it
//! out: no SSN in any form, no database rows.

use super::{MailingAddress, PhoneNumber, Role};
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
    /// The user guide: "A valid address and phone number must be added to your
    /// profile before an application can be started."
    pub fn ready_to_apply(&self) -> bool {
        self.mailing_address.is_some() && self.phone.is_some() && self.email_confirmed_at.is_some()
    }
}
