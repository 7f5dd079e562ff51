//! What a third party invited to complete an element reads: the request in
//! words addressed to them, naming the applicant, and the applicant's claim
//! they are asked to confirm. The applicant reads the same element in
//! their own words (`plan`).

use super::request_type::{ElementKey, Submitter};

/// The requirements of `key` addressed to the person invited to complete
/// it for `applicant`; `None` for an element the applicant completes.
pub fn invitee_requirements(key: ElementKey, applicant: &str) -> Option<Vec<String>> {
    let lines = match key.submitted_by() {
        Submitter::Applicant => return None,
        Submitter::Employer => vec![
            format!(
                "{applicant} names you as the employer who can verify their experience. Please \
                 confirm the full-time, paid experience in early care and education they claim \
                 (shown in applicant_claims): the years, and whether it is as they state \
                 (922 KAR 2:240 Section 3(1)(a))."
            ),
            "Full-time means at least 30 hours a week or the equivalent (Section 1(5)).".to_owned(),
            "Give your name as the person verifying; once submitted, your answer is final."
                .to_owned(),
        ],
        Submitter::CoTrainer => vec![
            format!(
                "{applicant} names you as the Level 4 or 5 trainer they co-trained with. Please \
                 confirm the clock hours of training you gave together (922 KAR 2:240 Section \
                 6(1)(b))."
            ),
            "Once submitted, your answer is final.".to_owned(),
        ],
        Submitter::TrainingCoach => vec![
            format!(
                "{applicant} names you as the training coach who observed them train. Please \
                 give the day of your observation (922 KAR 2:240 Section 13(3)(d))."
            ),
            "Once submitted, your answer is final.".to_owned(),
        ],
    };
    Some(lines)
}

/// The element holding the claim the invitee confirms, where it is another
/// than their own: the employer verifies the `experience` the applicant
/// entered (Sec. 3(1)(a)); a co-trainer and a coach read the claim in their
/// own element.
pub const fn claim_confirmed(key: ElementKey) -> Option<ElementKey> {
    match key {
        ElementKey::ExperienceVerification => Some(ElementKey::Experience),
        _ => None,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn third_parties_are_addressed_and_applicants_are_not() {
        for key in ElementKey::ALL {
            let lines = invitee_requirements(key, "Jane Doe");
            match key.submitted_by() {
                Submitter::Applicant => assert!(lines.is_none(), "{key:?}"),
                _ => {
                    let lines = lines.unwrap();
                    assert!(lines[0].starts_with("Jane Doe names you"), "{key:?}");
                    assert!(lines.iter().all(|l| !l.contains(" you claim")), "{key:?}");
                }
            }
        }
        assert_eq!(
            claim_confirmed(ElementKey::ExperienceVerification),
            Some(ElementKey::Experience)
        );
    }
}
