-- What a specialist found lacking in each element when returning an
-- application as deficient, kept so the applicant reads it beside the
-- element; resolved_at is set when the resubmission that answered it is
-- accepted, so earlier returns stay as history.
CREATE TABLE deficiencies (
    id TEXT PRIMARY KEY,
    application_id TEXT NOT NULL REFERENCES applications (id),
    element_key TEXT NOT NULL,
    message TEXT NOT NULL,
    cited_at TIMESTAMP NOT NULL,
    -- The specialist's account id (as in the audit log); not shown to the
    -- applicant.
    cited_by TEXT,
    resolved_at TIMESTAMP
);
CREATE INDEX deficiencies_application_idx ON deficiencies (application_id, cited_at);
