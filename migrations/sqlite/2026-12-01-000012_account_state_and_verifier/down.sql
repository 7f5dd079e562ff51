ALTER TABLE application_elements DROP COLUMN verified_from_address;
ALTER TABLE application_elements DROP COLUMN verified_by_email;
ALTER TABLE application_elements DROP COLUMN verified_by_name;
ALTER TABLE accounts DROP COLUMN disabled_at;
