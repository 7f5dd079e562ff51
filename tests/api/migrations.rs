//! Every migration applies and reverts on both backends.

use kecs_tests::{Backend, TestDatabase, both_backends};

fn every_migration_reverts_and_applies_again(backend: Backend) {
    let app = TestDatabase::open(backend);
    let reverted = app.state.db.revert_all().unwrap();
    assert!(reverted >= 1);
    assert_eq!(app.state.db.migrate().unwrap(), reverted);
    assert_eq!(
        app.state.db.migrate().unwrap(),
        0,
        "a second run applies nothing"
    );
}

both_backends!(every_migration_reverts_and_applies_again);
