package pgstore

import (
	"errors"
	mrand "math/rand/v2"
	"strings"
	"testing"

	"github.com/rostersync/rostersync/internal/pgtest"
	"github.com/rostersync/rostersync/syncengine"
)

func TestWithSchemaRefusesBadNames(t *testing.T) {
	for _, name := range []string{"", "Rostersync", "1st", "a-b", "a b", `a"b`, "pg_store", "ünï", strings.Repeat("a", 64), "a;drop"} {
		if _, err := New(ctx, nil, WithSchema(name)); err == nil || !strings.Contains(err.Error(), "schema name") {
			t.Errorf("WithSchema(%q): %v, want an error naming the schema", name, err)
		}
	}
	for _, name := range []string{"rostersync", "_x", "tenant_42", strings.Repeat("a", 63)} {
		var o options
		if err := WithSchema(name)(&o); err != nil || o.schema != name {
			t.Errorf("WithSchema(%q): %v", name, err)
		}
	}
}

// Stores on two schemas of one database share nothing: not data, not locks.
func TestSchemaIsolation(t *testing.T) {
	pool := newPool(t)
	a := openStore(t, pool, newSchema(t, pool))
	b := openStore(t, pool, newSchema(t, pool))
	if err := a.PutLink(ctx, pair, link("1", "b1")); err != nil {
		t.Fatal(err)
	}
	if err := a.PutCursor(ctx, pair, "c", "a's"); err != nil {
		t.Fatal(err)
	}
	if links, err := b.Links(ctx, pair, syncengine.Users); err != nil || len(links) != 0 {
		t.Errorf("the other schema's links: %v, %v; want none", links, err)
	}
	if c, err := b.Cursor(ctx, pair, "c"); err != nil || c != "" {
		t.Errorf("the other schema's cursor: %q, %v; want none", c, err)
	}
	ua := mustLock(t, a)
	defer ua()
	ub, err := b.Lock(ctx, pair)
	if err != nil {
		t.Fatalf("Lock of the same pair on another schema: %v", err)
	}
	ub()
}

// A schema name that is an SQL keyword works: every statement quotes it.
// (One of several, picked at random: two test runs on one database are
// unlikely to meet.)
func TestSchemaKeyword(t *testing.T) {
	pool := newPool(t)
	keywords := []string{"select", "table", "user", "order", "group", "where", "from", "limit", "union", "grant",
		"check", "column", "default", "primary", "references", "constraint", "window", "having", "analyse", "fetch"}
	name := pgtest.DropAtEnd(t, pool, keywords[mrand.IntN(len(keywords))])
	s := openStore(t, pool, name)
	unlock := mustLock(t, s)
	defer unlock()
	if err := s.PutLink(ctx, pair, link("1", "b1")); err != nil {
		t.Fatal(err)
	}
	if links, err := s.Links(ctx, pair, syncengine.Users); err != nil || len(links) != 1 {
		t.Errorf("Links: %v, %v", links, err)
	}
}

// PostgreSQL text holds no NUL byte: such input is refused by name, and a
// run's texts keep U+FFFD instead.
func TestNULBytes(t *testing.T) {
	s := newTestStore(t)
	for name, err := range map[string]error{
		"PutLink":   s.PutLink(ctx, pair, link("a\x00b", "b")),
		"synced":    s.PutLink(ctx, pair, syncengine.Link{Collection: syncengine.Users, AID: "1", BID: "b", Synced: map[string]string{"k": "v\x00"}}),
		"PutCursor": s.PutCursor(ctx, pair, "c", "v\x00"),
		"pair":      s.PutCursor(ctx, "p\x00", "c", "v"),
	} {
		if err == nil || !strings.Contains(err.Error(), "NUL byte") {
			t.Errorf("%s with a NUL byte: %v, want it refused saying why", name, err)
		}
	}
	if c, err := s.Cursor(ctx, pair, "c\x00"); err != nil || c != "" {
		t.Errorf("Cursor of a name that cannot be stored: %q, %v; want none", c, err)
	}
	r := syncengine.RunRecord{ID: "r\x00", Err: "vendor said \x00\xff", Counts: map[string]int{"cre\x00ate": 1}}
	if err := s.AddRun(ctx, pair, r); err != nil {
		t.Fatalf("AddRun: %v", err)
	}
	runs, err := s.Runs(ctx, pair)
	if err != nil || len(runs) != 1 || runs[0].ID != "r\uFFFD" || runs[0].Err != "vendor said \uFFFD\uFFFD" || runs[0].Counts["cre\uFFFDate"] != 1 {
		t.Errorf("Runs: %+v, %v; want the texts kept with U+FFFD", runs, err)
	}
	if !errors.Is(s.PutLink(ctx, pair, link("1", "b")), nil) {
		t.Error("a plain PutLink failed")
	}
}
