-- Credits that wait to be added to a user's available balance. A payout to an account that another transaction
-- holds (an operator's, paid by every task its workers finish) is written here instead of queueing for the row;
-- the next transaction to hold the row adds these to its balance and deletes them. An available account's balance
-- is its row's plus these, so a pending credit can be spent at once.
CREATE TABLE ledger_credits (
    id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account text NOT NULL REFERENCES ledger_accounts (id),
    amount  bigint NOT NULL CHECK (amount > 0)
);
CREATE INDEX ledger_credits_account ON ledger_credits (account);
