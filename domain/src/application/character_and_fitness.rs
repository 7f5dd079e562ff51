//! The Character & Fitness element: yes/no questions, and "if you select yes
//! to any questions … you will be asked to provide a statement" (the guide).
//! Once submitted it cannot be undone; a deficient application asks for it
//! again (the API keeps that state; `completeness` only needs to know whether
//! it is submitted).
//!
//! 922 KAR 2:240 itself names the conduct that costs a credential in
//! Sec. 15(1) (falsified records; failing Sec. 11 or 12; breached
//! confidentiality of training records) and Sec. 15(2)(b) (reapplying after a
//! revocation waits two years); those questions cite it. The others are the
//! questions credentialing bodies commonly ask (convictions, pending charges,
//! child abuse or neglect findings, discipline elsewhere): no clause of this
//! regulation sets them, so they carry no citation and the decision on a
//! "yes" is the certification specialist's.

use std::collections::BTreeSet;

use crate::rules::Citation;
use crate::rules::citation::sec;
use crate::validation::FieldError;

/// A statement may be at most this many characters.
pub const STATEMENT_MAX_CHARS: usize = 4000;

/// One yes/no question.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CharacterAndFitnessQuestion {
    /// Stable key (public API: added, never renamed).
    pub key: &'static str,
    pub prompt: &'static str,
    pub citation: Option<Citation>,
}

/// The questions, in display order.
pub const QUESTIONS: [CharacterAndFitnessQuestion; 8] = [
    CharacterAndFitnessQuestion {
        key: "criminal_conviction",
        prompt: "Have you ever been convicted of, or pleaded guilty or no contest to, a felony \
                 or a misdemeanor other than a minor traffic violation?",
        citation: None,
    },
    CharacterAndFitnessQuestion {
        key: "pending_charges",
        prompt: "Are any criminal charges currently pending against you?",
        citation: None,
    },
    CharacterAndFitnessQuestion {
        key: "child_abuse_or_neglect_finding",
        prompt: "Have you ever been the subject of a substantiated finding of child abuse or \
                 neglect, or been placed on a child abuse or neglect registry?",
        citation: None,
    },
    CharacterAndFitnessQuestion {
        key: "trainer_credential_revoked",
        prompt: "Has a Kentucky Early Care and Education Trainer's Credential of yours ever \
                 been revoked?",
        citation: Some(sec(15, "(2)(b)")),
    },
    CharacterAndFitnessQuestion {
        key: "credential_denied_or_disciplined_elsewhere",
        prompt: "Has any other license, certification, or credential of yours, in any state or \
                 profession, ever been denied, suspended, revoked, or surrendered, or is one \
                 under investigation?",
        citation: None,
    },
    CharacterAndFitnessQuestion {
        key: "falsified_record",
        prompt: "Have you ever been found to have falsified a record, such as a training, \
                 attendance, or employment record?",
        citation: Some(sec(15, "(1)(a)")),
    },
    CharacterAndFitnessQuestion {
        key: "training_requirements_violation",
        prompt: "Have you ever been found not to comply with the training or record-keeping \
                 requirements for credentialed trainers?",
        citation: Some(sec(15, "(1)(b)")),
    },
    CharacterAndFitnessQuestion {
        key: "records_confidentiality_breach",
        prompt: "Have you ever been found not to have preserved the confidentiality of training \
                 or trainee records?",
        citation: Some(sec(15, "(1)(c)")),
    },
];

/// One answer as the applicant gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CharacterAndFitnessAnswer {
    pub key: String,
    pub answer: bool,
    /// Required exactly when `answer` is yes.
    pub statement: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CharacterAndFitnessAnswers {
    pub answers: Vec<CharacterAndFitnessAnswer>,
}

/// Every reason the answers cannot be submitted, or `Ok`: each question
/// answered exactly once, no unknown key, a non-blank statement of at most
/// [`STATEMENT_MAX_CHARS`] characters with every "yes", none with a "no".
///
/// Fields: `answers[i].key` for an unknown or repeated key,
/// `answers.<key>` for an unanswered question, `answers.<key>.statement`
/// for a statement.
pub fn check(answers: &CharacterAndFitnessAnswers) -> Result<(), Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut push = |field: String, message: String| errors.push(FieldError {
        field,
        message,
        rule: None,
        citation: None,
    });
    let mut seen = BTreeSet::new();

    for (i, given) in answers.answers.iter().enumerate() {
        let Some(question) = QUESTIONS.iter().find(|q| q.key == given.key) else {
            push(
                format!("answers[{i}].key"),
                format!("{:?} is not a Character & Fitness question.", given.key),
            );
            continue;
        };
        if !seen.insert(question.key) {
            push(
                format!("answers[{i}].key"),
                format!("{} is answered more than once.", question.key),
            );
            continue;
        }
        let field = format!("answers.{}.statement", question.key);
        let statement = given.statement.as_deref().map(str::trim);
        match (given.answer, statement) {
            (true, None | Some("")) => push(
                field,
                "A \"yes\" needs a statement explaining the circumstances.".to_owned(),
            ),
            (true, Some(text)) if text.chars().count() > STATEMENT_MAX_CHARS => push(
                field,
                format!(
                    "A statement may be at most {STATEMENT_MAX_CHARS} characters; this one has {}.",
                    text.chars().count()
                ),
            ),
            (false, Some(text)) if !text.is_empty() => push(
                field,
                "A statement goes only with a \"yes\"; remove it or change the answer.".to_owned(),
            ),
            _ => {}
        }
    }
    for question in QUESTIONS {
        if !seen.contains(question.key) {
            push(
                format!("answers.{}", question.key),
                "This question is not answered.".to_owned(),
            );
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all_no() -> Vec<CharacterAndFitnessAnswer> {
        QUESTIONS
            .iter()
            .map(|q| CharacterAndFitnessAnswer {
                key: q.key.to_owned(),
                answer: false,
                statement: None,
            })
            .collect()
    }

    fn with(change: impl FnOnce(&mut Vec<CharacterAndFitnessAnswer>)) -> Vec<String> {
        let mut answers = all_no();
        change(&mut answers);
        match check(&CharacterAndFitnessAnswers { answers }) {
            Ok(()) => Vec::new(),
            Err(errors) => errors.into_iter().map(|e| e.field).collect(),
        }
    }

    fn yes(statement: Option<&str>) -> impl FnOnce(&mut Vec<CharacterAndFitnessAnswer>) {
        let statement = statement.map(str::to_owned);
        move |answers| {
            answers[0].answer = true;
            answers[0].statement = statement;
        }
    }

    #[test]
    fn keys_are_unique_and_stable() {
        let keys: BTreeSet<_> = QUESTIONS.iter().map(|q| q.key).collect();
        assert_eq!(keys.len(), QUESTIONS.len());
        assert_eq!(QUESTIONS[0].key, "criminal_conviction");
    }

    #[test]
    fn questions_from_the_regulation_cite_it() {
        // (key, citation) — Sec. 15(1) grounds for revocation, 15(2)(b) reapplication.
        let cases = [
            (
                "trainer_credential_revoked",
                "922 KAR 2:240 Section 15(2)(b)",
            ),
            ("falsified_record", "922 KAR 2:240 Section 15(1)(a)"),
            (
                "training_requirements_violation",
                "922 KAR 2:240 Section 15(1)(b)",
            ),
            (
                "records_confidentiality_breach",
                "922 KAR 2:240 Section 15(1)(c)",
            ),
        ];
        for (key, citation) in cases {
            let question = QUESTIONS.iter().find(|q| q.key == key).unwrap();
            assert_eq!(question.citation.unwrap().to_string(), citation);
        }
    }

    #[test]
    fn every_yes_needs_a_statement_and_every_no_none() {
        let statement = "answers.criminal_conviction.statement";
        let too_long = "x".repeat(STATEMENT_MAX_CHARS + 1);
        let longest = "é".repeat(STATEMENT_MAX_CHARS);
        // (case, fields refused) — the guide: a "yes" asks for a statement.
        let cases: Vec<(&str, Vec<String>)> = vec![
            ("all no", with(|_| {})),
            ("yes with a statement", with(yes(Some("2009, dismissed.")))),
            ("yes without a statement", with(yes(None))),
            ("yes with a blank statement", with(yes(Some("  \n")))),
            ("yes at the length limit", with(yes(Some(&longest)))),
            ("yes over the length limit", with(yes(Some(&too_long)))),
            (
                "no with a statement",
                with(|a| a[0].statement = Some("why".to_owned())),
            ),
            (
                "no with a blank statement",
                with(|a| a[0].statement = Some(" ".to_owned())),
            ),
        ];
        let expected: [&[&str]; 8] = [
            &[],
            &[],
            &[statement],
            &[statement],
            &[],
            &[statement],
            &[statement],
            &[],
        ];
        for ((case, fields), expected) in cases.into_iter().zip(expected) {
            assert_eq!(fields, expected, "{case}");
        }
    }

    #[test]
    fn every_question_once_and_no_unknown_keys() {
        // (case, fields refused)
        let cases: [(&str, Vec<String>, &[&str]); 3] = [
            (
                "one unanswered",
                with(|a| {
                    a.remove(1);
                }),
                &["answers.pending_charges"],
            ),
            (
                "answered twice",
                with(|a| a.push(a[0].clone())),
                &["answers[8].key"],
            ),
            (
                "unknown key",
                with(|a| {
                    a.push(CharacterAndFitnessAnswer {
                        key: "favourite_colour".to_owned(),
                        answer: true,
                        statement: None,
                    })
                }),
                &["answers[8].key"],
            ),
        ];
        for (case, fields, expected) in cases {
            assert_eq!(fields, expected, "{case}");
        }
        let none = check(&CharacterAndFitnessAnswers::default()).unwrap_err();
        assert_eq!(none.len(), QUESTIONS.len(), "every question reported");
    }
}
