DROP TABLE denials;
