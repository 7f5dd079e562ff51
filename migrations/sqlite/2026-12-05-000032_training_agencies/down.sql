DROP TABLE agency_instruction;
DROP TABLE training_agencies;
