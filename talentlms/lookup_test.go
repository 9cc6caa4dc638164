package talentlms_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/rostersync/rostersync/talentlms"
	"github.com/rostersync/rostersync/talentlms/talentlmstest"
)

// TestLookupNastyValues finds users whose email or login holds characters
// a path needs escaped, through the fake, which decodes as PHP's
// urldecode does (a raw "+" would read as a space and miss).
func TestLookupNastyValues(t *testing.T) {
	srv, c := newFake(t)
	users := []talentlmstest.User{
		{Login: "ana+lms", Email: "ana+lms@example.com"},
		{Login: "zoë.ñúñez", Email: "zoë@exämple.com"},
		{Login: "o'brien&co", Email: "o'brien&co=1@example.com"},
		{Login: "ana lima", Email: "ana.lima@example.com"},
		{Login: "100%_sure~", Email: "percent%sign@example.com"},
	}
	ids := make([]string, len(users))
	for i, u := range users {
		u.FirstName, u.LastName = "F", "L"
		ids[i] = srv.AddUser(u)
	}
	for i, u := range users {
		byEmail, err := c.GetUserByEmail(ctx, u.Email)
		if err != nil || byEmail.ID != ids[i] {
			t.Errorf("GetUserByEmail(%q) = %+v, %v; want id %s", u.Email, byEmail, err, ids[i])
		}
		byLogin, err := c.GetUserByUsername(ctx, u.Login)
		if err != nil || byLogin.ID != ids[i] {
			t.Errorf("GetUserByUsername(%q) = %+v, %v; want id %s", u.Login, byLogin, err, ids[i])
		}
	}
}

// A value the v1 path syntax cannot carry is refused before anything is
// sent, with an error naming the parameter.
func TestLookupRefusesUnsafeValues(t *testing.T) {
	srv, c := newFake(t, talentlmstest.WithDateFormat(talentlms.DDMMYYYY))
	for _, tt := range []struct {
		call func() error
		name string
	}{
		{func() error { _, err := c.GetUserByEmail(ctx, "a/b@example.com"); return err }, "email"},
		{func() error { _, err := c.GetUserByUsername(ctx, "a:b"); return err }, "username"},
		{func() error { _, err := c.GetUserByUsername(ctx, "ana,bo"); return err }, "username"},
		{func() error { _, err := c.GetUser(ctx, "5 or 1=1"); return err }, "user id"},
		{func() error { _, err := c.SetUserStatus(ctx, "5", "gone"); return err }, "status"},
	} {
		err := tt.call()
		if err == nil || !strings.Contains(err.Error(), tt.name) {
			t.Errorf("error %v does not name %q", err, tt.name)
		}
		if errors.Is(err, talentlms.ErrNotFound) {
			t.Errorf("refused value reads as not found: %v", err)
		}
	}
	for _, e := range srv.Log().Entries() {
		if e.Path != talentlmstest.APIPath+"/siteinfo" {
			t.Errorf("sent %s %s", e.Method, e.Path)
		}
	}
}

// A reply naming another user than the one asked for is an error, not
// that user: a path the server split differently must not hand back
// someone else to update.
func TestLookupChecksTheAnswer(t *testing.T) {
	srv, c := newFake(t)
	srv.AddUser(talentlmstest.User{Login: "bo", FirstName: "Bo", LastName: "Chen", Email: "bo@example.com"})
	srv.AddFault(talentlmstest.Fault{Path: talentlmstest.APIPath + "/users/*", Status: 200,
		Body: `{"id":"1","login":"bo","email":"bo@example.com","first_name":"Bo","last_name":"Chen"}`})
	if _, err := c.GetUserByEmail(ctx, "ana@example.com"); err == nil || !strings.Contains(err.Error(), "not the one asked for") {
		t.Errorf("GetUserByEmail answered by another user: %v", err)
	}
	if _, err := c.GetUserByUsername(ctx, "ana"); err == nil {
		t.Error("GetUserByUsername answered by another user: no error")
	}
	if u, err := c.GetUserByEmail(ctx, "BO@example.com"); err != nil || u.ID != "1" {
		t.Errorf("email in another case: %+v, %v", u, err)
	}
}
