package bamboohr_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/rostersync/rostersync/bamboohr"
	"github.com/rostersync/rostersync/bamboohr/bamboohrtest"
	"github.com/rostersync/rostersync/syncengine"
)

// A field the key's user cannot see is absent from Record.Fields (it must
// not read as emptied downstream), while a field BambooHR sends empty,
// null or "0000-00-00" is present and nil, in List and Get alike
// (https://documentation.bamboohr.com/reference/get-employee).
func TestConnectorHiddenFieldsAreAbsent(t *testing.T) {
	srv := bamboohrtest.NewServer(t)
	phone := srv.AddEmployee(map[string]string{"firstName": "Ana", "lastName": "Diaz", "workEmail": "ana@example.com",
		"mobilePhone": "+1 801 555 0199", "zipcode": "84042", bamboohrtest.LitmosAccessAlias: "yes"})
	blank := srv.AddEmployee(map[string]string{"firstName": "Bo", "lastName": "Li", "workEmail": "bo@example.com",
		"mobilePhone": "", "zipcode": "", bamboohrtest.LitmosAccessAlias: "yes"})
	srv.AddKey("limited", bamboohrtest.Key{HiddenFields: []string{"mobilePhone", "zipcode"}})

	// full is every field of the two employees as the default key sees them.
	full := map[int]map[string]any{
		phone: {"id": itoa(phone), "firstName": "Ana", "lastName": "Diaz", "workEmail": "ana@example.com",
			"mobilePhone": "+1 801 555 0199", "zipcode": "84042"},
		blank: {"id": itoa(blank), "firstName": "Bo", "lastName": "Li", "workEmail": "bo@example.com",
			"mobilePhone": nil, "zipcode": nil},
	}
	for _, f := range full {
		for _, k := range []string{"workPhone", "address1", "address2", "city", "state", "country", "jobTitle", "terminationDate", "supervisorEId"} {
			f[k] = nil // stored empty: null, or "0000-00-00" for terminationDate
		}
		f["status"], f["employmentHistoryStatus"], f[bamboohr.AccessField] = "Active", "Full-Time", true
	}

	cases := []struct {
		key    string
		hidden []string
	}{
		{bamboohrtest.DefaultAPIKey, nil},
		{"limited", []string{"mobilePhone", "zipcode"}},
	}
	for _, tc := range cases {
		c, err := bamboohr.New(srv.Subdomain, tc.key, bamboohr.WithBaseURL(srv.BaseURL()))
		if err != nil {
			t.Fatal(err)
		}
		k := bamboohr.NewConnector(c, bamboohr.ConnectorOptions{AccessField: litmosAccess})
		listed := listAll(t, k)
		for id, fields := range full {
			want := map[string]any{}
			for f, v := range fields {
				want[f] = v
			}
			for _, h := range tc.hidden {
				delete(want, h)
			}
			got, err := k.Get(ctx, syncengine.Users, itoa(id))
			if err != nil {
				t.Fatalf("key %s: Get %d: %v", tc.key, id, err)
			}
			for path, rec := range map[string]syncengine.Record{"List": listed[itoa(id)], "Get": got} {
				if diff := cmp.Diff(want, rec.Fields); diff != "" {
					t.Errorf("key %s: %s employee %d fields (-want +got):\n%s", tc.key, path, id, diff)
				}
			}
		}
	}
}
