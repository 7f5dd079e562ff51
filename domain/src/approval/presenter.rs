//! A presenter of an event put up for preapproval (Sec. 16(4)–(6)).
//!
//! Reading (also in `docs/RULES.md`): a presenter who gives a credential
//! number is checked against the register; one who does not is "not holding
//! a credential" and is identified by name and date of birth — the same
//! person whichever sponsor names them, which is what the five events a
//! year of Sec. 16(6) counts by.

use chrono::{NaiveDate, NaiveDateTime};

/// The résumé or vita attached for a presenter without a credential
/// (Sec. 16(4)(b)).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resume {
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub storage_key: String,
    pub uploaded_at: NaiveDateTime,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Presenter {
    /// 1-based, as listed on the application.
    pub position: i32,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    /// Given for a presenter without a credential, to tell people apart.
    pub date_of_birth: Option<NaiveDate>,
    /// A current trainer's credential the presenter holds, as checked
    /// against the register when the application was made.
    pub credential_number: Option<String>,
    pub resume: Option<Resume>,
}

impl Presenter {
    pub fn holds_credential(&self) -> bool {
        self.credential_number.is_some()
    }

    /// Who the presenter is for Sec. 16(6): name folded and date of birth.
    /// `None` for a credentialed presenter, whom the limit does not concern.
    pub fn identity_key(&self) -> Option<String> {
        if self.holds_credential() {
            return None;
        }
        let dob = self.date_of_birth?;
        Some(format!(
            "{}|{}|{dob}",
            fold(&self.first_name),
            fold(&self.last_name)
        ))
    }

    pub fn full_name(&self) -> String {
        format!("{} {}", self.first_name, self.last_name)
    }
}

fn fold(text: &str) -> String {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn the_same_person_whatever_the_spelling_of_case_and_spaces() {
        let presenter = |first: &str, last: &str| Presenter {
            position: 1,
            first_name: first.into(),
            last_name: last.into(),
            email: "p@example.org".into(),
            date_of_birth: Some("1980-02-03".parse().unwrap()),
            credential_number: None,
            resume: None,
        };
        assert_eq!(
            presenter("Mary Ann", "O'Neil").identity_key(),
            presenter("mary  ann", "o'neil").identity_key()
        );
        assert_ne!(
            presenter("Mary", "Smith").identity_key(),
            presenter("Mary", "Smyth").identity_key()
        );
        let credentialed = Presenter {
            credential_number: Some("KYT-2026-000001".into()),
            ..presenter("Mary", "Smith")
        };
        assert_eq!(credentialed.identity_key(), None);
    }
}
