DROP TABLE training_certificates;
