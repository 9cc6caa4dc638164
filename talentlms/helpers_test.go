package talentlms_test

import (
	"context"
	"fmt"
	"iter"
	"strings"
	"testing"

	"github.com/rostersync/rostersync/talentlms"
	"github.com/rostersync/rostersync/talentlms/talentlmstest"
)

var ctx = context.Background()

// newFake starts a fake portal and a client for it (no pacing, 5ms retries).
func newFake(t *testing.T, opts ...talentlmstest.Option) (*talentlmstest.Server, *talentlms.Client) {
	t.Helper()
	srv := talentlmstest.NewServer(t, opts...)
	return srv, srv.NewClient(t)
}

// collect ranges over seq, failing the test on an error.
func collect[T any](t *testing.T, seq iter.Seq2[T, error]) []T {
	t.Helper()
	var out []T
	for v, err := range seq {
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, v)
	}
	return out
}

// seedUsers adds n users named user001… and returns their ids.
func seedUsers(srv *talentlmstest.Server, n int) []string {
	ids := make([]string, n)
	for i := range ids {
		login := fmt.Sprintf("user%03d", i+1)
		ids[i] = srv.AddUser(talentlmstest.User{Login: login, FirstName: "U", LastName: login, Email: login + "@example.com"})
	}
	return ids
}

// paths lists the logged request paths (with the query, if any), in order.
func paths(srv *talentlmstest.Server) []string {
	var out []string
	for _, e := range srv.Log().Entries() {
		p := strings.TrimPrefix(e.Path, talentlmstest.APIPath+"/")
		if len(e.Query) > 0 {
			p += "?" + e.Query.Encode()
		}
		out = append(out, e.Method+" "+p)
	}
	return out
}
