//! Returning an application as deficient: the specialist sends it back to
//! the applicant, naming what each element lacks; the applicant completes
//! them and resubmits without paying again.

use super::{ApplicationPlan, ApplicationStatus, ElementKey, Submitter, Transition};
use crate::DomainError;
use crate::validation::FieldErrors;
use chrono::NaiveDateTime;

/// What a specialist found lacking in one element when returning the
/// application; kept, so the applicant reads it beside the element, and
/// resolved when the application is resubmitted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deficiency {
    pub element: ElementKey,
    pub message: String,
    pub cited_at: NaiveDateTime,
    /// The specialist who cited it.
    pub cited_by: Option<String>,
    /// When the resubmission that answered it was accepted; `None` while open.
    pub resolved_at: Option<NaiveDateTime>,
}

impl Deficiency {
    pub const fn is_open(&self) -> bool {
        self.resolved_at.is_none()
    }

    /// Whether the element was saved again after it was cited: by the
    /// applicant, or, for a third party's element, submitted again by the
    /// invitee (either way its `updated_at` moves on).
    pub fn is_addressed(&self, element_updated_at: Option<NaiveDateTime>) -> bool {
        element_updated_at.is_some_and(|updated| updated > self.cited_at)
    }
}

/// Refuses a resubmission while an open deficiency's element has not been
/// saved since it was cited, naming each such element (`field` is its key).
/// `updated_at` gives when each element was last saved.
pub fn check_deficiencies_addressed(
    deficiencies: &[Deficiency],
    updated_at: impl Fn(ElementKey) -> Option<NaiveDateTime>,
) -> Result<(), DomainError> {
    let mut errors = FieldErrors::new();
    for deficiency in deficiencies.iter().filter(|d| d.is_open()) {
        if !deficiency.is_addressed(updated_at(deficiency.element)) {
            let how = match deficiency.element.submitted_by() {
                Submitter::Applicant => "save it again",
                _ => "have it submitted again through a new link",
            };
            errors.push(
                deficiency.element.as_str(),
                format!(
                    "{} was returned as deficient ({}); {how} before resubmitting",
                    deficiency.element.title(),
                    deficiency.message
                ),
            );
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(DomainError::DeficienciesNotAddressed(errors))
    }
}

/// What returning an application as deficient comes to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReturnedAsDeficient {
    /// `deficient`: in the applicant's hands again.
    pub status: ApplicationStatus,
    /// Cleared, to be entered again before the application is resubmitted.
    pub re_enter: Vec<ElementKey>,
    /// Named deficient and submitted by a third party: no longer final, so
    /// the applicant can send a new link and the invitee submit it again
    /// (otherwise the deficiency could never be addressed).
    pub reopen: Vec<ElementKey>,
}

/// The user guide: "deficient applications will require re-entry of
/// Character and Fitness selections" — though a submitted Character &
/// Fitness "cannot be undone", a returned application asks it afresh.
const RE_ENTERED_WHEN_DEFICIENT: [ElementKey; 1] = [ElementKey::CharacterAndFitness];

impl ApplicationStatus {
    /// Returns an application under review as deficient in the elements
    /// `deficient` names, which must all be elements of its `plan`.
    pub fn return_as_deficient(
        self,
        plan: &ApplicationPlan,
        deficient: impl IntoIterator<Item = ElementKey>,
    ) -> Result<ReturnedAsDeficient, DomainError> {
        let status = self
            .apply(Transition::ReturnAsDeficient)
            .map_err(DomainError::Transition)?;
        let deficient: Vec<ElementKey> = deficient.into_iter().collect();
        if let Some(key) = deficient.iter().copied().find(|key| !plan.has(*key)) {
            return Err(DomainError::ElementNotInPlan(key));
        }
        let re_enter: Vec<ElementKey> = RE_ENTERED_WHEN_DEFICIENT
            .into_iter()
            .filter(|key| plan.has(*key))
            .collect();
        let mut reopen: Vec<ElementKey> = Vec::new();
        for key in deficient {
            if key.submitted_by() != Submitter::Applicant && !reopen.contains(&key) {
                reopen.push(key);
            }
        }
        Ok(ReturnedAsDeficient {
            status,
            re_enter,
            reopen,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorCode;
    use crate::application::{Answers, RequestType, plan};
    use crate::rules::Level;
    use ApplicationStatus as S;
    use ElementKey as K;

    /// A Level 5 renewal: required trainings, Character & Fitness and the
    /// attestation (Sec. 13(4)).
    fn level_5_renewal() -> ApplicationPlan {
        let answers = Answers {
            conducts_online_training: Some(false),
            renewal_level: Some(Level::Level5),
            ..Answers::default()
        };
        plan(&[RequestType::Renewal], &answers).unwrap()
    }

    #[test]
    fn a_returned_application_is_deficient_and_character_and_fitness_is_entered_again() {
        // (elements named deficient, clause)
        let cases: [(&[K], &str); 3] = [
            (&[K::RequiredTrainings], "Sec. 13(4)(b)"),
            (&[K::CharacterAndFitness], "user guide: re-entry of C&F"),
            (
                &[K::RequiredTrainings, K::Attestation],
                "Sec. 13(4)(b); the DCC-200 declaration",
            ),
        ];
        for (deficient, clause) in cases {
            assert_eq!(
                S::PendingReview.return_as_deficient(&level_5_renewal(), deficient.iter().copied()),
                Ok(ReturnedAsDeficient {
                    status: S::Deficient,
                    re_enter: vec![K::CharacterAndFitness],
                    reopen: Vec::new(),
                }),
                "{clause}"
            );
        }
    }

    #[test]
    fn an_element_the_plan_does_not_have_is_refused_as_not_found() {
        let refusal = S::PendingReview
            .return_as_deficient(&level_5_renewal(), [K::RequiredTrainings, K::Topics])
            .unwrap_err();
        assert_eq!(refusal, DomainError::ElementNotInPlan(K::Topics));
        assert_eq!(refusal.code(), ErrorCode::NotFound);
        assert_eq!(refusal.to_string(), "no such resource");
    }

    #[test]
    fn only_what_the_plan_has_is_cleared() {
        let without = ApplicationPlan {
            elements: Vec::new(),
            ..level_5_renewal()
        };
        let returned = S::PendingReview.return_as_deficient(&without, []).unwrap();
        assert!(returned.re_enter.is_empty());
    }

    #[test]
    fn only_an_application_under_review_is_returned() {
        for status in S::ALL.into_iter().filter(|s| *s != S::PendingReview) {
            assert_eq!(
                status.return_as_deficient(&level_5_renewal(), [K::RequiredTrainings]),
                Err(DomainError::Transition(
                    Transition::ReturnAsDeficient.refused_from(status)
                )),
                "{status:?}"
            );
        }
    }

    fn at(hour: u32) -> NaiveDateTime {
        chrono::NaiveDate::from_ymd_opt(2026, 12, 1)
            .unwrap()
            .and_hms_opt(hour, 0, 0)
            .unwrap()
    }

    fn cited(element: K, resolved_at: Option<NaiveDateTime>) -> Deficiency {
        Deficiency {
            element,
            message: "the certificate is illegible".into(),
            cited_at: at(10),
            cited_by: None,
            resolved_at,
        }
    }

    #[test]
    fn a_cited_element_counts_as_addressed_only_once_saved_after_the_citation() {
        // (last saved, addressed?)
        let cases = [
            (None, false),
            (Some(at(9)), false),
            (Some(at(10)), false),
            (Some(at(11)), true),
        ];
        for (updated_at, addressed) in cases {
            let deficiencies = [cited(K::RequiredTrainings, None)];
            let checked = check_deficiencies_addressed(&deficiencies, |_| updated_at);
            assert_eq!(checked.is_ok(), addressed, "{updated_at:?}");
            if let Err(refusal) = checked {
                assert_eq!(refusal.code(), ErrorCode::DeficienciesNotAddressed);
                let fields = refusal.fields().unwrap();
                assert_eq!(
                    fields.iter().map(|e| e.field.as_str()).collect::<Vec<_>>(),
                    ["required_trainings"]
                );
                assert_eq!(refusal.citation(), None);
            }
        }
    }

    #[test]
    fn each_unaddressed_element_is_named_and_resolved_ones_are_ignored() {
        let deficiencies = [
            cited(K::RequiredTrainings, None),
            cited(K::Attestation, None),
            cited(K::CharacterAndFitness, Some(at(12))),
        ];
        let refusal = check_deficiencies_addressed(&deficiencies, |key| {
            (key == K::Attestation).then_some(at(11))
        })
        .unwrap_err();
        let fields = refusal.fields().unwrap();
        assert_eq!(
            fields.iter().map(|e| e.field.as_str()).collect::<Vec<_>>(),
            ["required_trainings"]
        );
    }

    #[test]
    fn a_third_partys_element_named_deficient_is_reopened_for_a_new_link() {
        let answers = Answers {
            conducts_online_training: Some(false),
            first_time_applicant: Some(true),
            ..Answers::default()
        };
        let plan = plan(&[RequestType::NewLevel1], &answers).unwrap();
        let keys: Vec<K> = plan.elements.iter().map(|e| e.key).collect();
        let third_party: Vec<K> = keys
            .iter()
            .copied()
            .filter(|k| k.submitted_by() != Submitter::Applicant)
            .collect();
        let returned = S::PendingReview
            .return_as_deficient(&plan, keys.iter().copied().chain(keys.iter().copied()))
            .unwrap();
        assert!(!third_party.is_empty());
        assert_eq!(returned.reopen, third_party);
    }
}
