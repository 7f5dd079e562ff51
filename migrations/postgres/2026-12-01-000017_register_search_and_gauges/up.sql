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
);

INSERT INTO credential_name_prefixes (prefix, last_name_key, number)
SELECT DISTINCT substr(w.word, 1, n.len), c.last_name_key, c.number
FROM credentials c
CROSS JOIN LATERAL (VALUES (split_part(c.first_name_key, ' ', 1)),
                           (split_part(c.last_name_key, ' ', 1))) AS w (word)
CROSS JOIN generate_series(1, 8) AS n (len)
WHERE n.len <= char_length(w.word);

-- Read at every /metrics scrape: the age of the oldest unsent mail.
CREATE INDEX outbox_unsent_created_idx ON outbox (created_at) WHERE sent_at IS NULL;
