//! The single-use link mailed to the third party who submits an element
//! (an employer, a co-trainer, a training coach): how long it works, and
//! whether it still opens its element.

use super::{ApplicationStatus, ElementKey};
use crate::DomainError;
use crate::account::EmailAddress;
use chrono::{Duration, NaiveDateTime};

/// How long a link works, unless the application expires first.
pub const INVITATION_TTL: Duration = Duration::days(30);

/// When a link sent at `now` stops working: 30 days on, and never after an
/// unpaid application's own expiry (a link to an expired application would
/// open nothing). Once paid, the application no longer expires.
pub fn invitation_expires_at(
    now: NaiveDateTime,
    application_status: ApplicationStatus,
    application_expires_at: NaiveDateTime,
) -> NaiveDateTime {
    let expires_at = now + INVITATION_TTL;
    if application_status.awaiting_payment() {
        expires_at.min(application_expires_at)
    } else {
        expires_at
    }
}

/// Refuses a link addressed to the applicant: the third party verifies what
/// the applicant states, so the invitee must be someone else. Compared by
/// the email's key (as `EmailAddress` compares: trimmed, any letter case)
/// with every address of the applicant's account.
pub fn check_invitee_is_not_applicant<'a>(
    key: ElementKey,
    invitee: &EmailAddress,
    applicant_addresses: impl IntoIterator<Item = &'a str>,
) -> Result<(), DomainError> {
    let invitee = invitee.key();
    if applicant_addresses
        .into_iter()
        .any(|address| EmailAddress::key_of(address) == invitee)
    {
        return Err(DomainError::ThirdPartyIsApplicant(key));
    }
    Ok(())
}

/// A single-use link sent to the third party who submits one element.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invitation {
    pub id: String,
    pub application_id: String,
    pub element_key: ElementKey,
    pub name: String,
    pub email: String,
    pub expires_at: NaiveDateTime,
    pub used_at: Option<NaiveDateTime>,
    pub revoked_at: Option<NaiveDateTime>,
}

impl Invitation {
    /// A link opens its element once: not after it was used, replaced by a
    /// newer one, or expired.
    pub fn check_usable(&self, now: NaiveDateTime) -> Result<(), DomainError> {
        if self.used_at.is_some() {
            return Err(DomainError::InvitationUsed);
        }
        if self.revoked_at.is_some() {
            return Err(DomainError::InvitationReplaced);
        }
        if self.expires_at <= now {
            return Err(DomainError::InvitationExpired);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_applicant_is_never_their_own_third_party() {
        let own = ["Jo.Doe@Example.org"];
        // (invitee, refused)
        let cases = [
            ("jo.doe@example.org", true),
            ("JO.DOE@EXAMPLE.ORG", true),
            ("  Jo.Doe@example.ORG ", true),
            ("boss@example.org", false),
            ("jo.doe@example.com", false),
        ];
        for (invitee, refused) in cases {
            let email = EmailAddress::parse(invitee).unwrap();
            let outcome =
                check_invitee_is_not_applicant(ElementKey::ExperienceVerification, &email, own);
            assert_eq!(outcome.is_err(), refused, "{invitee}");
            if let Err(error) = outcome {
                assert_eq!(error.code(), crate::ErrorCode::ThirdPartyIsApplicant);
                assert_eq!(
                    error.citation().unwrap().to_string(),
                    "922 KAR 2:240 Section 3(1)(a)"
                );
                assert_eq!(
                    error.fields().unwrap().iter().next().unwrap().field,
                    "email"
                );
            }
        }
    }
    use crate::ErrorCode;

    fn at(day: u32) -> NaiveDateTime {
        chrono::NaiveDate::from_ymd_opt(2026, 3, day)
            .unwrap()
            .and_hms_opt(9, 0, 0)
            .unwrap()
    }

    #[test]
    fn a_link_lasts_thirty_days_but_never_past_an_unpaid_applications_expiry() {
        let sent = at(1);
        let far = at(1) + Duration::days(90);
        let soon = at(10);
        assert_eq!(
            invitation_expires_at(sent, ApplicationStatus::InProgress, far),
            sent + Duration::days(30)
        );
        assert_eq!(
            invitation_expires_at(sent, ApplicationStatus::InProgress, soon),
            soon
        );
        // Paid (deficient, back with the applicant): the application no
        // longer expires, so neither does the link early.
        assert_eq!(
            invitation_expires_at(sent, ApplicationStatus::Deficient, soon),
            sent + Duration::days(30)
        );
    }

    #[test]
    fn a_link_is_refused_once_used_replaced_or_expired() {
        let live = Invitation {
            id: "invitation".to_owned(),
            application_id: "application".to_owned(),
            element_key: ElementKey::ExperienceVerification,
            name: "Pat Employer".to_owned(),
            email: "pat@example.com".to_owned(),
            used_at: None,
            revoked_at: None,
            expires_at: at(20),
        };
        assert_eq!(live.check_usable(at(19)), Ok(()));
        let cases = [
            (
                Invitation {
                    used_at: Some(at(2)),
                    ..live.clone()
                },
                ErrorCode::InvitationUsed,
            ),
            (
                Invitation {
                    revoked_at: Some(at(2)),
                    ..live.clone()
                },
                ErrorCode::InvitationReplaced,
            ),
            (live, ErrorCode::InvitationExpired),
        ];
        for (state, code) in cases {
            assert_eq!(state.check_usable(at(20)).unwrap_err().code(), code);
        }
    }
}
