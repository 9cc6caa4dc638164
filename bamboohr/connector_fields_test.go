package bamboohr_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/rostersync/rostersync/bamboohr"
	"github.com/rostersync/rostersync/bamboohr/bamboohrtest"
	"github.com/rostersync/rostersync/syncengine"
)

// memCache is a syncengine.Cache in a map.
type memCache map[string][]byte

func (m memCache) Get(_ context.Context, k string) ([]byte, bool, error) {
	v, ok := m[k]
	return v, ok, nil
}
func (m memCache) Put(_ context.Context, k string, v []byte) error { m[k] = v; return nil }

func metaCalls(srv *bamboohrtest.Server) int {
	return srv.Log().Count(func(e bamboohrtest.Entry) bool { return strings.HasSuffix(e.Path, "/meta/fields") })
}

// The connector reads the fields the engine asks for (ReadFields), not a
// fixed list: a map that adds `CompanyName ← department` gets department.
func TestConnectorReadsTheFieldsAsked(t *testing.T) {
	srv := bamboohrtest.NewServer(t)
	ids := srv.SeedCompany()
	k := bamboohr.NewConnector(srv.NewClient(t), bamboohr.ConnectorOptions{})
	if err := k.ReadFields(syncengine.Users, []string{"workEmail", "department", "city"}); err != nil {
		t.Fatal(err)
	}
	rec := listAll(t, k)[itoa(ids["engineer"])]
	for _, f := range []string{"workEmail", "department", "city", "firstName", "status"} {
		if _, ok := rec.Fields[f]; !ok {
			t.Errorf("record lacks %s: %+v", f, rec.Fields)
		}
	}
	if rec.Fields["department"] != "Engineering" {
		t.Errorf("department = %v, want Engineering", rec.Fields["department"])
	}
	if _, ok := rec.Fields["mobilePhone"]; ok {
		t.Errorf("record carries mobilePhone, which nobody asked for: %+v", rec.Fields)
	}
}

// A field BambooHR does not have is an error naming it, not a column of
// silent nils.
func TestConnectorNamesFieldsItCannotRead(t *testing.T) {
	srv := bamboohrtest.NewServer(t)
	srv.SeedCompany()
	k := bamboohr.NewConnector(srv.NewClient(t), bamboohr.ConnectorOptions{})
	if err := k.ReadFields(syncengine.Users, []string{"workEmail", "departmnt"}); err != nil {
		t.Fatal(err)
	}
	for _, err := range k.List(ctx, syncengine.Users) {
		if !errors.Is(err, bamboohr.ErrFieldNotFound) || !strings.Contains(err.Error(), `"departmnt"`) {
			t.Fatalf("List = %v, want ErrFieldNotFound naming departmnt", err)
		}
		return
	}
	t.Fatal("List yielded nothing")
}

// The company's field list is read once and kept in the engine's cache:
// a second run (a new connector, as in a new process) reads none.
func TestConnectorCachesTheFieldList(t *testing.T) {
	srv := bamboohrtest.NewServer(t)
	srv.SeedCompany()
	cache := memCache{}
	for run := range 2 {
		k := bamboohr.NewConnector(srv.NewClient(t), bamboohr.ConnectorOptions{AccessField: litmosAccess})
		k.UseCache(cache)
		listAll(t, k)
		if got, want := metaCalls(srv), 1; got != want {
			t.Errorf("run %d: %d meta/fields calls in all, want %d", run+1, got, want)
		}
	}
}

// With an AccessField, InScope (which the engine applies to Get and Find
// too) keeps an unticked employee out whatever way it was read.
func TestConnectorScopesEveryRead(t *testing.T) {
	srv := bamboohrtest.NewServer(t)
	ids := srv.SeedCompany()
	scoped := bamboohr.NewConnector(srv.NewClient(t), bamboohr.ConnectorOptions{AccessField: litmosAccess})
	all := bamboohr.NewConnector(srv.NewClient(t), bamboohr.ConnectorOptions{})
	for _, tt := range []struct {
		k    *bamboohr.Connector
		want bool
	}{{scoped, false}, {all, true}} {
		rec, err := tt.k.Get(ctx, syncengine.Users, itoa(ids["no_access"]))
		if err != nil {
			t.Fatal(err)
		}
		if got := tt.k.InScope(syncengine.Users, rec); got != tt.want {
			t.Errorf("InScope(no access) = %v, want %v", got, tt.want)
		}
	}
}
