-- Training approval (922 KAR 2:240 Sec. 16-17): sponsoring organisations and
-- their representatives, the cabinet's findings of non-compliance, the state
-- holidays the ten working days skip, and applications for preapproval
-- (DCC-201, DCC-201a) with their presenters and the cabinet's requests for
-- information.

-- Kentucky state holidays, kept by an admin per year (Sec. 16(2)).
CREATE TABLE state_holidays (
    day DATE PRIMARY KEY,
    name TEXT NOT NULL,
    recorded_by TEXT NOT NULL REFERENCES accounts (id),
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE sponsors (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    -- Folded name, for the public list's search by sponsor.
    name_key TEXT NOT NULL,
    email TEXT NOT NULL,
    phone TEXT NOT NULL,
    address TEXT NOT NULL,
    created_by TEXT NOT NULL REFERENCES accounts (id),
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE sponsor_representatives (
    sponsor_id TEXT NOT NULL REFERENCES sponsors (id),
    account_id TEXT NOT NULL REFERENCES accounts (id),
    added_at TIMESTAMP NOT NULL,
    PRIMARY KEY (sponsor_id, account_id)
);
CREATE INDEX sponsor_representatives_account_idx ON sponsor_representatives (account_id);

-- Sec. 16(10): each finding bars the sponsor for two years from found_on.
CREATE TABLE sponsor_findings (
    id TEXT PRIMARY KEY,
    sponsor_id TEXT NOT NULL REFERENCES sponsors (id),
    found_on DATE NOT NULL,
    finding TEXT NOT NULL,
    recorded_by TEXT NOT NULL REFERENCES accounts (id),
    recorded_at TIMESTAMP NOT NULL
);
CREATE INDEX sponsor_findings_sponsor_idx ON sponsor_findings (sponsor_id, found_on);

CREATE TABLE preapprovals (
    id TEXT PRIMARY KEY,
    sponsor_id TEXT NOT NULL REFERENCES sponsors (id),
    -- Sec. 16(1): conference, seminar, institute, workshop,
    -- independent_study, online_training.
    kind TEXT NOT NULL,
    -- The event as applied for (persistence::stored::event_plan).
    plan TEXT NOT NULL,
    -- Copied out of plan for the public list's search.
    title TEXT NOT NULL,
    title_key TEXT NOT NULL,
    starts_on DATE NOT NULL,
    ends_on DATE NOT NULL,
    online BOOLEAN NOT NULL,
    -- Comma-wrapped topics of Sec. 2(5): ",a,b,".
    topics TEXT NOT NULL,
    status TEXT NOT NULL,
    created_by TEXT NOT NULL REFERENCES accounts (id),
    created_at TIMESTAMP NOT NULL,
    received_on DATE,
    -- Derived from received_on, the requests for information and the
    -- holidays; kept so the queue orders by it. Null while the clock stops.
    decision_due_on DATE,
    decided_by TEXT REFERENCES accounts (id),
    decided_on DATE,
    approval_note TEXT,
    -- Sec. 16(7): online trainings only.
    approval_expires_on DATE,
    -- A denial and its review (Sec. 16(9) -> 14(3)).
    denial_reasons TEXT,
    review_requested_at TIMESTAMP,
    review_statement TEXT,
    review_due_on DATE,
    review_extended_on DATE,
    review_extension_reason TEXT,
    review_extended_until DATE,
    -- The day the written order is due: review_extended_until if extended,
    -- else review_due_on; kept so the reviews are listed by it.
    review_order_due_on DATE,
    review_decision TEXT,
    review_order TEXT,
    review_decided_by TEXT REFERENCES accounts (id),
    review_decided_at TIMESTAMP,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX preapprovals_sponsor_idx ON preapprovals (sponsor_id, created_at);
CREATE INDEX preapprovals_queue_idx ON preapprovals (status, decision_due_on);
CREATE INDEX preapprovals_public_idx ON preapprovals (status, starts_on);

CREATE TABLE preapproval_presenters (
    preapproval_id TEXT NOT NULL REFERENCES preapprovals (id),
    position INTEGER NOT NULL,
    first_name TEXT NOT NULL,
    last_name TEXT NOT NULL,
    email TEXT NOT NULL,
    date_of_birth DATE,
    credential_number TEXT,
    resume_file_name TEXT,
    resume_content_type TEXT,
    resume_size_bytes BIGINT,
    resume_storage_key TEXT,
    resume_uploaded_at TIMESTAMP,
    PRIMARY KEY (preapproval_id, position)
);

CREATE TABLE preapproval_information_requests (
    preapproval_id TEXT NOT NULL REFERENCES preapprovals (id),
    requested_at TIMESTAMP NOT NULL,
    requested_by TEXT NOT NULL REFERENCES accounts (id),
    message TEXT NOT NULL,
    answered_at TIMESTAMP,
    answer TEXT,
    PRIMARY KEY (preapproval_id, requested_at)
);

-- Sec. 17(1): the trainees of an approved event, each with their employer
-- at the time of training, entered by the sponsor (17(1)(b)). person_id is
-- set when the trainee matched a person on record (name, date of birth,
-- last four SSN digits); the SSN itself is never kept here.
CREATE TABLE preapproval_attendance (
    id TEXT PRIMARY KEY,
    preapproval_id TEXT NOT NULL REFERENCES preapprovals (id),
    line INTEGER NOT NULL,
    person_id TEXT REFERENCES people (id),
    first_name TEXT NOT NULL,
    last_name TEXT NOT NULL,
    date_of_birth DATE NOT NULL,
    employer_name TEXT NOT NULL,
    employer_is_presenters_centre BOOLEAN NOT NULL,
    employer_head_start BOOLEAN NOT NULL,
    disciplinary_directive TEXT,
    clock_minutes INTEGER NOT NULL,
    entered_by TEXT NOT NULL REFERENCES accounts (id),
    entered_at TIMESTAMP NOT NULL,
    UNIQUE (preapproval_id, line)
);
CREATE INDEX preapproval_attendance_person_idx ON preapproval_attendance (person_id);

-- Sec. 17(2): certificates of an approved event, one per roster row, as
-- Sec. 12(2) asks; the presenter signs in the trainer's place, with a
-- credential's number and expiration date only if they hold one. Numbers
-- share the TC- format of trainers' certificates and the public
-- verification page.
CREATE TABLE preapproval_certificates (
    id TEXT PRIMARY KEY,
    number TEXT NOT NULL,
    attendance_id TEXT NOT NULL REFERENCES preapproval_attendance (id),
    preapproval_id TEXT NOT NULL REFERENCES preapprovals (id),
    signed_by TEXT NOT NULL,
    signer_account_id TEXT NOT NULL REFERENCES accounts (id),
    issued_at TIMESTAMP NOT NULL,
    presenter_name TEXT NOT NULL,
    presenter_credential_number TEXT,
    presenter_credential_expires_on DATE,
    CONSTRAINT preapproval_certificates_number_unique UNIQUE (number),
    CONSTRAINT preapproval_certificates_attendance_unique UNIQUE (attendance_id)
);
CREATE INDEX preapproval_certificates_preapproval_idx ON preapproval_certificates (preapproval_id);

-- Sec. 16(6): how many applications name an uncredentialed presenter in a
-- calendar year. The conditional increment (applications < 5) and the
-- check hold the limit under concurrent submissions.
CREATE TABLE presenter_years (
    presenter_key TEXT NOT NULL,
    year INTEGER NOT NULL,
    applications INTEGER NOT NULL CHECK (applications BETWEEN 0 AND 5),
    PRIMARY KEY (presenter_key, year)
);
