//! The Kentucky Early Care and Education Trainer's Credential, as awarded
//! on approval (Sec. 3(3)): its number, level, validity and renewability.

mod register;
mod reminder;
mod renewal;
mod revocation;

pub use register::{INDEXED_PREFIX_CHARS, PublicSearch, indexed_prefix_of, indexed_prefixes};
pub use reminder::{ExpiryReminder, expiry_reminder_due};
pub use renewal::{HeldCredential, check_renewal, credential_to_renew};
pub use revocation::{CitedTrainingEvent, MAX_CITED_TRAINING_EVENTS, RevocationGround};

use crate::DomainError;
use crate::rules::Level;
use crate::rules::deadlines::credential_expires_on;
use chrono::{NaiveDate, NaiveDateTime};

/// A credential as issued and kept, with where it stands now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credential {
    pub id: String,
    pub number: String,
    pub account_id: String,
    pub application_id: String,
    pub level: Level,
    pub issued_on: NaiveDate,
    pub expires_on: NaiveDate,
    pub status: CredentialStatus,
    pub renewable: bool,
    /// The holder's name as the public register shows it.
    pub holder_name: String,
    pub specialty_area: Option<String>,
    pub renewed_on: Option<NaiveDate>,
    pub revoked_on: Option<NaiveDate>,
    pub revocation_ground: Option<RevocationGround>,
    /// The facts the cabinet found, as told to the holder (Sec. 15(1)).
    pub revocation_statement: Option<String>,
    /// The training events a revocation under Sec. 15(1)(b) cites.
    pub revocation_training_events: Vec<CitedTrainingEvent>,
    pub hearing_requested_at: Option<NaiveDateTime>,
    /// The holder's own words asking for the hearing (Sec. 15(2)(a)).
    pub hearing_statement: Option<String>,
    /// Whether the 90- and 30-day reminders went out for the current expiry.
    pub reminded_90: bool,
    pub reminded_30: bool,
}

impl Credential {
    /// Current on `today`: active and its three years not yet run out, even
    /// before the sweeper records the expiry (Sec. 13(1)(a), 13(2)).
    pub fn is_current(&self, today: NaiveDate) -> bool {
        self.status == CredentialStatus::Active && self.expires_on > today
    }

    /// The letter of approval stands for the award; a revoked credential
    /// has none to show (Sec. 15).
    pub fn check_letter(&self) -> Result<(), DomainError> {
        match self.status {
            CredentialStatus::Revoked => Err(DomainError::CredentialRevoked),
            CredentialStatus::Active | CredentialStatus::Expired => Ok(()),
        }
    }
}

/// Where a credential stands. `expired` once its three years have passed
/// (the sweeper records it); `revoked` by the cabinet under Sec. 15(1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CredentialStatus {
    Active,
    Expired,
    Revoked,
}

impl CredentialStatus {
    pub const ALL: [CredentialStatus; 3] = [
        CredentialStatus::Active,
        CredentialStatus::Expired,
        CredentialStatus::Revoked,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            CredentialStatus::Active => "active",
            CredentialStatus::Expired => "expired",
            CredentialStatus::Revoked => "revoked",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == raw)
    }

    /// Sec. 15(2)(a): "An individual whose credential has been revoked may
    /// … request a hearing pursuant to 922 KAR 2:260". The hearing is on the
    /// revocation, so without one there is nothing to hear.
    pub fn check_hearing_request(self) -> Result<(), DomainError> {
        match self {
            CredentialStatus::Revoked => Ok(()),
            CredentialStatus::Active | CredentialStatus::Expired => Err(DomainError::NotRevoked),
        }
    }
}

/// What an approval awards.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Award {
    pub level: Level,
    pub issued_on: NaiveDate,
    /// Three years from issue (Sec. 13(1)(a), 13(2), 13(5)(a)).
    pub expires_on: NaiveDate,
    /// Level 1 is valid three years and not renewable (Sec. 13(1)(b)).
    pub renewable: bool,
}

pub fn award(level: Level, issued_on: NaiveDate) -> Award {
    Award {
        level,
        issued_on,
        expires_on: credential_expires_on(issued_on),
        renewable: level != Level::Level1,
    }
}

/// The human-readable credential number: `KYT-<year of issue>-<sequence>`,
/// the sequence counting credentials issued that year.
pub fn credential_number(year: i32, sequence: u32) -> String {
    format!("KYT-{year}-{sequence:06}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn held(status: CredentialStatus, expires_on: NaiveDate) -> Credential {
        Credential {
            id: "c".into(),
            number: "KYT-2026-000001".into(),
            account_id: "a".into(),
            application_id: "p".into(),
            level: Level::Level3,
            issued_on: day(2023, 6, 1),
            expires_on,
            status,
            renewable: true,
            holder_name: "Jane Doe".into(),
            specialty_area: None,
            renewed_on: None,
            revoked_on: None,
            revocation_ground: None,
            revocation_statement: None,
            revocation_training_events: Vec::new(),
            hearing_requested_at: None,
            hearing_statement: None,
            reminded_90: false,
            reminded_30: false,
        }
    }

    #[test]
    fn a_credential_is_current_while_active_and_unexpired() {
        let today = day(2026, 6, 1);
        // (status, expires on, current) — Sec. 13(1)(a), 13(2): three years.
        let cases = [
            (CredentialStatus::Active, day(2026, 6, 2), true),
            (CredentialStatus::Active, day(2026, 6, 1), false),
            (CredentialStatus::Expired, day(2026, 6, 2), false),
            (CredentialStatus::Revoked, day(2027, 1, 1), false),
        ];
        for (status, expires_on, current) in cases {
            assert_eq!(
                held(status, expires_on).is_current(today),
                current,
                "{status:?} {expires_on}"
            );
        }
    }

    #[test]
    fn a_revoked_credential_has_no_letter() {
        let expires = day(2029, 1, 1);
        assert!(
            held(CredentialStatus::Active, expires)
                .check_letter()
                .is_ok()
        );
        assert!(
            held(CredentialStatus::Expired, expires)
                .check_letter()
                .is_ok()
        );
        let refused = held(CredentialStatus::Revoked, expires)
            .check_letter()
            .unwrap_err();
        assert_eq!(refused.code(), crate::ErrorCode::CredentialRevoked);
        assert_eq!(
            refused.citation(),
            Some(crate::rules::Citation::new(15, ""))
        );
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn an_award_runs_three_years_and_level_1_is_not_renewable() {
        // (level, renewable, citation)
        let cases = [
            (Level::Level1, false, "Sec. 13(1)(b)"),
            (Level::Level2, true, "Sec. 13(2)"),
            (Level::Level5, true, "Sec. 13(2)"),
            (Level::Specialty, true, "Sec. 13(5)"),
        ];
        for (level, renewable, citation) in cases {
            let award = award(level, day(2026, 11, 24));
            assert_eq!(award.expires_on, day(2029, 11, 24), "{citation}");
            assert_eq!(award.renewable, renewable, "{citation}");
        }
    }

    #[test]
    fn a_hearing_is_requested_only_on_a_revoked_credential() {
        // (status, whether a hearing may be requested, clause)
        let cases = [
            (CredentialStatus::Revoked, true, "Sec. 15(2)(a)"),
            (CredentialStatus::Active, false, "Sec. 15(2)(a)"),
            (CredentialStatus::Expired, false, "Sec. 15(2)(a)"),
        ];
        for (status, allowed, clause) in cases {
            let outcome = status.check_hearing_request();
            assert_eq!(outcome.is_ok(), allowed, "{status:?}: {clause}");
            if let Err(refusal) = outcome {
                assert_eq!(refusal, DomainError::NotRevoked);
                assert_eq!(
                    refusal.citation().map(|c| c.to_string()).as_deref(),
                    Some("922 KAR 2:240 Section 15(2)(a)")
                );
            }
        }
    }

    #[test]
    fn numbers_are_readable_and_padded() {
        assert_eq!(credential_number(2026, 123), "KYT-2026-000123");
        assert_eq!(credential_number(2027, 1), "KYT-2027-000001");
    }
}
