DROP TABLE training_attendance;
DROP TABLE training_event_co_trainers;
DROP TABLE training_events;
