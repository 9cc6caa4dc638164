package talentlms_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/rostersync/rostersync/talentlms"
	"github.com/rostersync/rostersync/talentlms/talentlmstest"
)

func TestUserLifecycle(t *testing.T) {
	srv, c := newFake(t)
	co := srv.SeedCompany()
	no := false
	created, err := c.CreateUser(ctx, talentlms.CreateUserParams{
		FirstName: "Ivy", LastName: "Stone", Email: "ivy@example.com", Login: "ivy",
		Password: "Passw0rd1", RestrictEmail: &no, BranchID: co.Branches["Sales"],
	})
	if err != nil {
		t.Fatal(err)
	}
	if created.ID == "" || created.Status != talentlms.Active || created.Courses != nil {
		t.Errorf("created = %+v", created)
	}
	for name, get := range map[string]func() (*talentlms.User, error){
		"id":       func() (*talentlms.User, error) { return c.GetUser(ctx, created.ID) },
		"email":    func() (*talentlms.User, error) { return c.GetUserByEmail(ctx, "IVY@example.com") },
		"username": func() (*talentlms.User, error) { return c.GetUserByUsername(ctx, "ivy") },
	} {
		u, err := get()
		if err != nil || u.ID != created.ID || len(u.Branches) != 1 || u.Branches[0].Name != "Sales" {
			t.Errorf("get by %s = %+v, %v", name, u, err)
		}
	}

	bio := "Joined from Finance"
	edited, err := c.EditUser(ctx, talentlms.EditUserParams{UserID: created.ID, LastName: "Stone-Hale", Bio: &bio})
	if err != nil || edited.LastName != "Stone-Hale" || edited.Bio != bio || edited.FirstName != "Ivy" {
		t.Errorf("edited = %+v, %v", edited, err)
	}

	st, err := c.SetUserStatus(ctx, created.ID, talentlms.Inactive)
	if err != nil || *st != (talentlms.StatusResult{UserID: created.ID, Status: talentlms.Inactive}) {
		t.Errorf("SetUserStatus = %+v, %v", st, err)
	}
	if u, _ := srv.User(created.ID); u.Status != talentlms.Inactive {
		t.Errorf("stored status %q", u.Status)
	}

	if err := c.DeleteUser(ctx, talentlms.DeleteUserParams{UserID: created.ID}); err != nil {
		t.Fatal(err)
	}
	_, err = c.GetUser(ctx, created.ID)
	if !errors.Is(err, talentlms.ErrNotFound) || !strings.Contains(err.Error(), "no longer available") {
		t.Errorf("after soft delete: %v", err)
	}
	if !srv.Deleted(created.ID) || slices.Contains(srv.BranchMembers(co.Branches["Sales"]), created.ID) {
		t.Errorf("soft delete left member lists %v", srv.BranchMembers(co.Branches["Sales"]))
	}
}

func TestUserWriteErrors(t *testing.T) {
	srv, c := newFake(t)
	co := srv.SeedCompany()
	base := talentlms.CreateUserParams{FirstName: "A", LastName: "B", Email: "a@example.com", Login: "a", Password: "Passw0rd1"}
	tests := []struct {
		name  string
		edit  func(*talentlms.CreateUserParams)
		want  error
		local bool // refused before sending
	}{
		{"taken email in another case", func(p *talentlms.CreateUserParams) { p.Email = "ANA.LIMA@northwind.example" }, talentlms.ErrConflict, false},
		{"taken login", func(p *talentlms.CreateUserParams) { p.Login = "bo.chen" }, talentlms.ErrConflict, false},
		{"weak password", func(p *talentlms.CreateUserParams) { p.Password = "password" }, talentlms.ErrInvalid, false},
		{"unknown branch", func(p *talentlms.CreateUserParams) { p.BranchID = "99" }, talentlms.ErrNotFound, false},
		{"no password", func(p *talentlms.CreateUserParams) { p.Password = "" }, nil, true},
		{"no last name", func(p *talentlms.CreateUserParams) { p.LastName = "" }, nil, true},
		{"bad email", func(p *talentlms.CreateUserParams) { p.Email = "Ana <a@example.com>" }, nil, true},
	}
	for _, tt := range tests {
		p := base
		tt.edit(&p)
		before := srv.Log().Count(talentlmstest.IsWrite)
		_, err := c.CreateUser(ctx, p)
		sent := srv.Log().Count(talentlmstest.IsWrite) - before
		switch {
		case err == nil:
			t.Errorf("%s: no error", tt.name)
		case tt.local && sent != 0:
			t.Errorf("%s: sent a request: %v", tt.name, err)
		case !tt.local && !errors.Is(err, tt.want):
			t.Errorf("%s: %v, want %v", tt.name, err, tt.want)
		}
	}
	ana := co.Users["ana.lima"]
	if _, err := c.EditUser(ctx, talentlms.EditUserParams{UserID: ana, Email: "bo.chen@northwind.example"}); !errors.Is(err, talentlms.ErrConflict) {
		t.Errorf("edit to a taken email: %v", err)
	}
	if _, err := c.EditUser(ctx, talentlms.EditUserParams{UserID: "999"}); !errors.Is(err, talentlms.ErrNotFound) {
		t.Errorf("edit of no one: %v", err)
	}
	if _, err := c.SetUserStatus(ctx, "999", talentlms.Active); !errors.Is(err, talentlms.ErrNotFound) {
		t.Errorf("status of no one: %v", err)
	}
	if err := c.DeleteUser(ctx, talentlms.DeleteUserParams{UserID: "x"}); err == nil {
		t.Error("delete of a non-id")
	}
}

func TestNewPassword(t *testing.T) {
	srv, c := newFake(t)
	seen := map[string]bool{}
	for i := 0; i < 50; i++ {
		p, err := talentlms.NewPassword()
		if err != nil {
			t.Fatal(err)
		}
		if seen[p.Reveal()] || len(p.Reveal()) != 20 {
			t.Fatalf("password %d repeats or has length %d", i, len(p.Reveal()))
		}
		seen[p.Reveal()] = true
		if _, err := c.CreateUser(ctx, talentlms.CreateUserParams{FirstName: "S", LastName: "So", Email: "sso" + string(rune('a'+i%26)) + string(rune('a'+i/26)) + "@example.com", Login: "sso" + string(rune('a'+i%26)) + string(rune('a'+i/26)), Password: p}); err != nil {
			t.Fatalf("the fake's strong-password policy refused %d: %v", i, err)
		}
	}
	if n := len(srv.Users()); n != 50 {
		t.Errorf("%d users stored", n)
	}
}

func TestNewValidation(t *testing.T) {
	for _, tt := range []struct {
		domain, key, errHas string
		opts                []talentlms.Option
	}{
		{"acme", "", "API key is empty", nil},
		{"acme", "ab:cd", "colon", nil},
		{"acme", "ab cd", "whitespace", nil},
		{"acme/x", "k", "not a TalentLMS portal host", nil},
		{"", "k", "not a TalentLMS portal host", nil},
		{"acme", "k", "not an absolute", []talentlms.Option{talentlms.WithBaseURL("acme.talentlms.com/api/v1")}},
		{"acme", "k", "nil *http.Client", []talentlms.Option{talentlms.WithHTTPClient(nil)}},
		{"acme", "k", "line break", []talentlms.Option{talentlms.WithUserAgent("a\nb")}},
		{"acme", "k", "negative", []talentlms.Option{talentlms.WithRateLimit(talentlms.Limit{Requests: -1})}},
	} {
		_, err := talentlms.New(tt.domain, tt.key, tt.opts...)
		if err == nil || !strings.Contains(err.Error(), tt.errHas) || !strings.HasPrefix(err.Error(), "talentlms: New: ") {
			t.Errorf("New(%q, %q) = %v, want an error with %q", tt.domain, tt.key, err, tt.errHas)
		}
	}
	for in, want := range map[string]string{
		"acme": "acme.talentlms.com", "Acme.TalentLMS.com": "acme.talentlms.com",
		"https://acme.talentlms.com/": "acme.talentlms.com", "learn.example.org": "learn.example.org",
	} {
		c, err := talentlms.New(in, "k")
		if err != nil || c.Domain() != want {
			t.Errorf("New(%q).Domain() = %v, %v; want %s", in, c, err, want)
		}
	}
	if got := talentlms.DefaultBaseURL("acme.talentlms.com"); got != "https://acme.talentlms.com/api/v1" {
		t.Errorf("DefaultBaseURL = %q", got)
	}
}

// Every request carries Basic auth with the key as user and an empty
// password, and asks for JSON.
func TestRequestHeaders(t *testing.T) {
	srv, c := newFake(t)
	srv.SeedCompany()
	if _, err := c.GetSiteInfo(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := c.SetUserStatus(ctx, "1", talentlms.Active); err != nil {
		t.Fatal(err)
	}
	for _, e := range srv.Log().Entries() {
		if got := e.Header.Get("Authorization"); got != "Basic VGw1WnFMMHJKOHdWeDNLY043bUIyeUhkNFJzQTZlOg==" { // base64("<APIKey>:")
			t.Errorf("%s: Authorization %q", e.Path, got)
		}
		if e.Header.Get("Accept") != "application/json" || !strings.HasPrefix(e.Header.Get("User-Agent"), "rostersync/") {
			t.Errorf("%s: headers %v", e.Path, e.Header)
		}
	}
}
