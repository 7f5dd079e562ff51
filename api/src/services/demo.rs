//! People on record for a fresh install, as an earlier licensing system
//! would have left them: known to the cabinet, without an account, ready to
//! be found by account search and claimed.

use super::RequestContext;
use crate::error::ApiError;
use crate::state::AppState;
use kecs_domain::account::{DateOfBirth, PersonName, Ssn};
use kecs_persistence::repo::people;

/// (first, middle, last, date of birth, SSN). The SSNs are ones the SSA has
/// publicly retired from use (advertising and wallet-insert numbers).
pub const DEMO_PEOPLE: &[(&str, Option<&str>, &str, &str, &str)] = &[
    ("End", Some("D"), "User", "1947-03-01", "078-05-1120"),
    ("Mary-Jo", None, "O'Neil", "1985-07-14", "219-09-9999"),
    ("Jordan", Some("Lee"), "Smith", "1990-11-02", "457-55-5462"),
];

/// Records each demo person not yet on record; returns how many were added.
pub fn seed_people(state: &AppState) -> Result<usize, ApiError> {
    let ctx = RequestContext::detached();
    let mut added = 0;
    for (first, middle, last, dob, ssn) in DEMO_PEOPLE {
        let invalid = |e: kecs_domain::validation::Invalid| {
            ApiError::internal(format!("demo person {first} {last}: {e}"))
        };
        let first_name = PersonName::parse(first).map_err(invalid)?;
        let middle_name = middle.map(PersonName::parse).transpose().map_err(invalid)?;
        let last_name = PersonName::parse(last).map_err(invalid)?;
        let date_of_birth = DateOfBirth::parse(dob, ctx.now.date()).map_err(invalid)?;
        let ssn = Ssn::parse(ssn).map_err(invalid)?;
        let ssn_hash = state.vault.ssn_hash(&ssn);
        let ssn_ciphertext = state.vault.encrypt(&ssn).map_err(ApiError::internal)?;
        let inserted = state.db.transaction(|conn| {
            if people::find_by_ssn_hash(conn, &ssn_hash)?.is_some() {
                return Ok::<_, ApiError>(false);
            }
            people::insert(
                conn,
                &people::NewPerson {
                    first_name: &first_name,
                    middle_name: middle_name.as_ref(),
                    last_name: &last_name,
                    date_of_birth: date_of_birth.date(),
                    ssn_ciphertext,
                    ssn_hash: ssn_hash.clone(),
                    ssn_last4_hash: state.vault.last4_hash(&ssn.last4()),
                },
                ctx.now,
            )?;
            Ok(true)
        })?;
        added += usize::from(inserted);
    }
    Ok(added)
}
