//! Tests of `completeness::overview`: per element and clause (each row names
//! its clause), whole walks through applications, and the law that adding
//! element data never undoes a complete element.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use proptest::prelude::*;

use super::completeness::{ElementStatus, Evaluation, Overview, overview};
use super::element_data::{ElementData, ThirdParty};
use super::plan::{ApplicationPlan, plan};
use super::questions::Answers;
use super::{ElementKey as K, RequestType as T};
use crate::rules::{
    CeCategory, CeEntry, ClockHours, CreditHours, Degree, DegreeField, DegreeLevel,
    ExperienceYears, Level, Topic, qualifying_paths,
};

type Data = BTreeMap<K, ElementData>;

fn d(raw: &str) -> NaiveDate {
    NaiveDate::parse_from_str(raw, "%Y-%m-%d").unwrap()
}

const TODAY: &str = "2026-03-01";
const BORN: &str = "1990-05-01";

fn party(name: &str) -> Option<ThirdParty> {
    Some(ThirdParty {
        name: name.to_owned(),
        email: "someone@example.org".to_owned(),
    })
}

fn hours(h: u32) -> Option<ClockHours> {
    Some(ClockHours::whole(h))
}

fn years(y: u32) -> Option<ExperienceYears> {
    Some(ExperienceYears::whole(y))
}

fn new_plan(request_types: &[T], path: Option<&str>, online: bool) -> ApplicationPlan {
    plan(
        request_types,
        &Answers {
            first_time_applicant: Some(true),
            conducts_online_training: Some(online),
            qualification_path: path.map(str::to_owned),
            renewal_level: None,
        },
    )
    .unwrap()
}

fn renewal_plan(level: Level) -> ApplicationPlan {
    plan(
        &[T::Renewal],
        &Answers {
            first_time_applicant: None,
            conducts_online_training: Some(false),
            qualification_path: None,
            renewal_level: Some(level),
        },
    )
    .unwrap()
}

const L3_PATH: &str = "sec7_1_a_2_ece_experience_and_related_bachelor";
const L2_CDA_PATH: &str = "sec6_1_a_1_cda_and_ece_experience";

fn l3_plan() -> ApplicationPlan {
    new_plan(&[T::NewLevel3], Some(L3_PATH), false)
}

fn personal() -> ElementData {
    ElementData::PersonalInformation {
        high_school_diploma: Some(true),
    }
}

fn trainings() -> ElementData {
    ElementData::RequiredTrainings {
        intro_training_clock_hours: hours(2),
        data_system_training_clock_hours: hours(2),
        formal_ece_training_clock_hours: None,
        data_system_training_previously_verified: None,
    }
}

fn topics() -> ElementData {
    ElementData::Topics {
        topics: Topic::ALL.into_iter().collect(),
    }
}

fn experience(ece_years: u32) -> ElementData {
    ElementData::Experience {
        ece_experience_years: years(ece_years),
        related_field_experience_years: None,
        employer: party("Ann Director"),
    }
}

fn verification() -> ElementData {
    ElementData::ExperienceVerification {
        verified: Some(true),
        ece_experience_years: years(1),
        verifier_name: Some("Ann Director".to_owned()),
    }
}

fn seminar(on: &str) -> ElementData {
    ElementData::Seminar {
        completed_on: Some(d(on)),
    }
}

fn attestation() -> ElementData {
    ElementData::Attestation {
        attested: Some(true),
        signature: Some("Jane Q. Trainer".to_owned()),
    }
}

fn education(level: DegreeLevel, field: DegreeField) -> ElementData {
    ElementData::Education {
        degrees: vec![Degree::new(level, field)],
        ece_credit_hours: None,
        child_development_credit_hours: None,
    }
}

/// Everything a Level 3 applicant by Sec. 7(1)(a)2 saves.
fn l3_data() -> Data {
    [
        personal(),
        education(DegreeLevel::Bachelor, DegreeField::Related),
        experience(1),
        verification(),
        trainings(),
        topics(),
        seminar("2025-10-01"),
        attestation(),
    ]
    .into_iter()
    .map(|data| (data.key(), data))
    .collect()
}

fn view(plan: &ApplicationPlan, data: &Data, cf: bool, pending: &[K]) -> Overview {
    overview(
        plan,
        d(BORN),
        d(TODAY),
        data,
        cf,
        &pending.iter().copied().collect(),
    )
}

fn status(overview: &Overview, key: K) -> ElementStatus {
    overview.element(key).unwrap().status
}

fn missing_rules(overview: &Overview, key: K) -> Vec<&'static str> {
    overview
        .element(key)
        .unwrap()
        .missing
        .iter()
        .map(|m| m.rule)
        .collect()
}

/// Replaces one element's data in `base`, then checks that element.
fn check_rows(plan: &ApplicationPlan, base: &Data, rows: Vec<(&str, ElementData, &[&str])>) {
    for (clause, data, expected) in rows {
        let key = data.key();
        let mut saved = base.clone();
        saved.insert(key, data);
        let overview = view(plan, &saved, true, &[]);
        let expected_status = if expected.is_empty() {
            ElementStatus::Complete
        } else {
            ElementStatus::Incomplete
        };
        assert_eq!(status(&overview, key), expected_status, "{clause}");
        assert_eq!(missing_rules(&overview, key), expected, "{clause}");
        assert_eq!(overview.ready_for_payment, expected.is_empty(), "{clause}");
    }
}

#[test]
fn level_3_walk_from_nothing_to_payment() {
    let plan = l3_plan();
    let full = l3_data();

    // Nothing saved: every element not started, with nothing listed yet.
    let start = view(&plan, &Data::new(), false, &[]);
    assert!(
        start
            .elements
            .iter()
            .all(|e| e.status == ElementStatus::NotStarted)
    );
    assert!(start.elements.iter().all(|e| e.missing.is_empty()));
    assert!(!start.ready_for_payment);
    assert!(!start.evaluation.eligible());

    // Saved one by one, each element is complete on its own.
    let mut saved = Data::new();
    let mut pending = vec![];
    for key in plan.elements.iter().map(|e| e.key) {
        if key == K::CharacterAndFitness {
            continue;
        }
        if key == K::ExperienceVerification {
            // The employer is asked: waiting on them.
            pending.push(key);
            let waiting = view(&plan, &saved, false, &pending);
            assert_eq!(status(&waiting, key), ElementStatus::InProgress);
            pending.clear();
        }
        saved.insert(key, full[&key].clone());
        let now = view(&plan, &saved, false, &pending);
        assert_eq!(status(&now, key), ElementStatus::Complete, "{key:?}");
        assert!(
            !now.ready_for_payment,
            "{key:?}: Character & Fitness is not submitted"
        );
    }

    let done = view(&plan, &saved, true, &[]);
    assert_eq!(
        status(&done, K::CharacterAndFitness),
        ElementStatus::Complete
    );
    assert!(done.ready_for_payment);
    assert!(done.evaluation.eligible(), "{:?}", done.evaluation.unmet());
    assert!(done.other_missing.is_empty());
    let Evaluation::NewCredential(evaluation) = &done.evaluation else {
        panic!("a new credential")
    };
    assert_eq!(
        evaluation.met_by.unwrap().to_string(),
        "922 KAR 2:240 Section 7(1)(a)2"
    );
}

#[test]
fn level_3_elements_clause_by_clause() {
    let plan = l3_plan();
    let trainings_with = |intro: u32, data: u32| ElementData::RequiredTrainings {
        intro_training_clock_hours: Some(ClockHours::from_minutes(intro)),
        data_system_training_clock_hours: Some(ClockHours::from_minutes(data)),
        formal_ece_training_clock_hours: None,
        data_system_training_previously_verified: None,
    };
    let mut five_topics: BTreeSet<Topic> = Topic::ALL.into_iter().collect();
    five_topics.remove(&Topic::ChildAssessments);
    five_topics.remove(&Topic::ProfessionalDevelopment);
    // (clause, the element's data, missing rule ids; none = complete)
    let rows: Vec<(&str, ElementData, &[&str])> = vec![
        ("Sec. 2(2) diploma", personal(), &[]),
        (
            "Sec. 2(2) unanswered",
            ElementData::PersonalInformation {
                high_school_diploma: None,
            },
            &["sec2_2_high_school_diploma"],
        ),
        (
            "Sec. 2(2) no diploma",
            ElementData::PersonalInformation {
                high_school_diploma: Some(false),
            },
            &["sec2_2_high_school_diploma"],
        ),
        (
            "Sec. 2(3)-(4) exactly 2 h each",
            trainings_with(120, 120),
            &[],
        ),
        (
            "Sec. 2(3) 1 h 59 min",
            trainings_with(119, 120),
            &["sec2_3_introduction_training"],
        ),
        (
            "Sec. 2(4) 1.75 h",
            trainings_with(120, 105),
            &["sec2_4_data_system_training"],
        ),
        (
            "Sec. 2(5)(c), (e) missing",
            ElementData::Topics {
                topics: five_topics,
            },
            &[
                "sec2_5_c_professional_development",
                "sec2_5_e_child_assessments",
            ],
        ),
        (
            "Sec. 7(1)(a)2 related bachelor",
            education(DegreeLevel::Bachelor, DegreeField::Related),
            &[],
        ),
        (
            "Sec. 7(1)(a)2 a master's in ECE is more (Degree::satisfies)",
            education(DegreeLevel::Master, DegreeField::Ece),
            &[],
        ),
        (
            "Sec. 7(1)(a)2 an associate degree is less",
            education(DegreeLevel::Associate, DegreeField::Ece),
            &[L3_PATH],
        ),
        (
            "Sec. 7(1)(a)2 an unrelated bachelor's is farther",
            education(DegreeLevel::Bachelor, DegreeField::Unrelated),
            &[L3_PATH],
        ),
        ("Sec. 7(1)(a)2 one year", experience(1), &[]),
        (
            "Sec. 7(1)(a)2 eleven months",
            ElementData::Experience {
                ece_experience_years: Some(ExperienceYears::from_months(11)),
                related_field_experience_years: None,
                employer: party("Ann Director"),
            },
            &[L3_PATH],
        ),
        (
            "Sec. 3(1)(a) no employer to verify",
            ElementData::Experience {
                ece_experience_years: years(1),
                related_field_experience_years: None,
                employer: party(" "),
            },
            &["experience_employer_named"],
        ),
        (
            "Sec. 3(1)(a) not verified",
            ElementData::ExperienceVerification {
                verified: Some(false),
                ece_experience_years: None,
                verifier_name: Some("Ann".to_owned()),
            },
            &["experience_verified"],
        ),
        (
            "Sec. 3(1)(a) verifier unnamed",
            ElementData::ExperienceVerification {
                verified: Some(true),
                ece_experience_years: None,
                verifier_name: None,
            },
            &["experience_verifier_named"],
        ),
        ("Sec. 7(1)(b) seminar done", seminar(TODAY), &[]),
        (
            "Sec. 7(1)(b) seminar not done",
            ElementData::Seminar { completed_on: None },
            &["sec7_1_b_trainers_seminar"],
        ),
        (
            "Sec. 4 seminar dated tomorrow",
            seminar("2026-03-02"),
            &["sec7_1_b_trainers_seminar", "seminar_completed_on"],
        ),
        (
            "Sec. 3(1)(a) unsigned",
            ElementData::Attestation {
                attested: Some(true),
                signature: Some("  ".to_owned()),
            },
            &["attestation_signed"],
        ),
        (
            "Sec. 3(1)(a) not attested",
            ElementData::Attestation {
                attested: None,
                signature: Some("Jane".to_owned()),
            },
            &["attestation_attested"],
        ),
    ];
    check_rows(&plan, &l3_data(), rows);
}

#[test]
fn only_the_chosen_paths_gaps_are_reported() {
    let plan = l3_plan();
    let mut data = l3_data();
    data.remove(&K::Education);
    data.insert(K::Experience, experience(0));
    let overview = view(&plan, &data, true, &[]);
    // The engine reports all three paths of Sec. 7(1)(a); the overview only
    // 7(1)(a)2, one item per element.
    assert_eq!(missing_rules(&overview, K::Experience), [L3_PATH]);
    assert_eq!(status(&overview, K::Education), ElementStatus::NotStarted);
    let message = &overview.element(K::Experience).unwrap().missing[0].message;
    assert_eq!(
        message,
        "Level 3 by Section 7(1)(a)2 needs 1 year of full-time, paid experience in the early \
         care and education field."
    );
    assert!(overview.other_missing.is_empty());
}

#[test]
fn another_path_met_meets_the_level() {
    // Chose 7(1)(a)2 but holds 7(1)(a)1 (3 years and 30 credit hours): the
    // engine's Sec. 14(1) decision is what counts.
    let plan = l3_plan();
    let mut data = l3_data();
    data.insert(K::Experience, experience(3));
    data.insert(
        K::Education,
        ElementData::Education {
            degrees: vec![],
            ece_credit_hours: Some(CreditHours::whole(30)),
            child_development_credit_hours: None,
        },
    );
    let overview = view(&plan, &data, true, &[]);
    assert_eq!(status(&overview, K::Education), ElementStatus::Complete);
    assert!(overview.ready_for_payment);
}

#[test]
fn age_is_counted_to_today() {
    let plan = l3_plan();
    // (clause, date of birth, missing on personal information)
    let cases: [(&str, &str, &[&str]); 2] = [
        ("Sec. 2(1) 21 today", "2005-03-01", &[]),
        ("Sec. 2(1) 21 tomorrow", "2005-03-02", &["sec2_1_age"]),
    ];
    for (clause, born, expected) in cases {
        let overview = overview(&plan, d(born), d(TODAY), &l3_data(), true, &BTreeSet::new());
        assert_eq!(
            missing_rules(&overview, K::PersonalInformation),
            expected,
            "{clause}"
        );
        assert_eq!(overview.ready_for_payment, expected.is_empty(), "{clause}");
    }
}

#[test]
fn seminar_waiver_clause_by_clause() {
    let plan = new_plan(&[T::NewLevel3, T::SeminarWaiver], Some(L3_PATH), false);
    let mut base = l3_data();
    base.remove(&K::Seminar);
    let waiver =
        |on: Option<&str>, matches: Option<bool>, described: bool| ElementData::SeminarWaiver {
            coursework_completed_on: on.map(d),
            curriculum_matches: matches,
            coursework_description: described.then(|| "EDU 350, Adult Learning".to_owned()),
        };
    // (clause, data, missing)
    let rows: Vec<(&str, ElementData, &[&str])> = vec![
        (
            "Sec. 3(4) granted",
            waiver(Some("2016-03-01"), Some(true), true),
            &[],
        ),
        (
            "Sec. 3(4)(a) ten years and a day",
            waiver(Some("2016-02-29"), Some(true), true),
            &[
                "sec7_1_b_trainers_seminar",
                "sec3_4_a_coursework_within_ten_years",
            ],
        ),
        (
            "Sec. 3(4)(b) curriculum does not match",
            waiver(Some("2020-01-01"), Some(false), true),
            &["sec7_1_b_trainers_seminar", "sec3_4_b_curriculum_matches"],
        ),
        (
            "Sec. 3(4)(b) documentation described",
            waiver(Some("2020-01-01"), Some(true), false),
            &["seminar_waiver_coursework_described"],
        ),
        (
            "Sec. 3(4)(a) no coursework date",
            waiver(None, Some(true), true),
            &["sec7_1_b_trainers_seminar"],
        ),
    ];
    check_rows(&plan, &base, rows);
}

#[test]
fn online_trainers_need_the_course() {
    let plan = new_plan(&[T::NewLevel3], Some(L3_PATH), true);
    // (clause, data, missing)
    let rows: Vec<(&str, ElementData, &[&str])> = vec![
        (
            "Sec. 3(2) completed",
            ElementData::OnlineTrainingCourse {
                completed_on: Some(d("2025-01-01")),
            },
            &[],
        ),
        (
            "Sec. 3(2) not completed",
            ElementData::OnlineTrainingCourse { completed_on: None },
            &["sec3_2_online_training_development_course"],
        ),
    ];
    check_rows(&plan, &l3_data(), rows);
}

fn l2_data() -> Data {
    let mut data = l3_data();
    data.remove(&K::Education);
    data.insert(K::Experience, experience(3));
    data.insert(
        K::CredentialsHeld,
        ElementData::CredentialsHeld {
            cda_or_director_credential: Some(true),
            credential_name: Some("CDA, Preschool".to_owned()),
        },
    );
    data
}

/// (clause, co-training data, pending, status, missing)
type CoTrainingRow = (
    &'static str,
    Option<ElementData>,
    bool,
    ElementStatus,
    &'static [&'static str],
);

#[test]
fn level_2_co_training_is_optional_and_never_blocks_payment() {
    let plan = new_plan(&[T::NewLevel2], Some(L2_CDA_PATH), false);
    let co_training = |h: Option<u32>, who: &str| ElementData::CoTraining {
        co_trainer: party(who),
        clock_hours: h.map(ClockHours::whole),
    };
    // (clause, co-training data, pending, status, missing)
    let cases: Vec<CoTrainingRow> = vec![
        (
            "Sec. 6(1)(b) not started",
            None,
            false,
            ElementStatus::NotStarted,
            &[],
        ),
        (
            "Sec. 6(1)(b) co-trainer asked",
            Some(co_training(None, "Lee Level5")),
            true,
            ElementStatus::InProgress,
            &["sec6_1_b_co_training_before_solo"],
        ),
        (
            "Sec. 6(1)(b) 11 hours",
            Some(co_training(Some(11), "Lee Level5")),
            false,
            ElementStatus::Incomplete,
            &["sec6_1_b_co_training_before_solo"],
        ),
        (
            "Sec. 6(1)(b) co-trainer unnamed",
            Some(co_training(Some(12), "")),
            false,
            ElementStatus::Incomplete,
            &["co_trainer_named"],
        ),
        (
            "Sec. 6(1)(b) 12 hours",
            Some(co_training(Some(12), "Lee Level5")),
            false,
            ElementStatus::Complete,
            &[],
        ),
    ];
    for (clause, co, pending, expected_status, expected) in cases {
        let mut data = l2_data();
        if let Some(co) = co {
            data.insert(K::CoTraining, co);
        }
        let pending: &[K] = if pending { &[K::CoTraining] } else { &[] };
        let overview = view(&plan, &data, true, pending);
        assert_eq!(
            status(&overview, K::CoTraining),
            expected_status,
            "{clause}"
        );
        assert_eq!(
            missing_rules(&overview, K::CoTraining),
            expected,
            "{clause}"
        );
        assert!(
            !overview.element(K::CoTraining).unwrap().required,
            "{clause}"
        );
        assert!(
            overview.ready_for_payment,
            "{clause}: the award is not barred"
        );
        assert!(overview.evaluation.eligible(), "{clause}");
    }
}

#[test]
fn level_2_credentials_held_clause_by_clause() {
    let plan = new_plan(&[T::NewLevel2], Some(L2_CDA_PATH), false);
    let held = |cda: Option<bool>, name: Option<&str>| ElementData::CredentialsHeld {
        cda_or_director_credential: cda,
        credential_name: name.map(str::to_owned),
    };
    // (clause, data, missing)
    let rows: Vec<(&str, ElementData, &[&str])> = vec![
        ("Sec. 6(1)(a)1.a CDA", held(Some(true), Some("CDA")), &[]),
        (
            "Sec. 6(1)(a)1.a none",
            held(Some(false), None),
            &[L2_CDA_PATH],
        ),
        (
            "Sec. 6(1)(a)1.a unnamed",
            held(Some(true), None),
            &["credential_named"],
        ),
    ];
    check_rows(&plan, &l2_data(), rows);
}

#[test]
fn level_2_by_related_experience_counts_formal_training_in_required_trainings() {
    const PATH: &str = "sec6_1_a_2_related_experience_and_formal_training";
    let path = PATH;
    let plan = new_plan(&[T::NewLevel2], Some(path), false);
    let mut base = l2_data();
    base.remove(&K::CredentialsHeld);
    base.insert(
        K::Experience,
        ElementData::Experience {
            ece_experience_years: years(2),
            related_field_experience_years: years(8),
            employer: party("Ann"),
        },
    );
    let formal = |minutes: u32| ElementData::RequiredTrainings {
        intro_training_clock_hours: hours(2),
        data_system_training_clock_hours: hours(2),
        formal_ece_training_clock_hours: Some(ClockHours::from_minutes(minutes)),
        data_system_training_previously_verified: None,
    };
    // (clause, data, missing)
    let rows: Vec<(&str, ElementData, &[&str])> = vec![
        ("Sec. 6(1)(a)2 45 hours", formal(45 * 60), &[]),
        ("Sec. 6(1)(a)2 44.75 hours", formal(45 * 60 - 15), &[PATH]),
    ];
    check_rows(&plan, &base, rows);
}

#[test]
fn specialty_needs_a_current_license_and_three_years() {
    let plan = new_plan(&[T::NewSpecialty], None, false);
    let mut base = l3_data();
    for key in [
        K::Education,
        K::Experience,
        K::ExperienceVerification,
        K::Seminar,
    ] {
        base.remove(&key);
    }
    let license =
        |area: &str, held: bool, y: u32, through: Option<&str>| ElementData::SpecialtyLicense {
            area: Some(area.to_owned()),
            license_or_certification: Some(held),
            related_experience_years: years(y),
            license_current_through: through.map(d),
        };
    const PATH: &str = "sec10_1_area_of_expertise";
    // (clause, data, missing)
    let rows: Vec<(&str, ElementData, &[&str])> = vec![
        ("Sec. 10(1)", license("Nutrition", true, 3, None), &[]),
        (
            "Sec. 10(1)(a) valid today",
            license("Nutrition", true, 3, Some(TODAY)),
            &[],
        ),
        (
            "Sec. 10(1)(a) expired yesterday",
            license("Nutrition", true, 3, Some("2026-02-28")),
            &[PATH],
        ),
        (
            "Sec. 10(1)(b) two years",
            license("Nutrition", true, 2, None),
            &[PATH],
        ),
        ("Sec. 10(1) no area", license(" ", true, 3, None), &[PATH]),
    ];
    check_rows(&plan, &base, rows);
}

fn ce(category: CeCategory, h: u32, on: &str) -> CeEntry {
    CeEntry {
        category,
        clock_hours: ClockHours::whole(h),
        completed_on: d(on),
    }
}

fn renewal_data() -> Data {
    [
        ElementData::RequiredTrainings {
            intro_training_clock_hours: None,
            data_system_training_clock_hours: None,
            formal_ece_training_clock_hours: None,
            data_system_training_previously_verified: Some(true),
        },
        ElementData::ContinuingEducation {
            issued_on: Some(d("2023-04-01")),
            ce_hours: vec![
                ce(CeCategory::TrainingAdults, 7, "2024-01-10"),
                ce(CeCategory::EarlyCareAndEducation, 8, "2024-06-10"),
                ce(CeCategory::RelatedProfessional, 15, "2025-02-10"),
            ],
        },
        ElementData::CoachObservation {
            observed_on: Some(d("2025-11-01")),
            coach: party("Casey Coach"),
        },
        attestation(),
    ]
    .into_iter()
    .map(|data| (data.key(), data))
    .collect()
}

#[test]
fn level_3_renewal_walk() {
    let plan = renewal_plan(Level::Level3);
    let start = view(&plan, &Data::new(), false, &[K::CoachObservation]);
    assert_eq!(
        status(&start, K::ContinuingEducation),
        ElementStatus::NotStarted
    );
    assert_eq!(
        status(&start, K::CoachObservation),
        ElementStatus::InProgress
    );
    assert!(!start.ready_for_payment);

    let done = view(&plan, &renewal_data(), true, &[]);
    assert!(done.ready_for_payment, "{:?}", done.elements);
    let Evaluation::Renewal(evaluation) = &done.evaluation else {
        panic!("a renewal")
    };
    assert!(evaluation.eligible);
    assert_eq!(
        evaluation.expires_on,
        d("2026-04-01"),
        "Sec. 13(2): three years"
    );
    assert_eq!(evaluation.continuing_education.total, ClockHours::whole(30));
}

#[test]
fn renewal_elements_clause_by_clause() {
    let plan = renewal_plan(Level::Level3);
    let ce_with = |issued: Option<&str>, entries: Vec<CeEntry>| ElementData::ContinuingEducation {
        issued_on: issued.map(d),
        ce_hours: entries,
    };
    let short = vec![
        ce(CeCategory::TrainingAdults, 6, "2024-01-10"),
        ce(CeCategory::EarlyCareAndEducation, 8, "2024-06-10"),
        ce(CeCategory::RelatedProfessional, 15, "2025-02-10"),
    ];
    let complete = match &renewal_data()[&K::ContinuingEducation] {
        ElementData::ContinuingEducation { ce_hours, .. } => ce_hours.clone(),
        _ => unreachable!(),
    };
    // (clause, data, missing)
    let rows: Vec<(&str, ElementData, &[&str])> = vec![
        (
            "Sec. 13(3)(b), (b)1: 29 hours, 6 training adults",
            ce_with(Some("2023-04-01"), short),
            &[
                "sec13_3_b_continuing_education",
                "sec13_3_b_1_training_adults",
            ],
        ),
        (
            "Sec. 13(3)(b) hours before the issue date do not count",
            ce_with(Some("2024-01-11"), complete.clone()),
            &[
                "sec13_3_b_continuing_education",
                "sec13_3_b_1_training_adults",
            ],
        ),
        (
            "Sec. 13(3)(b) no issue date",
            ce_with(None, complete),
            &[
                "sec13_3_b_continuing_education",
                "sec13_3_b_1_training_adults",
                "sec13_3_b_2_early_care_and_education",
                "continuing_education_issued_on",
            ],
        ),
        (
            "Sec. 13(3)(d) observation dated tomorrow",
            ElementData::CoachObservation {
                observed_on: Some(d("2026-03-02")),
                coach: party("Casey"),
            },
            &["sec13_3_d_coach_observation"],
        ),
        (
            "Sec. 13(3)(d) coach unnamed",
            ElementData::CoachObservation {
                observed_on: Some(d("2025-11-01")),
                coach: None,
            },
            &["coach_named"],
        ),
        (
            "Sec. 13(3)(c) not verified before, 2 hours now",
            ElementData::RequiredTrainings {
                intro_training_clock_hours: None,
                data_system_training_clock_hours: hours(2),
                formal_ece_training_clock_hours: None,
                data_system_training_previously_verified: Some(false),
            },
            &[],
        ),
        (
            "Sec. 13(3)(c) not verified",
            ElementData::RequiredTrainings {
                intro_training_clock_hours: None,
                data_system_training_clock_hours: None,
                formal_ece_training_clock_hours: None,
                data_system_training_previously_verified: Some(false),
            },
            &["sec13_3_c_data_system_training"],
        ),
    ];
    check_rows(&plan, &renewal_data(), rows);
}

#[test]
fn specialty_and_level_5_renewals() {
    let specialty = renewal_plan(Level::Specialty);
    let mut base = renewal_data();
    base.remove(&K::ContinuingEducation);
    base.remove(&K::CoachObservation);
    let license = |area: &str, through: &str| ElementData::SpecialtyLicense {
        area: Some(area.to_owned()),
        license_or_certification: Some(true),
        related_experience_years: None,
        license_current_through: Some(d(through)),
    };
    // (clause, data, missing)
    let rows: Vec<(&str, ElementData, &[&str])> = vec![
        ("Sec. 13(5)(b)2 current", license("CPR", "2027-01-01"), &[]),
        (
            "Sec. 13(5)(b)2 expired",
            license("CPR", "2026-02-28"),
            &["sec13_5_b_2_current_license"],
        ),
        (
            "Sec. 13(5)(b)2 area named",
            license("", "2027-01-01"),
            &["specialty_area_named"],
        ),
        (
            "Sec. 13(5)(b)3 not verified",
            ElementData::RequiredTrainings {
                intro_training_clock_hours: None,
                data_system_training_clock_hours: None,
                formal_ece_training_clock_hours: None,
                data_system_training_previously_verified: None,
            },
            &["sec13_5_b_3_data_system_training"],
        ),
    ];
    base.insert(K::SpecialtyLicense, license("CPR", "2027-01-01"));
    check_rows(&specialty, &base, rows);

    let level_5 = renewal_plan(Level::Level5);
    let mut data = renewal_data();
    data.remove(&K::ContinuingEducation);
    data.remove(&K::CoachObservation);
    assert!(
        view(&level_5, &data, true, &[]).ready_for_payment,
        "Sec. 13(4)"
    );
}

/// Every plan `plan()` can make, over request types, paths and answers.
fn every_plan() -> Vec<ApplicationPlan> {
    let mut plans = Vec::new();
    for online in [false, true] {
        for request_type in NEW_CREDENTIALS {
            let level = request_type.new_level().unwrap();
            let paths = qualifying_paths(level);
            for path in &paths {
                let choice = (paths.len() > 1).then_some(path.rule);
                plans.push(new_plan(&[request_type], choice, online));
                if level.needs_seminar() {
                    plans.push(new_plan(&[request_type, T::SeminarWaiver], choice, online));
                }
            }
        }
        for level in super::questions::RENEWABLE_LEVELS {
            let answers = Answers {
                first_time_applicant: None,
                conducts_online_training: Some(online),
                qualification_path: None,
                renewal_level: Some(level),
            };
            plans.push(plan(&[T::Renewal], &answers).unwrap());
        }
    }
    plans
}

const NEW_CREDENTIALS: [T; 6] = [
    T::NewLevel1,
    T::NewLevel2,
    T::NewLevel3,
    T::NewLevel4,
    T::NewLevel5,
    T::NewSpecialty,
];

#[test]
fn every_finding_belongs_to_an_element_of_the_plan() {
    // Nothing saved, and every element saved empty: each engine finding is
    // attributed to an element, none left over.
    for plan in every_plan() {
        let empty: Data = plan
            .elements
            .iter()
            .filter_map(|e| ElementData::empty(e.key))
            .map(|data| (data.key(), data))
            .collect();
        for data in [Data::new(), empty] {
            let overview = overview(
                &plan,
                d("2010-01-01"),
                d(TODAY),
                &data,
                false,
                &BTreeSet::new(),
            );
            assert!(
                overview.other_missing.is_empty(),
                "{:?} {:?}: {:?}",
                plan.request_types,
                plan.qualification_path.as_ref().map(|p| p.rule),
                overview.other_missing
            );
            assert!(!overview.ready_for_payment);
        }
    }
}

#[test]
fn saved_elements_with_missing_items_are_incomplete_never_silent() {
    for plan in every_plan() {
        let empty: Data = plan
            .elements
            .iter()
            .filter_map(|e| ElementData::empty(e.key))
            .map(|data| (data.key(), data))
            .collect();
        let overview = overview(&plan, d(BORN), d(TODAY), &empty, false, &BTreeSet::new());
        for element in &overview.elements {
            match element.status {
                ElementStatus::Incomplete => assert!(!element.missing.is_empty()),
                ElementStatus::Complete => assert!(element.missing.is_empty()),
                ElementStatus::NotStarted => assert_eq!(element.key, K::CharacterAndFitness),
                ElementStatus::InProgress => panic!("nothing is pending"),
            }
        }
    }
}

/// Candidate data for an element: good, partial, and wrong.
fn candidates(key: K) -> Vec<ElementData> {
    let mut out: Vec<ElementData> = ElementData::empty(key).into_iter().collect();
    out.extend(match key {
        K::PersonalInformation => vec![personal()],
        K::Education => vec![
            education(DegreeLevel::Bachelor, DegreeField::Related),
            education(DegreeLevel::Associate, DegreeField::Ece),
        ],
        K::CredentialsHeld => l2_data().remove(&K::CredentialsHeld).into_iter().collect(),
        K::Experience => vec![experience(1), experience(3), experience(0)],
        K::ExperienceVerification => vec![verification()],
        K::RequiredTrainings => vec![trainings()],
        K::Topics => vec![topics()],
        K::Seminar => vec![seminar("2025-10-01"), seminar("2027-01-01")],
        K::CoTraining => vec![ElementData::CoTraining {
            co_trainer: party("Lee"),
            clock_hours: hours(12),
        }],
        K::OnlineTrainingCourse => vec![ElementData::OnlineTrainingCourse {
            completed_on: Some(d("2025-01-01")),
        }],
        K::Attestation => vec![attestation()],
        _ => vec![],
    });
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Adding the data of elements not yet saved never turns a complete
    /// element incomplete (the engine's monotonicity, and element checks
    /// that look only at their own element).
    #[test]
    fn adding_element_data_never_undoes_a_complete_element(
        plan_index in 0usize..4,
        picks in prop::collection::vec(0usize..4, ELEMENT_COUNT),
        in_first in prop::collection::vec(any::<bool>(), ELEMENT_COUNT),
        in_second in prop::collection::vec(any::<bool>(), ELEMENT_COUNT),
        cf in any::<bool>(),
    ) {
        let plans = [
            l3_plan(),
            new_plan(&[T::NewLevel2], Some(L2_CDA_PATH), true),
            new_plan(&[T::NewLevel4, T::SeminarWaiver], Some("sec8_1_a_1_ece_experience_and_ece_bachelor"), false),
            new_plan(&[T::NewLevel1], None, false),
        ];
        let plan = &plans[plan_index];
        let mut first = Data::new();
        let mut second = Data::new();
        for (i, key) in K::ALL.into_iter().enumerate() {
            let options = candidates(key);
            if options.is_empty() {
                continue;
            }
            let data = options[picks[i] % options.len()].clone();
            if in_first[i] {
                first.insert(key, data.clone());
                second.insert(key, data);
            } else if in_second[i] {
                second.insert(key, data);
            }
        }
        let before = view(plan, &first, cf, &[]);
        let after = view(plan, &second, cf, &[]);
        for element in &before.elements {
            if element.status == ElementStatus::Complete {
                prop_assert_eq!(status(&after, element.key), ElementStatus::Complete, "{:?}", element.key);
            }
        }
        prop_assert!(!before.ready_for_payment || after.ready_for_payment);
    }
}

const ELEMENT_COUNT: usize = K::ALL.len();
