DROP TABLE redemptions;
DROP TABLE rewards;
