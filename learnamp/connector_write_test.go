package learnamp_test

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rostersync/rostersync/learnamp"
	"github.com/rostersync/rostersync/learnamp/learnamptest"
	"github.com/rostersync/rostersync/syncengine"
)

// apiCalls lists the requests other than token requests as "METHOD /path
// status", without the fake's path prefix, and empties the log.
func apiCalls(srv *learnamptest.Server) []string {
	var out []string
	for _, e := range apiEntries(srv) {
		out = append(out, e.Method+" "+strings.TrimPrefix(e.Path, "/proxy/learnamp")+" "+strconv.Itoa(e.Status))
	}
	srv.Log().Reset()
	return out
}

// A new user is one POST carrying its fields, primary team and manager,
// with skipInvitation unless SendEmail (golden bodies).
func TestConnectorCreateUser(t *testing.T) {
	for _, tc := range []struct {
		name      string
		sendEmail bool
		golden    string
		invites   int
	}{
		{"no email", false, "connector_user_create.golden.json", 0},
		{"invite now", true, "connector_user_create_invite.golden.json", 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			k, srv := newConnector(t, learnamp.ConnectorOptions{SendEmail: tc.sendEmail})
			co := srv.SeedCompany()
			srv.Log().Reset()
			id, err := k.Create(context.Background(), syncengine.Users, syncengine.Record{Active: true,
				Fields: map[string]any{
					"email": "edsger@acme.test", "firstName": "Edsger", "lastName": "Dijkstra", "integrationExternalId": "HR-7",
					"jobTitle": "Engineer", "location": "Austin", "department": "Platform", "hireDate": "2026-04-01", "language": "en",
				},
				Refs: map[string][]syncengine.Ref{"manager": userRef(co.Users["HR-1"]), "teams": teamRef(co.Teams["dept-4"])}})
			if err != nil {
				t.Fatal(err)
			}
			checkGolden(t, tc.golden, lastBody(t, srv))
			if d := cmp.Diff([]string{"POST /v1/users 201"}, apiCalls(srv)); d != "" {
				t.Errorf("calls (-want +got):\n%s", d)
			}
			u, _ := srv.User(id)
			if u.ManagerID != co.Users["HR-1"] || u.PrimaryTeamID != co.Teams["dept-4"] || len(srv.Invitations()) != tc.invites {
				t.Errorf("created %+v with %d invitations", u, len(srv.Invitations()))
			}
		})
	}
}

// A record the create body cannot carry is refused before any call,
// naming the field or reference.
func TestConnectorCreateUserRefused(t *testing.T) {
	k, srv := newConnector(t, learnamp.ConnectorOptions{})
	co := srv.SeedCompany()
	person := func(extra map[string]any) map[string]any {
		f := map[string]any{"email": "x@acme.test", "firstName": "X", "lastName": "Y"}
		for k, v := range extra {
			f[k] = v
		}
		return f
	}
	for _, tc := range []struct {
		name string
		rec  syncengine.Record
		says string
	}{
		{"unknown field", syncengine.Record{Fields: person(map[string]any{"displayName": "X Y"})}, `"displayName" is not a Learn Amp user field`},
		{"body field as field", syncengine.Record{Fields: person(map[string]any{"managerId": "1001"})}, `write the "manager" reference`},
		{"read-only", syncengine.Record{Fields: person(map[string]any{"status": "confirmed"})}, `"status" is set by Learn Amp`},
		{"occupation role", syncengine.Record{Fields: person(map[string]any{"occupationRole": "Chef"})}, `"occupationRole" cannot be set on create`},
		{"not text", syncengine.Record{Fields: person(map[string]any{"jobTitle": true})}, `field "jobTitle": a bool is not text`},
		{"bad date", syncengine.Record{Fields: person(map[string]any{"hireDate": "31/01/2026"})}, `field "hireDate"`},
		{"missing email", syncengine.Record{Fields: map[string]any{"firstName": "X", "lastName": "Y"}}, "email is required"},
		{"two managers", syncengine.Record{Fields: person(nil), Refs: map[string][]syncengine.Ref{
			"manager": append(userRef(co.Users["HR-1"]), userRef(co.Users["HR-4"])...)}}, "2 manager references"},
		{"two teams", syncengine.Record{Fields: person(nil), Refs: map[string][]syncengine.Ref{
			"teams": teamRef(co.Teams["dept-1"], co.Teams["dept-2"])}}, "SecondaryTeams"},
		{"unknown role", syncengine.Record{Fields: person(nil), Refs: map[string][]syncengine.Ref{"parent": teamRef(co.Teams["dept-1"])}}, `role "parent"`},
	} {
		srv.Log().Reset()
		_, err := k.Create(context.Background(), syncengine.Users, tc.rec)
		if err == nil || !strings.Contains(err.Error(), tc.says) {
			t.Errorf("%s: err = %v, want one saying %s", tc.name, err, tc.says)
		}
		if calls := apiCalls(srv); len(calls) != 0 {
			t.Errorf("%s: calls %v, want none", tc.name, calls)
		}
	}
}

// A duplicate email answers 400; it matches ErrConflict (the engine then
// looks the person up and adopts them) as well as ErrInvalid. Another 400
// is no conflict.
func TestConnectorCreateUserTaken(t *testing.T) {
	k, srv := newConnector(t, learnamp.ConnectorOptions{})
	srv.SeedCompany()
	_, err := k.Create(context.Background(), syncengine.Users, syncengine.Record{Active: true,
		Fields: map[string]any{"email": "Grace.Hopper@acme.test", "firstName": "Grace", "lastName": "Hopper"}})
	if !errors.Is(err, syncengine.ErrConflict) || !errors.Is(err, syncengine.ErrInvalid) {
		t.Errorf("err = %v, want ErrConflict and ErrInvalid", err)
	}
	_, err = k.Create(context.Background(), syncengine.Users, syncengine.Record{Active: true,
		Fields: map[string]any{"email": "new@acme.test", "firstName": "New", "lastName": "Person"},
		Refs:   map[string][]syncengine.Ref{"teams": teamRef("999")}})
	if !errors.Is(err, syncengine.ErrInvalid) || errors.Is(err, syncengine.ErrConflict) {
		t.Errorf("unknown team: err = %v, want ErrInvalid and no ErrConflict", err)
	}
}

// A create whose reply is lost answers ErrOutcomeUnknown, and Find by
// the match key finds what it made.
func TestConnectorCreateUserOutcomeUnknown(t *testing.T) {
	k, srv := newConnector(t, learnamp.ConnectorOptions{})
	srv.AddFault(learnamptest.Fault{Method: http.MethodPost, Path: "/proxy/learnamp/v1/users", Times: 1, ApplyThenDrop: true})
	_, err := k.Create(context.Background(), syncengine.Users, syncengine.Record{Active: true,
		Fields: map[string]any{"email": "x@acme.test", "firstName": "X", "lastName": "Y", "integrationExternalId": "HR-9"}})
	if !errors.Is(err, syncengine.ErrOutcomeUnknown) {
		t.Fatalf("err = %v, want ErrOutcomeUnknown", err)
	}
	got, err := k.Find(context.Background(), syncengine.Users, "integrationExternalId", "HR-9")
	if err != nil || len(got) != 1 || got[0].Fields["email"] != "x@acme.test" {
		t.Errorf("Find after the lost reply = %+v, %v", got, err)
	}
}

// listed returns the records List yields, by integrationExternalId: the
// bases the engine hands to Write.
func listed(t *testing.T, k *learnamp.Connector) map[string]syncengine.Record {
	t.Helper()
	out := map[string]syncengine.Record{}
	for _, r := range listAll(t, k, syncengine.Users) {
		out[r.Fields["integrationExternalId"].(string)] = r
	}
	return out
}

func boolPtr(b bool) *bool { return &b }

// Each write costs the fewest calls Learn Amp allows: one PUT for any mix
// of fields, manager and primary team (taking email and names from the
// base), one call for an active flag alone; only without a base is the
// user read first.
func TestConnectorWriteCalls(t *testing.T) {
	type check func(t *testing.T, srv *learnamptest.Server, co learnamptest.Company)
	userIs := func(ext string, want func(learnamptest.User) bool) check {
		return func(t *testing.T, srv *learnamptest.Server, co learnamptest.Company) {
			if u, _ := srv.User(co.Users[ext]); !want(u) {
				t.Errorf("%s after the write: %+v", ext, u)
			}
		}
	}
	for _, tc := range []struct {
		name   string
		ext    string
		noBase bool
		write  func(co learnamptest.Company) syncengine.Write
		calls  func(co learnamptest.Company) []string
		check  check
	}{
		{name: "fields", ext: "HR-2",
			write: func(learnamptest.Company) syncengine.Write {
				return syncengine.Write{Fields: map[string]any{"jobTitle": "Principal Engineer", "location": "London"}}
			},
			calls: func(co learnamptest.Company) []string { return []string{"PUT /v1/users/" + co.Users["HR-2"] + " 200"} },
			check: userIs("HR-2", func(u learnamptest.User) bool {
				return u.JobTitle == "Principal Engineer" && u.Location == "London" && u.Email == "ada.lovelace@acme.test"
			})},
		{name: "fields, manager and primary team", ext: "HR-2",
			write: func(co learnamptest.Company) syncengine.Write {
				return syncengine.Write{Fields: map[string]any{"lastName": "King", "email": "ada.king@acme.test"},
					Refs: map[string][]syncengine.Ref{"manager": userRef(co.Users["HR-4"]), "teams": teamRef(co.Teams["dept-2"])}}
			},
			calls: func(co learnamptest.Company) []string { return []string{"PUT /v1/users/" + co.Users["HR-2"] + " 200"} },
			check: func(t *testing.T, srv *learnamptest.Server, co learnamptest.Company) {
				u, _ := srv.User(co.Users["HR-2"])
				if u.LastName != "King" || u.Email != "ada.king@acme.test" || u.ManagerID != co.Users["HR-4"] ||
					u.PrimaryTeamID != co.Teams["dept-2"] || len(u.SecondaryTeamIDs) != 0 {
					t.Errorf("after the write: %+v", u)
				}
			}},
		{name: "unchanged manager", ext: "HR-2",
			write: func(co learnamptest.Company) syncengine.Write {
				return syncengine.Write{Refs: map[string][]syncengine.Ref{"manager": userRef(co.Users["HR-1"]), "teams": teamRef(co.Teams["dept-4"])}}
			},
			calls: func(learnamptest.Company) []string { return nil }},
		{name: "no primary team", ext: "HR-2",
			write: func(co learnamptest.Company) syncengine.Write {
				return syncengine.Write{Refs: map[string][]syncengine.Ref{"teams": {}}}
			},
			calls: func(co learnamptest.Company) []string {
				return []string{"DELETE /v1/teams/" + co.Teams["dept-4"] + "/users/" + co.Users["HR-2"] + " 204"}
			},
			check: userIs("HR-2", func(u learnamptest.User) bool { return u.PrimaryTeamID == "" })},
		{name: "deactivate", ext: "HR-2",
			write: func(learnamptest.Company) syncengine.Write { return syncengine.Write{Active: boolPtr(false)} },
			calls: func(co learnamptest.Company) []string {
				return []string{"PUT /v1/users/" + co.Users["HR-2"] + "/deactivate 204"}
			},
			check: userIs("HR-2", func(u learnamptest.User) bool { return u.Status == learnamp.StatusDeactivated })},
		{name: "fields then deactivate, teams left to Learn Amp", ext: "HR-2",
			write: func(co learnamptest.Company) syncengine.Write {
				return syncengine.Write{Fields: map[string]any{"jobTitle": "Retired"}, Active: boolPtr(false),
					Refs: map[string][]syncengine.Ref{"teams": teamRef(co.Teams["dept-2"])}}
			},
			calls: func(co learnamptest.Company) []string {
				return []string{"PUT /v1/users/" + co.Users["HR-2"] + " 200", "PUT /v1/users/" + co.Users["HR-2"] + "/deactivate 204"}
			},
			check: userIs("HR-2", func(u learnamptest.User) bool {
				return u.JobTitle == "Retired" && u.Status == learnamp.StatusDeactivated && u.PrimaryTeamID == ""
			})},
		{name: "reactivate", ext: "HR-6",
			write: func(learnamptest.Company) syncengine.Write { return syncengine.Write{Active: boolPtr(true)} },
			calls: func(co learnamptest.Company) []string {
				return []string{"PUT /v1/users/" + co.Users["HR-6"] + "/reactivate 204"}
			},
			check: userIs("HR-6", func(u learnamptest.User) bool { return u.Status != learnamp.StatusDeactivated })},
		{name: "reactivate with fields and team", ext: "HR-6",
			write: func(co learnamptest.Company) syncengine.Write {
				return syncengine.Write{Active: boolPtr(true), Fields: map[string]any{"jobTitle": "Operations Director"},
					Refs: map[string][]syncengine.Ref{"teams": teamRef(co.Teams["dept-3"])}}
			},
			calls: func(co learnamptest.Company) []string { return []string{"PUT /v1/users/" + co.Users["HR-6"] + " 200"} },
			check: userIs("HR-6", func(u learnamptest.User) bool {
				return u.Status != learnamp.StatusDeactivated && u.JobTitle == "Operations Director" && u.PrimaryTeamID != ""
			})},
		{name: "teams of a deactivated user", ext: "HR-6",
			write: func(co learnamptest.Company) syncengine.Write {
				return syncengine.Write{Refs: map[string][]syncengine.Ref{"teams": teamRef(co.Teams["dept-3"])}}
			},
			calls: func(learnamptest.Company) []string { return nil }},
		{name: "no base", ext: "HR-2", noBase: true,
			write: func(learnamptest.Company) syncengine.Write {
				return syncengine.Write{Fields: map[string]any{"jobTitle": "Principal Engineer"}}
			},
			calls: func(co learnamptest.Company) []string {
				return []string{"GET /v1/users/" + co.Users["HR-2"] + " 200", "PUT /v1/users/" + co.Users["HR-2"] + " 200"}
			}},
		{name: "clear fields", ext: "HR-2",
			write: func(learnamptest.Company) syncengine.Write {
				return syncengine.Write{Fields: map[string]any{"jobTitle": nil, "integrationExternalId": nil}}
			},
			calls: func(co learnamptest.Company) []string { return []string{"PUT /v1/users/" + co.Users["HR-2"] + " 200"} },
			check: userIs("HR-2", func(u learnamptest.User) bool { return u.JobTitle == "" && u.IntegrationExternalID == "" })},
	} {
		t.Run(tc.name, func(t *testing.T) {
			k, srv := newConnector(t, learnamp.ConnectorOptions{})
			co := srv.SeedCompany()
			w := tc.write(co)
			w.ID = co.Users[tc.ext]
			if !tc.noBase {
				base := listed(t, k)[tc.ext]
				w.Base = &base
			}
			srv.Log().Reset()
			if err := k.Write(context.Background(), syncengine.Users, w); err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tc.calls(co), apiCalls(srv)); d != "" {
				t.Errorf("calls (-want +got):\n%s", d)
			}
			if tc.check != nil {
				tc.check(t, srv, co)
			}
		})
	}
}

// The PUT a changed user costs carries the changed fields, the manager,
// the primary team and the three fields Learn Amp requires, from the base.
func TestConnectorWriteBody(t *testing.T) {
	k, srv := newConnector(t, learnamp.ConnectorOptions{})
	co := srv.SeedCompany()
	srv.AddCustomField("Division", false)
	base := listed(t, k)["HR-3"]
	srv.Log().Reset()
	err := k.Write(context.Background(), syncengine.Users, syncengine.Write{ID: co.Users["HR-3"], Base: &base,
		Fields: map[string]any{"jobTitle": "Codebreaker", "hireDate": "2026-05-04", "customFields": map[string]any{"Division": "Europe"}},
		Refs:   map[string][]syncengine.Ref{"manager": userRef(co.Users["HR-4"]), "teams": teamRef(co.Teams["dept-1"])}})
	if err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "connector_user_write.golden.json", lastBody(t, srv))
	if u, _ := srv.User(co.Users["HR-3"]); u.CustomFields["Division"] != "Europe" {
		t.Errorf("custom fields %v", u.CustomFields)
	}
}

// Writes Learn Amp cannot do are refused, naming what: before any call
// for fields it cannot empty; after the rest for a manager it cannot
// remove.
func TestConnectorWriteRefused(t *testing.T) {
	k, srv := newConnector(t, learnamp.ConnectorOptions{})
	co := srv.SeedCompany()
	base := listed(t, k)["HR-2"]
	srv.Log().Reset()
	for _, f := range []string{"email", "firstName", "lastName", "hireDate", "language", "role", "occupationRole"} {
		err := k.Write(context.Background(), syncengine.Users, syncengine.Write{ID: base.ID, Base: &base, Fields: map[string]any{f: nil}})
		if err == nil || !strings.Contains(err.Error(), strconv.Quote(f)+" cannot be cleared") {
			t.Errorf("clearing %s: %v", f, err)
		}
	}
	if calls := apiCalls(srv); len(calls) != 0 {
		t.Errorf("refused writes made calls: %v", calls)
	}
	err := k.Write(context.Background(), syncengine.Users, syncengine.Write{ID: base.ID, Base: &base,
		Fields: map[string]any{"jobTitle": "Countess"}, Refs: map[string][]syncengine.Ref{"manager": {}}})
	if !errors.Is(err, syncengine.ErrUnsupported) || !strings.Contains(err.Error(), "manager "+co.Users["HR-1"]+" not removed") {
		t.Errorf("removing the manager: %v", err)
	}
	if u, _ := srv.User(base.ID); u.JobTitle != "Countess" || u.ManagerID != co.Users["HR-1"] {
		t.Errorf("after the refused manager removal: %+v; want the title written, the manager kept", u)
	}
	if err := k.Write(context.Background(), syncengine.Users, syncengine.Write{ID: "nope"}); !errors.Is(err, syncengine.ErrNotFound) {
		t.Errorf("write of a bad id: %v", err)
	}
}

// Should Learn Amp keep the former primary team as a secondary one when
// the primary team changes (its reference does not say), the connector
// takes the user out of it: a department move leaves one team.
func TestConnectorWriteOldPrimaryKept(t *testing.T) {
	k, srv := newConnector(t, learnamp.ConnectorOptions{})
	co := srv.SeedCompany()
	id := co.Users["HR-2"]
	base := listed(t, k)["HR-2"]
	reply := `{"id": ` + id + `, "email": "ada.lovelace@acme.test", "firstName": "Ada", "lastName": "Lovelace",
		"primaryTeam": {"id": ` + co.Teams["dept-2"] + `, "name": "Sales"}, "secondaryTeams": [{"id": ` + co.Teams["dept-4"] + `, "name": "Platform"}]}`
	srv.AddFault(learnamptest.Fault{Method: http.MethodPut, Path: "/proxy/learnamp/v1/users/" + id, Times: 1, Status: http.StatusOK, Body: reply})
	srv.Log().Reset()
	if err := k.Write(context.Background(), syncengine.Users, syncengine.Write{ID: id, Base: &base,
		Refs: map[string][]syncengine.Ref{"teams": teamRef(co.Teams["dept-2"])}}); err != nil {
		t.Fatal(err)
	}
	want := []string{"PUT /v1/users/" + id + " 200", "DELETE /v1/teams/" + co.Teams["dept-4"] + "/users/" + id + " 204"}
	if d := cmp.Diff(want, apiCalls(srv)); d != "" {
		t.Errorf("calls (-want +got):\n%s", d)
	}
}

// With SecondaryTeams a write of "teams" sets the primary team in the PUT
// and the secondary teams exactly: one add or remove call per change.
func TestConnectorWriteSecondaryTeams(t *testing.T) {
	k, srv := newConnector(t, learnamp.ConnectorOptions{SecondaryTeams: true})
	co := srv.SeedCompany()
	id, tm := co.Users["HR-2"], co.Teams
	write := func(teams ...string) []string {
		t.Helper()
		base := listed(t, k)["HR-2"]
		srv.Log().Reset()
		if err := k.Write(context.Background(), syncengine.Users, syncengine.Write{ID: id, Base: &base,
			Refs: map[string][]syncengine.Ref{"teams": teamRef(teams...)}}); err != nil {
			t.Fatal(err)
		}
		return apiCalls(srv)
	}
	got := write(tm["dept-4"], tm["dept-2"], tm["dept-3"])
	want := []string{"PUT /v1/users/" + id + " 200", "POST /v1/teams/users 201", "POST /v1/teams/users 201"}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("adding two secondary teams (-want +got):\n%s", d)
	}
	if u, _ := srv.User(id); u.PrimaryTeamID != tm["dept-4"] || !cmp.Equal(u.SecondaryTeamIDs, []string{tm["dept-2"], tm["dept-3"]}) {
		t.Errorf("teams %s + %v", u.PrimaryTeamID, u.SecondaryTeamIDs)
	}
	got = write(tm["dept-3"], tm["dept-2"])
	want = []string{"PUT /v1/users/" + id + " 200"}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("promoting a secondary team (-want +got):\n%s", d)
	}
	if u, _ := srv.User(id); u.PrimaryTeamID != tm["dept-3"] || !cmp.Equal(u.SecondaryTeamIDs, []string{tm["dept-2"]}) {
		t.Errorf("teams %s + %v", u.PrimaryTeamID, u.SecondaryTeamIDs)
	}
	got = write()
	want = []string{"DELETE /v1/teams/" + tm["dept-3"] + "/users/" + id + " 204", "DELETE /v1/teams/" + tm["dept-2"] + "/users/" + id + " 204"}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("leaving every team (-want +got):\n%s", d)
	}
	if u, _ := srv.User(id); u.PrimaryTeamID != "" || len(u.SecondaryTeamIDs) != 0 {
		t.Errorf("teams %s + %v", u.PrimaryTeamID, u.SecondaryTeamIDs)
	}
}

// SetActive is one call and idempotent: should Learn Amp refuse to
// deactivate a deactivated user (a retry after a lost reply), the user is
// read and the call counts as done; a refusal for another reason stands.
func TestConnectorSetActive(t *testing.T) {
	k, srv := newConnector(t, learnamp.ConnectorOptions{})
	co := srv.SeedCompany()
	leaver, active := co.Users["HR-6"], co.Users["HR-1"]
	refuse := func(id string) {
		srv.AddFault(learnamptest.Fault{Method: http.MethodPut, Path: "/proxy/learnamp/v1/users/" + id + "/deactivate", Times: 1,
			Status: http.StatusUnprocessableEntity, Body: `{"error": "User is already deactivated"}`})
	}
	refuse(leaver)
	if err := k.SetActive(context.Background(), syncengine.Users, leaver, false); err != nil {
		t.Errorf("deactivating a deactivated user: %v", err)
	}
	want := []string{"PUT /v1/users/" + leaver + "/deactivate 422", "GET /v1/users/" + leaver + " 200"}
	if d := cmp.Diff(want, apiCalls(srv)); d != "" {
		t.Errorf("calls (-want +got):\n%s", d)
	}
	refuse(active)
	if err := k.SetActive(context.Background(), syncengine.Users, active, false); !errors.Is(err, syncengine.ErrInvalid) {
		t.Errorf("a refused deactivation of an active user: %v, want ErrInvalid", err)
	}
	apiCalls(srv)
	if err := k.SetActive(context.Background(), syncengine.Users, active, false); err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff([]string{"PUT /v1/users/" + active + "/deactivate 204"}, apiCalls(srv)); d != "" {
		t.Errorf("calls (-want +got):\n%s", d)
	}
}

// Custom fields are written by display name, from a nested map or the
// dotted names creates carry; a nil value clears one.
func TestConnectorCustomFields(t *testing.T) {
	k, srv := newConnector(t, learnamp.ConnectorOptions{})
	srv.AddCustomField("Division", false)
	srv.AddCustomField("Badge", false)
	id, err := k.Create(context.Background(), syncengine.Users, syncengine.Record{Active: true, Fields: map[string]any{
		"email": "x@acme.test", "firstName": "X", "lastName": "Y", "customFields.Division": "Europe", "customFields.Badge": 42}})
	if err != nil {
		t.Fatal(err)
	}
	if u, _ := srv.User(id); !cmp.Equal(u.CustomFields, map[string]string{"Division": "Europe", "Badge": "42"}) {
		t.Errorf("created with custom fields %v", u.CustomFields)
	}
	if err := k.Update(context.Background(), syncengine.Users, id, map[string]any{"customFields": map[string]any{"Badge": nil}}); err != nil {
		t.Fatal(err)
	}
	if u, _ := srv.User(id); !cmp.Equal(u.CustomFields, map[string]string{"Division": "Europe"}) {
		t.Errorf("after clearing Badge: %v", u.CustomFields)
	}
	err = k.Update(context.Background(), syncengine.Users, id, map[string]any{"customFields": "Europe"})
	if err == nil || !strings.Contains(err.Error(), "not a map of custom field values") {
		t.Errorf("a custom fields text: %v", err)
	}
}
