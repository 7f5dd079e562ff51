DROP TABLE training_agencies;
