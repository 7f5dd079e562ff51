DROP TABLE element_invitations;
