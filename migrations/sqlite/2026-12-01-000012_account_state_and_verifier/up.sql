-- A staff account can be disabled by an operator (`kecs staff disable`):
-- its sign-in and refresh are refused and its access tokens stop working
-- at the next request.
ALTER TABLE accounts ADD COLUMN disabled_at TIMESTAMP;

-- Who verified a third party's element, and from which client address:
-- the invitation's addressee and the address the submission came from, for
-- the reviewing specialist (the employer or coach verifies, not the
-- applicant).
ALTER TABLE application_elements ADD COLUMN verified_by_name TEXT;
ALTER TABLE application_elements ADD COLUMN verified_by_email TEXT;
ALTER TABLE application_elements ADD COLUMN verified_from_address TEXT;
