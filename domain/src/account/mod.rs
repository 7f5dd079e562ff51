//! Accounts of the registration guide: who a person is (name, date of birth,
//! SSN), how they sign in (username, email, password) and how they are reached
//! (mailing address, phone). Every value here is parsed once at the edge and is
//! valid wherever it travels afterwards.

mod address;
mod date_of_birth;
mod email;
mod name;
mod password;
mod phone;
mod role;
mod sign_in;
mod ssn;
mod username;

pub use address::{MailingAddress, MailingAddressInput, PostalCode, UsState};
pub use date_of_birth::{DateOfBirth, parse_date};
pub use email::EmailAddress;
pub use name::PersonName;
pub use password::Password;
pub use phone::PhoneNumber;
pub use role::Role;
pub use sign_in::{TENANT_ISSUER_PLACEHOLDER, check_tenant_issuer};
pub use ssn::{Ssn, SsnLast4};
pub use username::Username;
mod records;
pub use records::{Account, PersonOnRecord, Profile};
