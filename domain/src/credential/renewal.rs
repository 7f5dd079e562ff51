//! Sec. 13: whether a held credential may be renewed, and until when the
//! renewed credential runs.

use super::CredentialStatus;
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
