package litmos_test

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rostersync/rostersync/litmos"
	"github.com/rostersync/rostersync/litmos/litmostest"
	"github.com/rostersync/rostersync/syncengine"
)

// A write with the engine's base goes out on the user as last read: a Get
// after the listing (the engine's check of a stale plan) replaces the
// listed copy, and a written user is read again before its next write, so
// neither an admin's edit seen by the Get nor the first write is undone.
func TestWriteBaseIsTheLatestRead(t *testing.T) {
	ctx := context.Background()
	srv := litmostest.NewServer(t, litmostest.WithoutRateLimit())
	u := srv.AddUser(litmos.User{UserName: "ana@example.com", Email: "ana@example.com", FirstName: "Ana", LastName: "Lima", Active: true, City: "Lisbon"})
	k := litmos.NewConnector(srv.NewClient(t), litmos.ConnectorOptions{})
	admin := srv.NewClient(t)
	for _, err := range k.List(ctx, syncengine.Users) {
		if err != nil {
			t.Fatal(err)
		}
	}
	if _, err := admin.UpdateUser(ctx, u.ID, func(u *litmos.User) error { u.City = "Porto"; return nil }); err != nil {
		t.Fatal(err)
	}
	rec, err := k.Get(ctx, syncengine.Users, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	write := func(f, v string) {
		t.Helper()
		if err := k.Write(ctx, syncengine.Users, syncengine.Write{ID: u.ID, Base: &rec, Fields: map[string]any{f: v}}); err != nil {
			t.Fatal(err)
		}
	}
	write("JobTitle", "Lead")
	write("Street1", "1 Rua Nova")
	got, _ := srv.User(u.ID)
	if got.City != "Porto" || got.JobTitle != "Lead" || got.Street1 != "1 Rua Nova" {
		t.Errorf("user after two writes: city %q, title %q, street %q; want the admin's Porto and both writes", got.City, got.JobTitle, got.Street1)
	}
}

// A listing that was under way while a user was written does not bring
// back the copy from before that write as the next write's base.
func TestWriteDuringListingKeepsIt(t *testing.T) {
	ctx := context.Background()
	srv := litmostest.NewServer(t, litmostest.WithoutRateLimit())
	u := srv.AddUser(litmos.User{UserName: "ana@example.com", Email: "ana@example.com", FirstName: "Ana", LastName: "Lima", Active: true})
	k := litmos.NewConnector(srv.NewClient(t), litmos.ConnectorOptions{})
	base := syncengine.Record{ID: u.ID}
	write := func(f, v string) {
		t.Helper()
		if err := k.Write(ctx, syncengine.Users, syncengine.Write{ID: u.ID, Base: &base, Fields: map[string]any{f: v}}); err != nil {
			t.Fatal(err)
		}
	}
	for _, err := range k.List(ctx, syncengine.Users) {
		if err != nil {
			t.Fatal(err)
		}
		write("JobTitle", "Lead") // while the listing is still open
	}
	write("Street1", "1 Rua Nova")
	if got, _ := srv.User(u.ID); got.JobTitle != "Lead" || got.Street1 != "1 Rua Nova" {
		t.Errorf("user: title %q, street %q; want both writes", got.JobTitle, got.Street1)
	}
}

// A write on a base Find read (the engine's event path matches an
// unlinked record with Find) goes out on what Find read, not on an older
// listed copy: the admin's edits since the listing (the user reactivated,
// the city, the title) stay, and a value the listed copy already held is
// still written.
func TestWriteOnFoundBase(t *testing.T) {
	type state struct {
		Active                  bool
		City, JobTitle, Street1 string
	}
	for _, field := range []string{"UserName", "Email"} {
		for _, tc := range []struct {
			name  string
			write map[string]any
			want  state
		}{
			{"another field", map[string]any{"Street1": "1 Rua Nova"}, state{Active: true, City: "Porto", JobTitle: "Manager", Street1: "1 Rua Nova"}},
			{"a value the listing held", map[string]any{"JobTitle": "Lead"}, state{Active: true, City: "Porto", JobTitle: "Lead"}},
		} {
			t.Run(field+"/"+tc.name, func(t *testing.T) {
				ctx := context.Background()
				srv := litmostest.NewServer(t, litmostest.WithoutRateLimit())
				u := srv.AddUser(litmos.User{UserName: "ana@example.com", Email: "ana@example.com", FirstName: "Ana", LastName: "Lima", City: "Lisbon", JobTitle: "Lead"})
				k := litmos.NewConnector(srv.NewClient(t), litmos.ConnectorOptions{})
				listRecords(t, k, syncengine.Users) // last night's sync
				if _, err := srv.NewClient(t).UpdateUser(ctx, u.ID, func(u *litmos.User) error {
					u.Active, u.City, u.JobTitle = true, "Porto", "Manager"
					return nil
				}); err != nil {
					t.Fatal(err)
				}
				found, err := k.Find(ctx, syncengine.Users, field, "ana@example.com") // the webhook run's match
				if err != nil || len(found) != 1 || !found[0].Active || found[0].Fields["City"] != "Porto" {
					t.Fatalf("Find = %+v, %v; want the active user in Porto", found, err)
				}
				if err := k.Write(ctx, syncengine.Users, syncengine.Write{ID: u.ID, Base: &found[0], Fields: tc.write}); err != nil {
					t.Fatal(err)
				}
				got, _ := srv.User(u.ID)
				if diff := cmp.Diff(tc.want, state{Active: got.Active, City: got.City, JobTitle: got.JobTitle, Street1: got.Street1}); diff != "" {
					t.Errorf("user after the write (-want +got):\n%s", diff)
				}
			})
		}
	}
}

// holdGet holds Litmos's answer to GET path, once, until release is
// closed, after closing got.
type holdGet struct {
	path         string
	once         sync.Once
	got, release chan struct{}
}

func (h *holdGet) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := http.DefaultTransport.RoundTrip(r)
	if r.Method != http.MethodGet || r.URL.Path != h.path {
		return resp, err
	}
	first := false
	h.once.Do(func() { first = true })
	if first {
		close(h.got)
		<-h.release
	}
	return resp, err
}

// A Get that read a user before a write of it, and returns after the
// write, does not make its read the next write's base: the second write
// reads the user again and keeps the first.
func TestGetDuringWriteKeepsTheWrite(t *testing.T) {
	ctx := context.Background()
	srv := litmostest.NewServer(t, litmostest.WithoutRateLimit())
	u := srv.AddUser(litmos.User{UserName: "ana@example.com", Email: "ana@example.com", FirstName: "Ana", LastName: "Lima", Active: true})
	h := &holdGet{path: litmostest.ServicePath + "/users/" + u.ID, got: make(chan struct{}), release: make(chan struct{})}
	k := litmos.NewConnector(srv.NewClient(t, litmos.WithHTTPClient(&http.Client{Transport: h})), litmos.ConnectorOptions{})
	done := make(chan error)
	go func() {
		_, err := k.Get(ctx, syncengine.Users, u.ID)
		done <- err
	}()
	<-h.got // Litmos answered the Get; the connector has not kept it yet
	base := syncengine.Record{ID: u.ID}
	write := func(f, v string) {
		t.Helper()
		if err := k.Write(ctx, syncengine.Users, syncengine.Write{ID: u.ID, Base: &base, Fields: map[string]any{f: v}}); err != nil {
			t.Fatal(err)
		}
	}
	write("JobTitle", "Lead")
	close(h.release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	write("Street1", "1 Rua Nova")
	if got, _ := srv.User(u.ID); got.JobTitle != "Lead" || got.Street1 != "1 Rua Nova" {
		t.Errorf("user: title %q, street %q; want both writes", got.JobTitle, got.Street1)
	}
}

// Writes with the engine's base from many goroutines (Concurrency > 1),
// while users are read alone, listed and created, each land; run with
// -race, it checks the kept copies and the usernames taken are shared
// safely.
func TestConcurrentWritesLand(t *testing.T) {
	ctx := context.Background()
	srv := litmostest.NewServer(t, litmostest.WithoutRateLimit())
	var ids []string
	for i := range 12 {
		name := fmt.Sprintf("u%02d@example.com", i)
		ids = append(ids, srv.AddUser(litmos.User{UserName: name, Email: name, FirstName: "U", LastName: "N", Active: true}).ID)
	}
	k := litmos.NewConnector(srv.NewClient(t), litmos.ConnectorOptions{})
	listRecords(t, k, syncengine.Users)
	base := syncengine.Record{}
	var wg sync.WaitGroup
	for i, id := range ids {
		wg.Go(func() {
			if i%3 == 0 {
				if _, err := k.Get(ctx, syncengine.Users, id); err != nil {
					t.Error(err)
				}
			}
			for n, f := range []string{"JobTitle", "City", "Street1"} {
				if err := k.Write(ctx, syncengine.Users, syncengine.Write{ID: id, Base: &base, Fields: map[string]any{f: fmt.Sprint(n)}}); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Go(func() {
		for i := range 3 {
			for _, err := range k.List(ctx, syncengine.Users) {
				if err != nil {
					t.Error(err)
				}
			}
			if _, err := k.Create(ctx, syncengine.Users, bulkRecord(i)); err != nil {
				t.Error(err)
			}
		}
	})
	wg.Wait()
	for _, id := range ids {
		if u, _ := srv.User(id); u.JobTitle != "0" || u.City != "1" || u.Street1 != "2" {
			t.Errorf("user %s: title %q, city %q, street %q; want 0, 1, 2", id, u.JobTitle, u.City, u.Street1)
		}
	}
}
