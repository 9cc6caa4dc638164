package litmos_test

import (
	"context"
	"testing"

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
