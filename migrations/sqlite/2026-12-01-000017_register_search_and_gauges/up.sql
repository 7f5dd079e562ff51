-- The public register's name search, at a cost that follows the page
-- rather than the register: one row per
-- beginning (1 to 8 letters) of the first word of each credential's first
-- and last name key, kept in register order. `prefix = 'smit'` then reads
-- the matches already ordered by (last name, number), and LIMIT stops after
-- one page, however many names begin so, and whether the first or the last
-- name does.
CREATE TABLE credential_name_prefixes (
    prefix TEXT NOT NULL,
    last_name_key TEXT NOT NULL,
    number TEXT NOT NULL REFERENCES credentials (number),
    PRIMARY KEY (prefix, last_name_key, number)
) WITHOUT ROWID;

INSERT INTO credential_name_prefixes (prefix, last_name_key, number)
WITH RECURSIVE
    lens (len) AS (SELECT 1 UNION ALL SELECT len + 1 FROM lens WHERE len < 8),
    words (word, last_name_key, number) AS (
        SELECT CASE WHEN instr(first_name_key, ' ') > 0
                    THEN substr(first_name_key, 1, instr(first_name_key, ' ') - 1)
                    ELSE first_name_key END,
               last_name_key, number
        FROM credentials
        UNION
        SELECT CASE WHEN instr(last_name_key, ' ') > 0
                    THEN substr(last_name_key, 1, instr(last_name_key, ' ') - 1)
                    ELSE last_name_key END,
               last_name_key, number
        FROM credentials
    )
SELECT DISTINCT substr(word, 1, len), last_name_key, number
FROM words, lens
WHERE len <= length(word);

-- Read at every /metrics scrape: the age of the oldest unsent mail.
CREATE INDEX outbox_unsent_created_idx ON outbox (created_at) WHERE sent_at IS NULL;
