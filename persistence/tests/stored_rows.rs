//! Rows a database already holds, as the API wrote them before persistence
//! declared the stored formats, read back through the repositories; and
//! the repositories write the same text today.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::NaiveDateTime;
use diesel::prelude::*;
use kecs_domain::account::{EmailAddress, PersonName, Role, Username};
use kecs_domain::application::{
    Answers, CharacterAndFitnessAnswer, CharacterAndFitnessAnswers, DenialReason, ElementContent,
    ElementData, ElementKey, RequestType, ReviewDecision,
};
use kecs_domain::rules::{Level, Topic};
use kecs_persistence::repo::accounts::{self, NewAccount};
use kecs_persistence::repo::applications::{self, ElementSave, NewApplication};
use kecs_persistence::repo::denials;
use kecs_persistence::repo::people;
use kecs_persistence::schema::{application_elements as e, applications as a, denials as d};
use kecs_persistence::{Database, DbConnection, PersistenceError, PoolOptions};

fn now() -> NaiveDateTime {
    chrono::NaiveDate::from_ymd_opt(2026, 3, 2)
        .unwrap()
        .and_hms_opt(9, 30, 0)
        .unwrap()
}

/// A migrated SQLite database in a directory of its own.
fn database() -> (tempfile::TempDir, Database) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kecs.db");
    let db = Database::connect(path.to_str().unwrap(), PoolOptions::default()).unwrap();
    db.migrate().unwrap();
    (dir, db)
}

/// An application of a new applicant with these elements.
fn started(db: &Database, answers: &Answers, elements: &[ElementKey]) -> String {
    db.transaction(|conn| {
        let person = people::insert(
            conn,
            &people::NewPerson {
                first_name: &PersonName::parse("Jane").unwrap(),
                middle_name: None,
                last_name: &PersonName::parse("Doe").unwrap(),
                date_of_birth: chrono::NaiveDate::from_ymd_opt(1990, 1, 2).unwrap(),
                ssn_ciphertext: vec![0],
                ssn_hash: "ssn hash".to_owned(),
                ssn_last4_hash: "last4 hash".to_owned(),
            },
            now(),
        )?;
        let account = accounts::insert(
            conn,
            &NewAccount {
                person_id: Some(&person.id),
                role: Role::Applicant,
                username: &Username::parse("jdoe").unwrap(),
                email: &EmailAddress::parse("jane.doe@example.org").unwrap(),
                password_hash: "not a hash",
            },
            now(),
        )?;
        let application = applications::insert(
            conn,
            &NewApplication {
                account_id: &account.id,
                credential: Level::Level1,
                renewal: false,
                request_types: &[RequestType::NewLevel1],
                answers,
                expires_at: now() + chrono::Duration::days(90),
                elements,
                renews_credential_id: None,
            },
            now(),
        )?;
        Ok::<_, PersistenceError>(application.id)
    })
    .unwrap()
}

fn stored_answers(conn: &mut DbConnection, id: &str) -> String {
    a::table
        .filter(a::id.eq(id))
        .select(a::answers)
        .first(conn)
        .unwrap()
}

fn stored_data(conn: &mut DbConnection, id: &str, key: ElementKey) -> Option<String> {
    e::table
        .filter(e::application_id.eq(id))
        .filter(e::element_key.eq(key.as_str()))
        .select(e::data)
        .first(conn)
        .unwrap()
}

fn store_data(conn: &mut DbConnection, id: &str, key: ElementKey, json: &str) {
    diesel::update(
        e::table
            .filter(e::application_id.eq(id))
            .filter(e::element_key.eq(key.as_str())),
    )
    .set(e::data.eq(json))
    .execute(conn)
    .unwrap();
}

#[test]
fn what_the_repositories_write_is_the_text_rows_hold() {
    let (_dir, db) = database();
    let answers = Answers {
        first_time_applicant: Some(true),
        conducts_online_training: Some(false),
        ..Answers::default()
    };
    let id = started(
        &db,
        &answers,
        &[ElementKey::Topics, ElementKey::CharacterAndFitness],
    );
    let topics = ElementContent::Data(ElementData::Topics {
        topics: [Topic::ChildAssessments, Topic::ChildGrowthAndDevelopment].into(),
    });
    let character_and_fitness = ElementContent::CharacterAndFitness(CharacterAndFitnessAnswers {
        answers: vec![CharacterAndFitnessAnswer {
            key: "criminal_conviction".to_owned(),
            answer: false,
            statement: None,
        }],
    });
    db.transaction(|conn| {
        for data in [&topics, &character_and_fitness] {
            let save = ElementSave {
                application_id: &id,
                data,
                expected_version: None,
                finalize: false,
                actor: "jdoe",
                verifier: None,
            };
            applications::save_element(conn, &save, now())?.unwrap();
        }
        Ok::<_, PersistenceError>(())
    })
    .unwrap();
    db.read(|conn| {
        assert_eq!(
            stored_answers(conn, &id),
            r#"{"conducts_online_training":false,"first_time_applicant":true}"#
        );
        assert_eq!(
            stored_data(conn, &id, ElementKey::Topics).unwrap(),
            r#"{"topics":["child_growth_and_development","child_assessments"]}"#
        );
        assert_eq!(
            stored_data(conn, &id, ElementKey::CharacterAndFitness).unwrap(),
            r#"{"answers":[{"answer":false,"key":"criminal_conviction","statement":null}]}"#
        );
        assert_eq!(applications::get(conn, &id)?.answers, answers);
        let elements = applications::elements(conn, &id)?;
        assert_eq!(elements[0].data.as_ref(), Some(&topics));
        assert_eq!(elements[1].data.as_ref(), Some(&character_and_fitness));
        Ok::<_, PersistenceError>(())
    })
    .unwrap();
}

#[test]
fn rows_written_before_read_back() {
    let (_dir, db) = database();
    let id = started(
        &db,
        &Answers::default(),
        &[
            ElementKey::PersonalInformation,
            ElementKey::Experience,
            ElementKey::CharacterAndFitness,
        ],
    );
    db.read(|conn| {
        diesel::update(a::table.filter(a::id.eq(&id)))
            .set(a::answers.eq(r#"{"conducts_online_training":true,"renewal_level":"level_3"}"#))
            .execute(conn)
            .unwrap();
        // As the demo seeding wrote them: integers, no statements.
        store_data(
            conn,
            &id,
            ElementKey::Experience,
            r#"{"ece_experience_years":3,"employer":{"email":"director@sunshine.example.org","name":"Sunshine Child Care Center"}}"#,
        );
        store_data(
            conn,
            &id,
            ElementKey::CharacterAndFitness,
            r#"{"answers":[{"answer":false,"key":"falsified_record"}]}"#,
        );
        let application = applications::get(conn, &id)?;
        assert_eq!(application.answers.renewal_level, Some(Level::Level3));
        assert_eq!(application.answers.conducts_online_training, Some(true));
        let elements = applications::elements(conn, &id)?;
        assert_eq!(elements[0].data, None, "never saved");
        let Some(ElementData::Experience {
            ece_experience_years,
            employer,
            ..
        }) = elements[1].data.as_ref().and_then(ElementContent::data)
        else {
            panic!("experience data: {:?}", elements[1].data)
        };
        assert_eq!(ece_experience_years.unwrap().months(), 36);
        assert_eq!(employer.as_ref().unwrap().name, "Sunshine Child Care Center");
        let Some(ElementContent::CharacterAndFitness(answers)) = &elements[2].data else {
            panic!("Character & Fitness answers: {:?}", elements[2].data)
        };
        assert_eq!(answers.answers[0].statement, None);
        Ok::<_, PersistenceError>(())
    })
    .unwrap();
}

#[test]
fn an_unreadable_row_is_an_error_naming_the_application_and_element() {
    let (_dir, db) = database();
    let id = started(&db, &Answers::default(), &[ElementKey::Topics]);
    db.read(|conn| {
        store_data(conn, &id, ElementKey::Topics, r#"{"topics":["knitting"]}"#);
        let error = applications::elements(conn, &id).unwrap_err().to_string();
        assert!(error.contains(&id) && error.contains("topics"), "{error}");
        diesel::update(a::table.filter(a::id.eq(&id)))
            .set(a::answers.eq("not json"))
            .execute(conn)
            .unwrap();
        let error = applications::get(conn, &id).unwrap_err().to_string();
        assert!(error.contains(&id) && error.contains("answers"), "{error}");
        Ok::<_, PersistenceError>(())
    })
    .unwrap();
}

#[test]
fn a_denials_reasons_are_kept_as_rows_hold_them() {
    let (_dir, db) = database();
    let id = started(&db, &Answers::default(), &[ElementKey::Topics]);
    db.transaction(|conn| {
        let specialist = applications::get(conn, &id)?.account_id;
        let reasons = [DenialReason {
            citation: "922 KAR 2:240 Section 5(1)".to_owned(),
            message: "Under three years.".to_owned(),
        }];
        denials::insert(conn, &id, &reasons, &specialist, now())?;
        let stored: String = d::table
            .filter(d::application_id.eq(&id))
            .select(d::reasons)
            .first(conn)
            .unwrap();
        assert_eq!(
            stored,
            r#"[{"citation":"922 KAR 2:240 Section 5(1)","message":"Under three years."}]"#
        );
        assert_eq!(denials::get(conn, &id)?.reasons, reasons);
        // A row as the API wrote it before, decided on review.
        diesel::update(d::table.filter(d::application_id.eq(&id)))
            .set((
                d::reasons.eq(r#"[{"citation":"922 KAR 2:240 Section 5(1)","message":"Under \"three\" years."},{"citation":"922 KAR 2:240 Section 14(3)","message":"Résumé"}]"#),
                d::review_decision.eq("overturned"),
            ))
            .execute(conn)
            .unwrap();
        let denial = denials::get(conn, &id)?;
        assert_eq!(
            denial.reasons,
            [
                DenialReason {
                    citation: "922 KAR 2:240 Section 5(1)".to_owned(),
                    message: "Under \"three\" years.".to_owned(),
                },
                DenialReason {
                    citation: "922 KAR 2:240 Section 14(3)".to_owned(),
                    message: "Résumé".to_owned(),
                },
            ]
        );
        assert_eq!(denial.review_decision, Some(ReviewDecision::Overturned));
        Ok::<_, PersistenceError>(())
    })
    .unwrap();
}
