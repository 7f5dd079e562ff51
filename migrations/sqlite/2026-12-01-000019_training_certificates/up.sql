-- Certificates of training (922 KAR 2:240 Sec. 12(2)): one per attendance
-- row, issued when the lead trainer signs. The training's name, sponsor,
-- dates, hours and content areas are read from the event and the trainee's
-- name from the attendance row (neither changes once entered); what may
-- change later -- the trainer's name and the credential's expiration date,
-- on renewal -- is kept as it was when signed (Sec. 12(2)(f)).
CREATE TABLE training_certificates (
    id TEXT PRIMARY KEY,
    -- Public: it opens the verification page, which shows the trainee's
    -- name, so it is random (TC- and 12 Crockford base32 characters).
    number TEXT NOT NULL,
    attendance_id TEXT NOT NULL REFERENCES training_attendance (id),
    event_id TEXT NOT NULL REFERENCES training_events (id),
    -- Sec. 12(2)(f)1: the trainer's name as signed; dated when issued.
    signed_by TEXT NOT NULL,
    issued_at TIMESTAMP NOT NULL,
    trainer_name TEXT NOT NULL,
    -- Sec. 12(2)(f)2-3, as they were when signed.
    trainer_credential_number TEXT NOT NULL,
    trainer_credential_expires_on DATE NOT NULL,
    CONSTRAINT training_certificates_number_unique UNIQUE (number),
    -- Signing again issues nothing twice.
    CONSTRAINT training_certificates_attendance_unique UNIQUE (attendance_id)
);
CREATE INDEX training_certificates_event_idx ON training_certificates (event_id);
