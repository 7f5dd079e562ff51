-- Training events a credentialed trainer gives (922 KAR 2:240 Sec. 11) and
-- the attendance entered for them (Sec. 12(1)(a)). Certificates and
-- transcripts (Sec. 12(2)) are made from training_attendance.
CREATE TABLE training_events (
    id TEXT PRIMARY KEY,
    -- The lead trainer, who records the event and enters its attendance,
    -- and the credential they train under.
    trainer_account_id TEXT NOT NULL REFERENCES accounts (id),
    credential_id TEXT NOT NULL REFERENCES credentials (id),
    title TEXT NOT NULL,
    sponsor TEXT NOT NULL,
    -- Title and sponsor folded for "the same online training course"
    -- (Sec. 11(11)).
    course_key TEXT NOT NULL,
    starts_on DATE NOT NULL,
    ends_on DATE NOT NULL,
    -- Sec. 11(5): at least 60, in steps of 15.
    clock_minutes INTEGER NOT NULL,
    face_to_face BOOLEAN NOT NULL,
    synchronous BOOLEAN NOT NULL,
    -- Comma-separated delivery modes (Sec. 11(6)); empty when face to face.
    delivery_modes TEXT NOT NULL,
    interactive BOOLEAN NOT NULL,
    gauges_participation BOOLEAN NOT NULL,
    -- Comma-separated topics of Sec. 2(5) and purposes of Sec. 5(2)-10(2).
    topics TEXT NOT NULL,
    purposes TEXT NOT NULL,
    within_area_of_expertise BOOLEAN NOT NULL,
    created_at TIMESTAMP NOT NULL,
    attendance_entered_at TIMESTAMP,
    attendance_late BOOLEAN NOT NULL,
    -- Set once by the sweeper: the reminder before the ten days end and the
    -- notice that they ended without attendance (each mailed exactly once).
    reminded_due_at TIMESTAMP,
    reminded_overdue_at TIMESTAMP
);
CREATE INDEX training_events_trainer_idx ON training_events (trainer_account_id, created_at);
CREATE INDEX training_events_attendance_idx ON training_events (attendance_entered_at, ends_on);
CREATE INDEX training_events_course_idx ON training_events (course_key);

CREATE TABLE training_event_co_trainers (
    event_id TEXT NOT NULL REFERENCES training_events (id),
    credential_id TEXT NOT NULL REFERENCES credentials (id),
    account_id TEXT NOT NULL REFERENCES accounts (id),
    position INTEGER NOT NULL,
    PRIMARY KEY (event_id, credential_id)
);
CREATE INDEX training_event_co_trainers_account_idx ON training_event_co_trainers (account_id);

-- One row per trainee (Sec. 12(1)(a)). person_id is set when the trainee
-- matched a person on record (name, date of birth, last four SSN digits);
-- the SSN itself is never kept here.
CREATE TABLE training_attendance (
    id TEXT PRIMARY KEY,
    event_id TEXT NOT NULL REFERENCES training_events (id),
    line INTEGER NOT NULL,
    person_id TEXT REFERENCES people (id),
    first_name TEXT NOT NULL,
    last_name TEXT NOT NULL,
    date_of_birth DATE NOT NULL,
    employer_name TEXT NOT NULL,
    employer_is_trainers_centre BOOLEAN NOT NULL,
    employer_head_start BOOLEAN NOT NULL,
    disciplinary_directive TEXT,
    clock_minutes INTEGER NOT NULL,
    entered_at TIMESTAMP NOT NULL,
    late BOOLEAN NOT NULL,
    CONSTRAINT training_attendance_line_unique UNIQUE (event_id, line)
);
CREATE INDEX training_attendance_person_idx ON training_attendance (person_id);
