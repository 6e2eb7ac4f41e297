DROP TABLE attendance_records;
DROP TABLE events;
