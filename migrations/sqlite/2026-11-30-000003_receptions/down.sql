DROP TABLE reception_batches;
DROP TABLE reception_participants;
DROP TABLE reception_settlements;
DROP TABLE receptions;
