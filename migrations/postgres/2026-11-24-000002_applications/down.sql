DROP TABLE application_reminders;
DROP TABLE application_elements;
DROP TABLE applications;
