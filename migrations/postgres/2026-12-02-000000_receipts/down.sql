ALTER TABLE payments DROP COLUMN receipt;
