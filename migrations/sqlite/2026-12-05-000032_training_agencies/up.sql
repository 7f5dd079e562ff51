-- Cabinet-approved training agencies (922 KAR 2:240 Sec. 18): applications on
-- the DCC-203, decided within 45 days of receipt; the approved ones are the
-- public list by Area Development District.
CREATE TABLE training_agencies (
    id TEXT PRIMARY KEY,
    applicant_account_id TEXT NOT NULL REFERENCES accounts (id),
    name TEXT NOT NULL,
    -- Folded name: the public list's order.
    name_key TEXT NOT NULL,
    district TEXT NOT NULL,
    county TEXT NOT NULL,
    address TEXT NOT NULL,
    email TEXT NOT NULL,
    phone TEXT NOT NULL,
    -- Sec. 18(3)(a) and (b).
    offers_commonwealth_child_care_credential BOOLEAN NOT NULL,
    offers_child_development_associate BOOLEAN NOT NULL,
    status TEXT NOT NULL,
    received_on DATE NOT NULL,
    -- received_on + 45 days (Sec. 18(1)(b)), kept so the queue orders by it.
    decision_due_on DATE NOT NULL,
    decided_by TEXT REFERENCES accounts (id),
    decided_on DATE,
    decision_reasons TEXT,
    -- Sec. 18(2): the reviewer's confirmation on an approval.
    not_solely_density BOOLEAN,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX training_agencies_applicant_idx ON training_agencies (applicant_account_id, created_at);
CREATE INDEX training_agencies_queue_idx ON training_agencies (status, decision_due_on);
CREATE INDEX training_agencies_list_idx ON training_agencies (status, name_key);

-- Sec. 18(3): the planned program instruction an approved agency gives each
-- trainee, session by session; part is commonwealth_child_care_credential
-- (a) or child_development_associate (b). A trainee is one person per
-- agency by trainee_key (name folded, date of birth).
CREATE TABLE agency_instruction (
    id TEXT PRIMARY KEY,
    agency_id TEXT NOT NULL REFERENCES training_agencies (id),
    trainee_key TEXT NOT NULL,
    first_name TEXT NOT NULL,
    last_name TEXT NOT NULL,
    date_of_birth DATE NOT NULL,
    part TEXT NOT NULL,
    minutes INTEGER NOT NULL CHECK (minutes > 0),
    given_on DATE NOT NULL,
    recorded_by TEXT NOT NULL REFERENCES accounts (id),
    recorded_at TIMESTAMP NOT NULL
);
CREATE INDEX agency_instruction_trainee_idx ON agency_instruction (agency_id, trainee_key);
