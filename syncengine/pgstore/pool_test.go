package pgstore

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/rostersync/rostersync/syncengine"
)

// A store whose pool the caller closed fails every call with an error
// naming the call, never ErrLocked and never a panic; a lease it holds is
// lost once it could not be renewed in time.
func TestClosedPool(t *testing.T) {
	url := testURL(t)
	admin := newPool(t)
	schema := newSchema(t, admin)
	pool, err := pgxpool.New(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	clock := newFakeClock()
	hook, renew := withRenewals(t)
	var logged bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logged, nil))
	s := openStore(t, pool, schema, withClock(clock), hook, WithLogger(logger), WithHolder("replica-1"))
	unlock := mustLock(t, s)
	pool.Close()

	if err := renew.Tick(); err == nil || errors.Is(err, syncengine.ErrLocked) {
		t.Errorf("a renewal on a closed pool: %v; want it failed, the lease not lost yet", err)
	}
	d := syncengine.Due{Collection: syncengine.Users, Side: syncengine.SideA, ID: "1", Kind: "deactivate", At: time.Now()}
	p := []syncengine.Pending{{Collection: syncengine.Users, Side: syncengine.SideA, ID: "1"}}
	calls := map[string]error{
		"put link":     s.PutLink(ctx, pair, link("1", "b1")),
		"delete link":  s.DeleteLink(ctx, pair, syncengine.Users, "1"),
		"put cursor":   s.PutCursor(ctx, pair, "c", "v"),
		"add run":      s.AddRun(ctx, pair, syncengine.RunRecord{ID: "r"}),
		"put due":      s.PutDue(ctx, pair, d),
		"delete due":   s.DeleteDue(ctx, pair, d),
		"add pending":  s.AddPending(ctx, pair, p),
		"done pending": s.DonePending(ctx, pair, p),
		"put lookup":   s.PutLookup(ctx, pair, "k", syncengine.Lookup{Value: []byte("v")}),
	}
	_, calls["links"] = s.Links(ctx, pair, syncengine.Users)
	_, calls["cursor"] = s.Cursor(ctx, pair, "c")
	_, calls["runs"] = s.Runs(ctx, pair)
	_, calls["dues"] = s.Dues(ctx, pair)
	_, calls["pending"] = s.Pending(ctx, pair)
	_, _, calls["lookup"] = s.Lookup(ctx, pair, "k")
	_, calls["lock"] = s.Lock(ctx, "other")
	for op, err := range calls {
		if err == nil || errors.Is(err, syncengine.ErrLocked) || !strings.Contains(err.Error(), "pgstore: "+op) {
			t.Errorf("%s on a closed pool: %v; want an error naming the call, not ErrLocked", op, err)
		}
	}
	clock.Add(DefaultLeaseDuration + time.Second)
	if err := renew.Tick(); !errors.Is(err, syncengine.ErrLocked) {
		t.Errorf("a renewal past the lease's end: %v, want the lease lost", err)
	}
	if err := unlock(); !errors.Is(err, syncengine.ErrLocked) {
		t.Errorf("unlock: %v, want the lease reported lost", err)
	}
	for _, want := range []string{
		`level=WARN msg="pgstore: lease renewal failed; trying again" pair=bamboohr->litmos holder=replica-1 token=1`,
		`level=ERROR msg="pgstore: lease lost; the run must stop" pair=bamboohr->litmos holder=replica-1 token=1`,
	} {
		if !strings.Contains(logged.String(), want) {
			t.Errorf("the log lacks %q:\n%s", want, logged.String())
		}
	}
	if _, err := New(ctx, pool, WithSchema(schema)); err == nil {
		t.Error("New on a closed pool: no error")
	}
}

// Connection errors never carry the database password.
func TestErrorsHoldNoPassword(t *testing.T) {
	const password = "s3cret-Passw0rd"
	pool, err := pgxpool.New(ctx, "postgres://rostersync:"+password+"@127.0.0.1:1/postgres?sslmode=disable&connect_timeout=5")
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	c, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	_, err = New(c, pool)
	if err == nil {
		t.Fatal("New on an unreachable database: no error")
	}
	if strings.Contains(err.Error(), password) {
		t.Errorf("the error shows the password: %v", err)
	}
}
