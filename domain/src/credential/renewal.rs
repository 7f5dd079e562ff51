//! Sec. 13: which held credential a renewal renews, whether it may be
//! renewed, and until when the renewed credential runs.

use super::CredentialStatus;
use crate::DomainError;
use crate::rules::calendar::add_years;
use crate::rules::{Citation, Level, Unmet};
use chrono::NaiveDate;

const VALIDITY_YEARS: u32 = 3;

/// The expiry of the renewed credential, or why this one cannot be renewed.
///
/// Readings, where the regulation is silent:
/// - a renewal runs three years from the previous expiry, not from the day
///   of approval, so renewing early loses nothing (the rule);
/// - a credential that has expired may still be renewed, as long as the
///   renewed term has not itself run out; one expired longer than that
///   needs a new application (Sec. 13(2): "renewed every three years");
/// - a revoked credential is never renewed: its holder may reapply after
///   two years (Sec. 15(2)(b)).
pub fn check_renewal(
    level: Level,
    status: CredentialStatus,
    expires_on: NaiveDate,
    today: NaiveDate,
) -> Result<NaiveDate, Unmet> {
    if level == Level::Level1 {
        return Err(Unmet::new(
            "sec13_1_b_level_1_not_renewable",
            Citation::new(13, "(1)(b)"),
            "A Level 1 credential is valid for three years and is not renewable; apply for a \
             higher level instead.",
        ));
    }
    if status == CredentialStatus::Revoked {
        return Err(Unmet::new(
            "sec15_2_revoked_not_renewable",
            Citation::new(15, "(2)"),
            "A revoked credential is not renewed; its holder may request a hearing or reapply \
             after two years.",
        ));
    }
    let renewed = add_years(expires_on, VALIDITY_YEARS);
    if renewed <= today {
        return Err(Unmet::new(
            "sec13_2_renewed_every_three_years",
            Citation::new(13, "(2)"),
            format!(
                "This credential expired on {expires_on}, more than one renewal period ago; \
                 apply for a new credential."
            ),
        ));
    }
    Ok(renewed)
}

/// A credential a person holds, as a renewal sees it; `id` is whatever
/// names it to the caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeldCredential<Id> {
    pub id: Id,
    pub level: Level,
    pub status: CredentialStatus,
    pub expires_on: NaiveDate,
}

/// The credential a renewal of `level` started `today` renews, among those
/// `held`: the latest of that level, since a trainer renews what they hold
/// now, not an older credential the newer one replaced. Refused when none
/// of that level is held, or when the latest may not be renewed
/// ([`check_renewal`]).
pub fn credential_to_renew<Id>(
    held: impl IntoIterator<Item = HeldCredential<Id>>,
    level: Level,
    today: NaiveDate,
) -> Result<Id, DomainError> {
    let latest = held
        .into_iter()
        .filter(|credential| credential.level == level)
        .max_by_key(|credential| credential.expires_on)
        .ok_or(DomainError::NoCredentialToRenew(level))?;
    check_renewal(latest.level, latest.status, latest.expires_on, today).map_err(|unmet| {
        DomainError::NotRenewable {
            field: "answers.renewal_level",
            unmet,
        }
    })?;
    Ok(latest.id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorCode;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn renewal_runs_three_years_from_the_previous_expiry() {
        let expires = day(2027, 3, 1);
        for today in [day(2026, 11, 24), day(2027, 2, 28), day(2027, 6, 1)] {
            assert_eq!(
                check_renewal(Level::Level3, CredentialStatus::Active, expires, today),
                Ok(day(2030, 3, 1)),
                "{today}"
            );
        }
        assert_eq!(
            check_renewal(
                Level::Specialty,
                CredentialStatus::Expired,
                expires,
                day(2028, 1, 1)
            ),
            Ok(day(2030, 3, 1))
        );
    }

    #[test]
    fn refusals_cite_their_clause() {
        let expires = day(2027, 3, 1);
        let today = day(2026, 11, 24);
        let cases = [
            (
                Level::Level1,
                CredentialStatus::Active,
                today,
                "922 KAR 2:240 Section 13(1)(b)",
            ),
            (
                Level::Level2,
                CredentialStatus::Revoked,
                today,
                "922 KAR 2:240 Section 15(2)",
            ),
            (
                Level::Level2,
                CredentialStatus::Expired,
                day(2030, 3, 1),
                "922 KAR 2:240 Section 13(2)",
            ),
        ];
        for (level, status, on, citation) in cases {
            let unmet = check_renewal(level, status, expires, on).unwrap_err();
            assert_eq!(unmet.citation.to_string(), citation);
        }
    }

    fn held(
        id: &'static str,
        level: Level,
        status: CredentialStatus,
        expires_on: NaiveDate,
    ) -> HeldCredential<&'static str> {
        HeldCredential {
            id,
            level,
            status,
            expires_on,
        }
    }

    #[test]
    fn a_renewal_renews_the_latest_credential_of_its_level() {
        use CredentialStatus::{Active, Expired};
        let today = day(2026, 11, 24);
        let held = [
            held("old-l3", Level::Level3, Expired, day(2024, 3, 1)),
            held("l3", Level::Level3, Active, day(2027, 3, 1)),
            held("l4", Level::Level4, Active, day(2028, 1, 1)),
        ];
        // (level to renew, the credential renewed, clause)
        let cases = [
            (Level::Level3, "l3", "Sec. 13(3)"),
            (Level::Level4, "l4", "Sec. 13(3)"),
        ];
        for (level, renewed, clause) in cases {
            assert_eq!(
                credential_to_renew(held.clone(), level, today),
                Ok(renewed),
                "{clause}"
            );
        }
    }

    #[test]
    fn a_renewal_is_refused_without_a_renewable_credential_of_its_level() {
        use CredentialStatus::{Active, Expired, Revoked};
        let today = day(2026, 11, 24);
        // (held, level to renew, code, citation)
        let cases = [
            (
                vec![held("l4", Level::Level4, Active, day(2028, 1, 1))],
                Level::Level3,
                ErrorCode::NoCredentialToRenew,
                "922 KAR 2:240 Section 13",
            ),
            (
                vec![],
                Level::Specialty,
                ErrorCode::NoCredentialToRenew,
                "922 KAR 2:240 Section 13",
            ),
            (
                vec![held("l1", Level::Level1, Active, day(2027, 3, 1))],
                Level::Level1,
                ErrorCode::NotRenewable,
                "922 KAR 2:240 Section 13(1)(b)",
            ),
            // The latest is revoked: an older active one does not stand in.
            (
                vec![
                    held("old", Level::Level2, Active, day(2027, 1, 1)),
                    held("new", Level::Level2, Revoked, day(2028, 1, 1)),
                ],
                Level::Level2,
                ErrorCode::NotRenewable,
                "922 KAR 2:240 Section 15(2)",
            ),
            (
                vec![held("l5", Level::Level5, Expired, day(2023, 11, 24))],
                Level::Level5,
                ErrorCode::NotRenewable,
                "922 KAR 2:240 Section 13(2)",
            ),
        ];
        for (held, level, code, citation) in cases {
            let refusal = credential_to_renew(held, level, today).unwrap_err();
            assert_eq!(refusal.code(), code, "{citation}");
            assert_eq!(
                refusal.citation().map(|c| c.to_string()).as_deref(),
                Some(citation)
            );
        }
    }

    #[test]
    fn a_refused_renewal_names_the_renewal_level_answer() {
        let refusal = credential_to_renew(
            [held(
                "l1",
                Level::Level1,
                CredentialStatus::Active,
                day(2027, 3, 1),
            )],
            Level::Level1,
            day(2026, 11, 24),
        )
        .unwrap_err();
        let fields = refusal.fields().unwrap();
        assert_eq!(
            fields.iter().next().map(|e| e.field.as_str()),
            Some("answers.renewal_level")
        );
    }
}
