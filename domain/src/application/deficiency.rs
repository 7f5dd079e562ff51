//! Returning an application as deficient: the specialist sends it back to
//! the applicant, naming what each element lacks; the applicant completes
//! them and resubmits without paying again.

use super::{ApplicationPlan, ApplicationStatus, ElementKey, Transition};
use crate::DomainError;

/// What returning an application as deficient comes to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReturnedAsDeficient {
    /// `deficient`: in the applicant's hands again.
    pub status: ApplicationStatus,
    /// Cleared, to be entered again before the application is resubmitted.
    pub re_enter: Vec<ElementKey>,
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
        if let Some(key) = deficient.into_iter().find(|key| !plan.has(*key)) {
            return Err(DomainError::ElementNotInPlan(key));
        }
        Ok(ReturnedAsDeficient {
            status,
            re_enter: RE_ENTERED_WHEN_DEFICIENT
                .into_iter()
                .filter(|key| plan.has(*key))
                .collect(),
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
}
