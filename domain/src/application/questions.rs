//! The clarifying questions the guide asks after request types are chosen
//! ("The system will ask you a couple of clarifying questions to determine
//! the appropriate application for you"), and the answers that choose the
//! application's elements (see `plan`).
//!
//! Which questions apply:
//! - `first_time_applicant` (Sec. 3(4): only a first-time applicant may ask
//!   for the seminar waiver) — to new-credential requests and the waiver.
//! - `conducts_online_training` (Sec. 3(2): "Applicants and trainers
//!   conducting online trainings or webinars") — to every request.
//! - `qualification_path` — to a new level with more than one way to
//!   qualify (Levels 2–5, Sec. 6(1)(a)–9(1)(a)); the choices are the rules
//!   engine's `qualifying_paths`, their values its rule ids.
//! - `renewal_level` — to a renewal: Levels 2–5 and the Specialty Level, the
//!   ones Sec. 13(2) and 13(5) renew (Level 1 does not renew, 13(1)(b)).

use crate::rules::citation::sec;
use crate::rules::{Citation, Level, QualifyingPath, qualifying_paths};

use super::RequestType;

/// The answers to the clarifying questions; `None` is "not answered".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Answers {
    pub first_time_applicant: Option<bool>,
    pub conducts_online_training: Option<bool>,
    /// A rule id of `rules::qualifying_paths(level)`, e.g.
    /// `sec7_1_a_2_ece_experience_and_related_bachelor`.
    pub qualification_path: Option<String>,
    pub renewal_level: Option<Level>,
}

/// The stable keys of the questions (also the `answers.<key>` of errors).
pub const FIRST_TIME_APPLICANT: &str = "first_time_applicant";
pub const CONDUCTS_ONLINE_TRAINING: &str = "conducts_online_training";
pub const QUALIFICATION_PATH: &str = "qualification_path";
pub const RENEWAL_LEVEL: &str = "renewal_level";

/// The levels a renewal may name (Sec. 13(2), 13(5)).
pub const RENEWABLE_LEVELS: [Level; 5] = [
    Level::Level2,
    Level::Level3,
    Level::Level4,
    Level::Level5,
    Level::Specialty,
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Question {
    pub key: &'static str,
    pub prompt: String,
    pub kind: QuestionKind,
    pub required: bool,
    /// The clause the answer matters for.
    pub citation: Option<Citation>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QuestionKind {
    YesNo,
    Choice(Vec<Choice>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    /// What the client sends back.
    pub value: String,
    pub label: String,
}

/// The level a selection asks a new credential for (the first, when an
/// invalid selection names several; `plan` refuses those).
pub(crate) fn new_level_of(request_types: &[RequestType]) -> Option<Level> {
    request_types.iter().find_map(|t| t.new_level())
}

/// The clause of a path as a person reads it: "Section 7(1)(a)2".
pub(crate) fn path_label(path: &QualifyingPath) -> String {
    format!(
        "Section {}{}: {}",
        path.citation.section(),
        path.citation.subdivision(),
        path.summary
    )
}

/// The questions that apply to `request_types`, in a fixed order.
pub fn questions(request_types: &[RequestType]) -> Vec<Question> {
    let new_level = new_level_of(request_types);
    let waiver = request_types.contains(&RequestType::SeminarWaiver);
    let renewal = request_types.contains(&RequestType::Renewal);
    let mut questions = Vec::new();

    if new_level.is_some() || waiver {
        questions.push(Question {
            key: FIRST_TIME_APPLICANT,
            prompt: "Is this your first application for a Kentucky Early Care and Education \
                     Trainer's Credential?"
                .to_owned(),
            kind: QuestionKind::YesNo,
            required: true,
            citation: Some(sec(3, "(4)")),
        });
    }
    if !request_types.is_empty() {
        questions.push(Question {
            key: CONDUCTS_ONLINE_TRAINING,
            prompt: "Do you conduct, or plan to conduct, online trainings or webinars?".to_owned(),
            kind: QuestionKind::YesNo,
            required: true,
            citation: Some(sec(3, "(2)")),
        });
    }
    if let Some(level) = new_level {
        let paths = qualifying_paths(level);
        if paths.len() > 1 {
            questions.push(Question {
                key: QUALIFICATION_PATH,
                prompt: format!(
                    "Which education and experience qualify you for {} (Section {}(1)(a))?",
                    level.title(),
                    level.section()
                ),
                kind: QuestionKind::Choice(
                    paths
                        .iter()
                        .map(|path| Choice {
                            value: path.rule.to_owned(),
                            label: path_label(path),
                        })
                        .collect(),
                ),
                required: true,
                citation: Some(Citation::new(level.section(), "(1)(a)")),
            });
        }
    }
    if renewal {
        questions.push(Question {
            key: RENEWAL_LEVEL,
            prompt: "Which credential are you renewing?".to_owned(),
            kind: QuestionKind::Choice(
                RENEWABLE_LEVELS
                    .into_iter()
                    .map(|level| Choice {
                        value: level.as_str().to_owned(),
                        label: level.title().to_owned(),
                    })
                    .collect(),
            ),
            required: true,
            citation: Some(sec(13, "")),
        });
    }
    questions
}

/// Every request type with the questions it asks when chosen alone, for
/// `GET /request-types`. (Choosing several asks the union: `questions`.)
pub fn all_questions() -> Vec<(RequestType, Vec<Question>)> {
    RequestType::ALL
        .into_iter()
        .map(|request_type| (request_type, questions(&[request_type])))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(request_types: &[RequestType]) -> Vec<&'static str> {
        questions(request_types).iter().map(|q| q.key).collect()
    }

    #[test]
    fn each_request_type_asks_what_its_clauses_need() {
        use RequestType as T;
        // (request types, question keys, why)
        let cases: [(&[T], &[&str], &str); 9] = [
            (
                &[T::NewLevel1],
                &[FIRST_TIME_APPLICANT, CONDUCTS_ONLINE_TRAINING],
                "Sec. 5(1) has one path: nothing to choose",
            ),
            (
                &[T::NewLevel2],
                &[
                    FIRST_TIME_APPLICANT,
                    CONDUCTS_ONLINE_TRAINING,
                    QUALIFICATION_PATH,
                ],
                "Sec. 6(1)(a)1 or 2",
            ),
            (
                &[T::NewLevel3],
                &[
                    FIRST_TIME_APPLICANT,
                    CONDUCTS_ONLINE_TRAINING,
                    QUALIFICATION_PATH,
                ],
                "Sec. 7(1)(a)1-3",
            ),
            (
                &[T::NewLevel4],
                &[
                    FIRST_TIME_APPLICANT,
                    CONDUCTS_ONLINE_TRAINING,
                    QUALIFICATION_PATH,
                ],
                "Sec. 8(1)(a)1-3",
            ),
            (
                &[T::NewLevel5],
                &[
                    FIRST_TIME_APPLICANT,
                    CONDUCTS_ONLINE_TRAINING,
                    QUALIFICATION_PATH,
                ],
                "Sec. 9(1)(a)1-2",
            ),
            (
                &[T::NewSpecialty],
                &[FIRST_TIME_APPLICANT, CONDUCTS_ONLINE_TRAINING],
                "Sec. 10(1) has one path",
            ),
            (
                &[T::Renewal],
                &[CONDUCTS_ONLINE_TRAINING, RENEWAL_LEVEL],
                "Sec. 13: which credential; Sec. 3(2) binds trainers too",
            ),
            (
                &[T::SeminarWaiver],
                &[FIRST_TIME_APPLICANT, CONDUCTS_ONLINE_TRAINING],
                "Sec. 3(4): first-time applicants only",
            ),
            (
                &[T::NewLevel3, T::SeminarWaiver],
                &[
                    FIRST_TIME_APPLICANT,
                    CONDUCTS_ONLINE_TRAINING,
                    QUALIFICATION_PATH,
                ],
                "a selection asks the union once",
            ),
        ];
        for (request_types, expected, why) in cases {
            assert_eq!(keys(request_types), expected, "{why}");
        }
        assert!(questions(&[]).is_empty());
    }

    #[test]
    fn path_choices_are_the_rules_engines_paths() {
        let question = questions(&[RequestType::NewLevel3])
            .into_iter()
            .find(|q| q.key == QUALIFICATION_PATH)
            .unwrap();
        let QuestionKind::Choice(choices) = question.kind else {
            panic!("a choice")
        };
        let values: Vec<_> = choices.iter().map(|c| c.value.as_str()).collect();
        assert_eq!(
            values,
            [
                "sec7_1_a_1_ece_experience_and_associate_or_credit_hours",
                "sec7_1_a_2_ece_experience_and_related_bachelor",
                "sec7_1_a_3_ece_experience_and_unrelated_bachelor",
            ]
        );
        assert!(choices[1].label.starts_with("Section 7(1)(a)2: 1 year"));
        assert_eq!(
            question.citation.unwrap().to_string(),
            "922 KAR 2:240 Section 7(1)(a)"
        );
    }

    #[test]
    fn renewal_offers_the_renewable_levels_only() {
        let question = questions(&[RequestType::Renewal])
            .into_iter()
            .find(|q| q.key == RENEWAL_LEVEL)
            .unwrap();
        let QuestionKind::Choice(choices) = question.kind else {
            panic!("a choice")
        };
        let values: Vec<_> = choices.iter().map(|c| c.value.as_str()).collect();
        // Sec. 13(1)(b): Level 1 is not renewable.
        assert_eq!(
            values,
            ["level_2", "level_3", "level_4", "level_5", "specialty"]
        );
    }

    #[test]
    fn all_questions_lists_every_request_type() {
        let listed: Vec<_> = all_questions().into_iter().map(|(t, _)| t).collect();
        assert_eq!(listed, RequestType::ALL);
        assert!(
            all_questions()
                .iter()
                .all(|(_, qs)| qs.iter().all(|q| q.required))
        );
    }
}
