package pgstore

import (
	"strings"

	"github.com/jackc/pgx/v5"
)

// queries are the store's statements with its schema in them, quoted.
// Durations travel as microseconds (bigint) so that no interval encoding
// is involved.
type queries struct {
	fence string

	lock, holderOf, renew, release string

	links, putLink, deleteLink string

	cursor, putCursor string

	runs, addRun, trimRuns string

	dues, putDue, deleteDue string

	pending, addPending, donePending string

	lookup, putLookup string
}

func newQueries(schema string) queries {
	r := strings.NewReplacer("{s}", pgx.Identifier{schema}.Sanitize())
	return queries{
		fence: r.Replace(`SELECT {s}.fence($1, $2)`),

		lock: r.Replace(`INSERT INTO {s}.leases AS l (pair, holder, token, acquired_at, expires_at)
VALUES ($1, $2, 1, now(), now() + $3::bigint * interval '1 microsecond')
ON CONFLICT (pair) DO UPDATE SET holder = EXCLUDED.holder, token = l.token + 1,
	acquired_at = EXCLUDED.acquired_at, expires_at = EXCLUDED.expires_at
WHERE l.expires_at <= now()
RETURNING token`),
		holderOf: r.Replace(`SELECT holder, expires_at FROM {s}.leases WHERE pair = $1`),
		renew: r.Replace(`UPDATE {s}.leases SET expires_at = now() + $3::bigint * interval '1 microsecond'
WHERE pair = $1 AND token = $2 AND expires_at > now()`),
		release: r.Replace(`UPDATE {s}.leases SET expires_at = now() WHERE pair = $1 AND token = $2 AND expires_at > now()`),

		links: r.Replace(`SELECT a_id, b_id, synced, updated_at FROM {s}.links
WHERE pair = $1 AND collection = $2 ORDER BY a_id`),
		putLink: r.Replace(`INSERT INTO {s}.links (pair, collection, a_id, b_id, synced, updated_at)
VALUES ($1, $2, $3, $4, $5, $6)
ON CONFLICT (pair, collection, a_id) DO UPDATE
SET b_id = EXCLUDED.b_id, synced = EXCLUDED.synced, updated_at = EXCLUDED.updated_at`),
		deleteLink: r.Replace(`DELETE FROM {s}.links WHERE pair = $1 AND collection = $2 AND a_id = $3`),

		cursor: r.Replace(`SELECT value FROM {s}.cursors WHERE pair = $1 AND name = $2`),
		putCursor: r.Replace(`INSERT INTO {s}.cursors (pair, name, value) VALUES ($1, $2, $3)
ON CONFLICT (pair, name) DO UPDATE SET value = EXCLUDED.value`),

		runs: r.Replace(`SELECT id, started_at, finished_at, dry_run, counts, error FROM {s}.runs
WHERE pair = $1 ORDER BY seq`),
		addRun: r.Replace(`INSERT INTO {s}.runs (pair, id, started_at, finished_at, dry_run, counts, error)
VALUES ($1, $2, $3, $4, $5, $6, $7)`),
		trimRuns: r.Replace(`DELETE FROM {s}.runs WHERE pair = $1 AND seq <=
	(SELECT seq FROM {s}.runs WHERE pair = $1 ORDER BY seq DESC OFFSET $2::bigint LIMIT 1)`),

		dues: r.Replace(`SELECT collection, side, id, kind, at FROM {s}.dues
WHERE pair = $1 ORDER BY at, collection, side, id, kind`),
		putDue: r.Replace(`INSERT INTO {s}.dues (pair, collection, side, id, kind, at) VALUES ($1, $2, $3, $4, $5, $6)
ON CONFLICT (pair, collection, side, id, kind) DO UPDATE SET at = EXCLUDED.at`),
		deleteDue: r.Replace(`DELETE FROM {s}.dues WHERE pair = $1 AND collection = $2 AND side = $3 AND id = $4 AND kind = $5`),

		pending: r.Replace(`SELECT collection, side, id, seq, at FROM {s}.pending WHERE pair = $1 ORDER BY seq`),
		// addPending reserves $2 Seqs of the pair (the row lock orders
		// concurrent adds) and stores each distinct record with the Seq of
		// its last place in the batch (ord, from 1): a record already
		// pending takes the new Seq and keeps its first At.
		addPending: r.Replace(`WITH seqs AS (
	INSERT INTO {s}.pending_seqs AS q (pair, last) VALUES ($1, $2::bigint)
	ON CONFLICT (pair) DO UPDATE SET last = q.last + EXCLUDED.last
	RETURNING last
)
INSERT INTO {s}.pending AS p (pair, collection, side, id, seq, at)
SELECT $1, u.collection, u.side, u.id, seqs.last - $2::bigint + u.ord, u.at
FROM seqs, unnest($3::text[], $4::text[], $5::text[], $6::bigint[], $7::timestamptz[]) AS u(collection, side, id, ord, at)
ON CONFLICT (pair, collection, side, id) DO UPDATE SET seq = EXCLUDED.seq`),
		donePending: r.Replace(`DELETE FROM {s}.pending AS p
USING unnest($2::text[], $3::text[], $4::text[], $5::bigint[]) AS d(collection, side, id, seq)
WHERE p.pair = $1 AND p.collection = d.collection AND p.side = d.side AND p.id = d.id AND p.seq <= d.seq`),

		lookup: r.Replace(`SELECT value, at FROM {s}.lookups WHERE pair = $1 AND key = $2`),
		putLookup: r.Replace(`INSERT INTO {s}.lookups (pair, key, value, at) VALUES ($1, $2, $3, $4)
ON CONFLICT (pair, key) DO UPDATE SET value = EXCLUDED.value, at = EXCLUDED.at`),
	}
}
