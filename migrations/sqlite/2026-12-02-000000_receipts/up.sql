-- A receipt is a document: what it said when it was issued (JSON of
-- ReceiptDocument), never rebuilt from allocations that later change.
-- NULL for payments recorded before receipts were kept.
ALTER TABLE payments ADD COLUMN receipt TEXT;
