DROP TABLE deficiencies;
