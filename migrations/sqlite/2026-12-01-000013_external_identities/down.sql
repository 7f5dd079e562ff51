DROP TABLE oidc_pending;
DROP TABLE external_identities;
