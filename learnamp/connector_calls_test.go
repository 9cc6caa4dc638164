package learnamp_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rostersync/rostersync/learnamp"
	"github.com/rostersync/rostersync/learnamp/learnamptest"
	"github.com/rostersync/rostersync/syncengine"
)

func addUsers(srv *learnamptest.Server, n int) {
	for i := range n {
		srv.AddUser(learnamptest.User{Email: fmt.Sprintf("u%d@acme.test", i), FirstName: "U", LastName: fmt.Sprint(i)})
	}
}

func addTeams(srv *learnamptest.Server, n int) {
	for i := range n {
		srv.AddTeam(learnamptest.Team{Name: fmt.Sprintf("Team %d", i)})
	}
}

// A full listing is one request per page of learnamp.DefaultPerPage
// (the fake's largest), asked for with every status and expanded, and
// none after the last page: max(1, ceil(n/100)) requests, one token.
func TestConnectorListCalls(t *testing.T) {
	if learnamp.DefaultPerPage != learnamptest.MaxPerPage {
		t.Fatalf("the connector pages by %d, the fake serves up to %d", learnamp.DefaultPerPage, learnamptest.MaxPerPage)
	}
	for _, tc := range []struct {
		c     syncengine.Collection
		n     int
		pages int
	}{
		{syncengine.Users, 0, 1}, {syncengine.Users, 1, 1}, {syncengine.Users, 100, 1},
		{syncengine.Users, 101, 2}, {syncengine.Users, 250, 3},
		{syncengine.Teams, 0, 1}, {syncengine.Teams, 100, 1}, {syncengine.Teams, 150, 2},
	} {
		t.Run(fmt.Sprintf("%s/%d", tc.c, tc.n), func(t *testing.T) {
			k, srv := newConnector(t, learnamp.ConnectorOptions{})
			if tc.c == syncengine.Users {
				addUsers(srv, tc.n)
			} else {
				addTeams(srv, tc.n)
			}
			if got := len(listAll(t, k, tc.c)); got != tc.n {
				t.Fatalf("List yielded %d records, want %d", got, tc.n)
			}
			var pages []string
			for _, e := range apiEntries(srv) {
				pages = append(pages, e.Query.Get("page")+"/"+e.Query.Get("perPage"))
				if tc.c == syncengine.Users && (e.Query.Get("expanded") != "true" || len(e.Query["filters[status][]"]) != 5) {
					t.Errorf("user listing asked %v; want expanded and all five statuses", e.Query)
				}
			}
			var want []string
			for p := 1; p <= tc.pages; p++ {
				want = append(want, fmt.Sprintf("%d/100", p))
			}
			if d := cmp.Diff(want, pages); d != "" {
				t.Errorf("pages asked (-want +got):\n%s", d)
			}
			if n := srv.Log().Count(learnamptest.IsTokenRequest); n != 1 {
				t.Errorf("%d token requests, want 1", n)
			}
		})
	}
}

// A token that dies between two pages of a listing is renewed once and
// the page asked again: the listing is whole, and costs one request more.
func TestConnectorListTokenDies(t *testing.T) {
	k, srv := newConnector(t, learnamp.ConnectorOptions{})
	addUsers(srv, 250)
	n := 0
	for _, err := range k.List(context.Background(), syncengine.Users) {
		if err != nil {
			t.Fatal(err)
		}
		if n++; n == 150 {
			srv.ExpireTokens()
		}
	}
	if n != 250 {
		t.Errorf("listed %d users, want 250", n)
	}
	var got []string
	for _, e := range srv.Log().Entries() {
		got = append(got, fmt.Sprintf("%s %s %d", e.Method, strings.TrimPrefix(e.Path, "/proxy/learnamp"), e.Status))
	}
	want := []string{"POST /oauth/token 200", "GET /v1/users 200", "GET /v1/users 200",
		"GET /v1/users 401", "POST /oauth/token 200", "GET /v1/users 200"}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("requests (-want +got):\n%s", d)
	}
}

// Errors name what failed and never carry the client secret.
func TestConnectorErrorsHideSecret(t *testing.T) {
	srv := learnamptest.NewServer(t)
	c, err := learnamp.New(learnamptest.ClientID, "wrong-"+learnamptest.ClientSecret,
		learnamp.WithBaseURL(srv.BaseURL()), learnamp.WithHTTPClient(srv.Client()), learnamp.WithRetry(learnamp.RetryPolicy{MaxRetries: -1}))
	if err != nil {
		t.Fatal(err)
	}
	k := learnamp.NewConnector(c, learnamp.ConnectorOptions{})
	for _, err := range k.List(context.Background(), syncengine.Users) {
		if err == nil || strings.Contains(err.Error(), learnamptest.ClientSecret) || strings.Contains(fmt.Sprintf("%+v", err), "wrong-") {
			t.Errorf("List with a wrong secret: %v", err)
		}
		break
	}
}
