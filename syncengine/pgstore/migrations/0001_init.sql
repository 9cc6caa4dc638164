-- pgstore schema, version 1. Applied by pgstore's migrator in one transaction
-- with search_path set to the store's schema; never edit a released migration:
-- add the next numbered file instead.

-- leases is the per-pair lock: one row per pair, never deleted, so a pair's
-- fencing token only grows (a deleted row would hand token 1 out again).
CREATE TABLE leases (
    pair        text COLLATE "C" PRIMARY KEY,
    holder      text NOT NULL,
    token       bigint NOT NULL CHECK (token > 0),
    acquired_at timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL
);

-- fence fails with SQLSTATE RSF01 unless the pair's lease is held with token
-- p_token and has not expired. It takes a share lock on the lease row,
-- so a takeover waits until the write that called it commits: a write is either
-- before the takeover or refused.
CREATE FUNCTION fence(p_pair text, p_token bigint) RETURNS void
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
    PERFORM 1 FROM leases WHERE pair = p_pair AND token = p_token AND expires_at > now() FOR SHARE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'the lease of pair % with token % is not held any more', p_pair, p_token
            USING ERRCODE = 'RSF01';
    END IF;
END
$$;

-- Text keys compare by bytes (COLLATE "C"), as the Store contract orders them.
CREATE TABLE links (
    pair       text COLLATE "C" NOT NULL,
    collection text COLLATE "C" NOT NULL,
    a_id       text COLLATE "C" NOT NULL,
    b_id       text NOT NULL,
    synced     jsonb,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (pair, collection, a_id)
);

CREATE TABLE cursors (
    pair  text COLLATE "C" NOT NULL,
    name  text COLLATE "C" NOT NULL,
    value text NOT NULL,
    PRIMARY KEY (pair, name)
);

-- runs is each pair's run history, oldest first by seq; AddRun trims it.
CREATE TABLE runs (
    pair        text COLLATE "C" NOT NULL,
    seq         bigint GENERATED ALWAYS AS IDENTITY,
    id          text NOT NULL,
    started_at  timestamptz NOT NULL,
    finished_at timestamptz NOT NULL,
    dry_run     boolean NOT NULL,
    counts      jsonb,
    error       text NOT NULL,
    PRIMARY KEY (pair, seq)
);

CREATE TABLE dues (
    pair       text COLLATE "C" NOT NULL,
    collection text COLLATE "C" NOT NULL,
    side       text COLLATE "C" NOT NULL,
    id         text COLLATE "C" NOT NULL,
    kind       text COLLATE "C" NOT NULL,
    at         timestamptz NOT NULL,
    PRIMARY KEY (pair, collection, side, id, kind)
);
CREATE INDEX dues_by_time ON dues (pair, at, collection, side, id, kind);

-- pending_seqs holds each pair's last Pending.Seq handed out: it survives
-- DonePending, so a Seq is never handed out twice.
CREATE TABLE pending_seqs (
    pair text COLLATE "C" PRIMARY KEY,
    last bigint NOT NULL
);

CREATE TABLE pending (
    pair       text COLLATE "C" NOT NULL,
    collection text COLLATE "C" NOT NULL,
    side       text COLLATE "C" NOT NULL,
    id         text COLLATE "C" NOT NULL,
    seq        bigint NOT NULL,
    at         timestamptz NOT NULL,
    PRIMARY KEY (pair, collection, side, id)
);
CREATE INDEX pending_by_seq ON pending (pair, seq);

CREATE TABLE lookups (
    pair  text COLLATE "C" NOT NULL,
    key   text COLLATE "C" NOT NULL,
    value bytea,
    at    timestamptz NOT NULL,
    PRIMARY KEY (pair, key)
);
