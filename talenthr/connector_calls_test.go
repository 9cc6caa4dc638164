package talenthr_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/rostersync/rostersync/syncengine"
	"github.com/rostersync/rostersync/talenthr"
	"github.com/rostersync/rostersync/talenthr/talenthrtest"
)

// memCache is the engine's Cache in memory.
type memCache struct {
	mu sync.Mutex
	m  map[string][]byte
}

func (c *memCache) Get(_ context.Context, key string) ([]byte, bool, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	b, ok := c.m[key]
	return b, ok, nil
}

func (c *memCache) Put(_ context.Context, key string, v []byte) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = map[string][]byte{}
	}
	c.m[key] = v
	return nil
}

// requests lists the fake's log as "METHOD /path", directory reads with
// their limit and offset, and clears it.
func requests(srv *talenthrtest.Server) []string {
	var out []string
	for _, e := range srv.Log().Entries() {
		s := e.Method + " " + strings.TrimPrefix(e.Path, talenthrtest.VersionPath)
		if e.Path == talenthrtest.VersionPath+"/directory" {
			s += fmt.Sprintf("?limit=%s&offset=%s", e.Query.Get("limit"), e.Query.Get("offset"))
		}
		out = append(out, s)
	}
	srv.Log().Reset()
	return out
}

// seedN adds n employees.
func seedN(srv *talenthrtest.Server, n int) []string {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = srv.AddEmployee(talenthrtest.Employee{FirstName: "E", LastName: fmt.Sprint(i), Email: fmt.Sprintf("e%d@acme.test", i)})
	}
	return ids
}

var pages250 = []string{"GET /directory?limit=100&offset=0", "GET /directory?limit=100&offset=100", "GET /directory?limit=100&offset=200"}

// TestConnectorListCalls: a listing costs exactly its pages once the
// Cache holds the employment states and the custom-field definitions;
// cold, it costs those three reads more; without a Cache, every time.
func TestConnectorListCalls(t *testing.T) {
	cold := append([]string{"GET /directory/filters", "GET /directory?limit=1&offset=0", "GET /employees/1/custom-fields"}, pages250...)
	tests := []struct {
		name   string
		cache  bool
		fields []string // nil: the default (custom fields included)
		first  []string
		second []string
	}{
		{"cached", true, nil, cold, pages250},
		{"no cache", false, nil, cold, cold},
		{"no custom fields read", true, []string{"email", "hire_date"}, append([]string{"GET /directory/filters"}, pages250...), pages250},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k, srv := newConnector(t, talenthr.ConnectorOptions{})
			seedN(srv, 250)
			if tt.cache {
				k.UseCache(&memCache{})
			}
			if tt.fields != nil {
				if err := k.ReadFields(syncengine.Users, tt.fields); err != nil {
					t.Fatal(err)
				}
			}
			srv.Log().Reset()
			for i, want := range [][]string{tt.first, tt.second} {
				if n := len(listAll(t, k)); n != 250 {
					t.Fatalf("listed %d", n)
				}
				if diff := cmp.Diff(want, requests(srv)); diff != "" {
					t.Errorf("listing %d requests (-want +got):\n%s", i+1, diff)
				}
			}
		})
	}
}

// TestConnectorDetailCalls: detail fields cost one GET /employees/{id} per
// employee on top of the pages, and hr_languages one language list (kept
// for the connector's life).
func TestConnectorDetailCalls(t *testing.T) {
	k, srv := newConnector(t, talenthr.ConnectorOptions{DetailReads: 3})
	ids := seedN(srv, 120)
	k.UseCache(&memCache{})
	if err := k.ReadFields(syncengine.Users, []string{"email", "city", "hr_languages"}); err != nil {
		t.Fatal(err)
	}
	listAll(t, k)
	got := requests(srv)
	want := []string{"GET /directory/filters", "GET /directory?limit=100&offset=0", "GET /languages", "GET /directory?limit=100&offset=100"}
	gets := 0
	var rest []string
	for _, r := range got {
		if strings.HasPrefix(r, "GET /employees/") {
			gets++
			continue
		}
		rest = append(rest, r)
	}
	if gets != len(ids) {
		t.Errorf("%d employee reads, want %d", gets, len(ids))
	}
	if diff := cmp.Diff(want, rest); diff != "" {
		t.Errorf("other requests (-want +got):\n%s", diff)
	}
	listAll(t, k)
	if n := len(requests(srv)); n != 2+len(ids) {
		t.Errorf("second listing: %d requests, want %d (pages and employees)", n, 2+len(ids))
	}
}

// TestConnectorCallCounts: the minimum calls of every other operation,
// on a warm connector (lookup lists read, Cache filled).
func TestConnectorCallCounts(t *testing.T) {
	k, srv := newConnector(t, talenthr.ConnectorOptions{EmploymentStatus: "Full-Time"})
	srv.AddJobTitle("Engineer")
	ids := seedN(srv, 150)
	k.UseCache(&memCache{})
	hire := func(i int, extra map[string]any) syncengine.Record {
		f := map[string]any{"first_name": "N", "last_name": fmt.Sprint(i), "email": fmt.Sprintf("n%d@acme.test", i), "hire_date": day(2026, 4, 1)}
		for k, v := range extra {
			f[k] = v
		}
		return syncengine.Record{Active: true, Fields: f}
	}
	steps := []struct {
		name string
		run  func() error
		want []string
	}{
		{"first hire reads the status list", func() error { _, err := k.Create(ctx, syncengine.Users, hire(1, nil)); return err },
			[]string{"GET /employment-statuses", "POST /employees/hire"}},
		{"hire", func() error { _, err := k.Create(ctx, syncengine.Users, hire(2, nil)); return err },
			[]string{"POST /employees/hire"}},
		{"hire with a job title, first time", func() error {
			_, err := k.Create(ctx, syncengine.Users, hire(3, map[string]any{"job_title": "Engineer"}))
			return err
		}, []string{"GET /job-titles", "POST /employees/hire"}},
		{"hire with fields the hire does not take", func() error {
			_, err := k.Create(ctx, syncengine.Users, hire(4, map[string]any{"job_title": "Engineer", "city": "Oslo"}))
			return err
		}, []string{"POST /employees/hire", "PUT /employees/" + fmt.Sprint(len(ids)+4)}},
		{"update", func() error {
			return k.Update(ctx, syncengine.Users, ids[0], map[string]any{"city": "Oslo", "last_name": "X"})
		},
			[]string{"PUT /employees/" + ids[0]}},
		{"update of nothing", func() error { return k.Update(ctx, syncengine.Users, ids[0], nil) }, nil},
		{"manager", func() error {
			return k.WriteRefs(ctx, syncengine.Users, ids[1], managerRefs(ids[0]))
		}, []string{"PUT /employees/" + ids[1]}},
		{"find", func() error {
			_, err := k.Find(ctx, syncengine.Users, "email", "e7@acme.test")
			return err
		}, []string{"GET /directory/filters", "GET /directory?limit=1&offset=0", "GET /employees/1/custom-fields",
			"GET /directory?limit=100&offset=0", "GET /directory?limit=100&offset=100"}},
		{"find, warm", func() error {
			_, err := k.Find(ctx, syncengine.Users, "email", "e7@acme.test")
			return err
		}, []string{"GET /directory?limit=100&offset=0", "GET /directory?limit=100&offset=100"}},
		{"get (employment_status is read: the reply lacks it)", func() error {
			_, err := k.Get(ctx, syncengine.Users, ids[1])
			return err
		}, []string{"GET /employees/" + ids[1], "GET /employees/" + ids[1] + "/job"}},
		{"changes", func() error {
			_, _, err := k.Changes(ctx, syncengine.Users, "")
			return err
		}, []string{"GET /directory?limit=100&offset=0", "GET /directory?limit=100&offset=100"}},
	}
	srv.Log().Reset()
	for _, s := range steps {
		if err := s.run(); err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		if diff := cmp.Diff(s.want, requests(srv)); diff != "" {
			t.Errorf("%s: requests (-want +got):\n%s", s.name, diff)
		}
	}
}

// TestConnectorGetCallsWithoutStatus: Get costs one call when the pair
// does not read employment_status.
func TestConnectorGetCallsWithoutStatus(t *testing.T) {
	k, srv, ids := seedCompany(t, talenthr.ConnectorOptions{})
	if err := k.ReadFields(syncengine.Users, []string{"email", "job_title", "custom_fields"}); err != nil {
		t.Fatal(err)
	}
	srv.Log().Reset()
	if _, err := k.Get(ctx, syncengine.Users, ids["engineer"]); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"GET /employees/" + ids["engineer"]}, requests(srv)); diff != "" {
		t.Errorf("requests (-want +got):\n%s", diff)
	}
}

// BenchmarkConnectorList lists a company of 2,000 on a warm connector and
// reports requests per listing beside the minimum (the pages).
func BenchmarkConnectorList(b *testing.B) {
	srv := talenthrtest.NewServer(b, talenthrtest.WithoutRateLimit())
	seedN(srv, 2000)
	k := talenthr.NewConnector(srv.NewClient(b), talenthr.ConnectorOptions{Now: func() time.Time { return fakeClock }})
	k.UseCache(&memCache{})
	for range k.List(ctx, syncengine.Users) {
	}
	srv.Log().Reset()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, err := range k.List(ctx, syncengine.Users) {
			if err != nil {
				b.Fatal(err)
			}
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(srv.Log().Count(nil))/float64(b.N), "calls/op")
	b.ReportMetric(2000/100+1, "min-calls/op")
}
