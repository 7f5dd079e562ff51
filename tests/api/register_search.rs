//! The public register's name search over many names that begin alike:
//! the order (last name, then number) and the paging stay those of the
//! register, whichever name a word begins and however long the word.

use crate::applications::ready_applicant;
use crate::credentials::account_id;
use kecs_domain::account::PersonName;
use kecs_domain::application::{Answers, ApplicationStatus};
use kecs_domain::credential::award;
use kecs_domain::rules::Level;
use kecs_persistence::repo::{applications, credentials};
use kecs_tests::{Backend, TestApp, both_backends};

/// (first name, last name) of the holders: many Smiths (so pages end inside
/// one last name), names a first name alone matches, long names past the
/// indexed beginnings, and names that do not match at all.
const HOLDERS: &[(&str, &str)] = &[
    ("Ann", "Smith"),
    ("Bea", "Smith"),
    ("Cal", "Smith"),
    ("Dee", "Smith"),
    ("Eve", "Smith"),
    ("Fay", "Smith"),
    ("Gus", "Smith"),
    ("Hal", "Smith"),
    ("Ida", "Smith"),
    ("Jo", "Smith"),
    ("Smitty", "Adams"),
    ("Smita", "Zeller"),
    ("Kai", "Smit"),
    ("Lou", "Smithsonian"),
    ("Mae", "Smithsonite"),
    ("Ned", "Smithers"),
    ("Ona", "Smiley"),
    ("Pat", "Jones"),
    ("Smith", "Smith"),
    ("Mary Jo", "Smithe"),
    ("Quinn", "Smythe"),
    ("Rae", "Smit"),
];

/// Credentials for every holder on one account (the register lists the
/// credentials, not the people); returns (first, last, number).
fn issue_all(app: &TestApp) -> Vec<(String, String, String)> {
    ready_applicant(app, "registrar", "registrar@example.com", "400-11-2222");
    let account = account_id(app, "registrar");
    let now = kecs_api::workflows::now();
    let mut issued = Vec::new();
    for (first, last) in HOLDERS {
        let number = app
            .state
            .db
            .transaction(|conn| {
                let earlier = applications::insert(
                    conn,
                    &applications::NewApplication {
                        account_id: &account,
                        credential: Level::Level1,
                        renewal: false,
                        request_types: &[],
                        answers: &Answers::default(),
                        expires_at: now,
                        elements: &[],
                        renews_credential_id: None,
                    },
                    now,
                )?;
                applications::change_status(
                    conn,
                    &earlier.id,
                    ApplicationStatus::InProgress,
                    ApplicationStatus::Approved,
                    now,
                )?;
                credentials::issue(
                    conn,
                    &account,
                    &earlier.id,
                    &award(Level::Level1, now.date()),
                    &credentials::Holder {
                        display_name: &format!("{first} {last}"),
                        first_name_key: &PersonName::key_of(first),
                        last_name_key: &PersonName::key_of(last),
                    },
                    None,
                    now,
                )
            })
            .unwrap()
            .number;
        issued.push((first.to_string(), last.to_string(), number));
    }
    issued
}

/// What the register holds for `name`, in its order: each word begins the
/// first or the last name; by last name, then number.
fn expected(issued: &[(String, String, String)], name: &str) -> Vec<String> {
    let words: Vec<String> = PersonName::key_of(name)
        .split(' ')
        .map(str::to_owned)
        .collect();
    let mut found: Vec<(String, String)> = issued
        .iter()
        .filter(|(first, last, _)| {
            let (first, last) = (PersonName::key_of(first), PersonName::key_of(last));
            words
                .iter()
                .all(|w| first.starts_with(w.as_str()) || last.starts_with(w.as_str()))
        })
        .map(|(_, last, number)| (PersonName::key_of(last), number.clone()))
        .collect();
    found.sort();
    found.into_iter().map(|(_, number)| number).collect()
}

/// Every page of the search, following `next_cursor`.
fn all_pages(app: &TestApp, query: &str, limit: usize) -> Vec<String> {
    let mut numbers = Vec::new();
    let mut cursor: Option<String> = None;
    for _ in 0..100 {
        let path = match &cursor {
            Some(c) => format!("/api/v1/public/trainers?{query}&limit={limit}&cursor={c}"),
            None => format!("/api/v1/public/trainers?{query}&limit={limit}"),
        };
        let reply = app.get(&path, None);
        assert_eq!(reply.status, 200, "{path}: {}", reply.text);
        let page = reply.json();
        let items = page["items"].as_array().unwrap();
        assert!(items.len() <= limit, "{path}");
        numbers.extend(
            items
                .iter()
                .map(|t| t["credential_number"].as_str().unwrap().to_owned()),
        );
        match page["next_cursor"].as_str() {
            Some(next) => {
                assert_eq!(items.len(), limit, "{path}: a short page with a next one");
                cursor = Some(next.to_owned());
            }
            None => return numbers,
        }
    }
    panic!("{query}: the pages never ended");
}

fn same_prefix_names_page_in_register_order(backend: Backend) {
    let app = TestApp::spawn(backend);
    let issued = issue_all(&app);
    for name in [
        "smit",
        "Smith",
        "s",
        "smithson",
        "smithsonian",
        "smithsonit",
        "sMiTh smith",
        "smit kai",
        "mary smit",
        "smitty",
        "zzz",
    ] {
        let want = expected(&issued, name);
        let query = format!("name={}", name.replace(' ', "+"));
        for limit in [1, 3, 4, 100] {
            assert_eq!(
                all_pages(&app, &query, limit),
                want,
                "name={name:?}, limit={limit}"
            );
        }
    }
    // "smit" finds the Smiths, the Smits and the Smittys, not the Smileys.
    let smit = expected(&issued, "smit");
    assert_eq!(smit.len(), 19);
    // Without a name, the whole register in the same order.
    assert_eq!(all_pages(&app, "level=level_1", 5), expected(&issued, ""));
}

both_backends!(same_prefix_names_page_in_register_order);
