package learnamp

import (
	"encoding/json"
	"testing"

	"github.com/rostersync/rostersync/syncengine"
)

// FuzzUserRecord: any user object Learn Amp might send becomes a record
// or fails to decode, never panics; Active follows the status, custom
// field values are text or nil, and refs point at the right collections.
func FuzzUserRecord(f *testing.F) {
	for _, s := range []string{
		`{"id": 1, "email": "a@b.c", "status": {"status": "Deactivated"}}`,
		`{"id": "2", "manager": {}, "primaryTeam": {"id": 3}, "secondaryTeams": [{"id": 4}, {"id": 3}]}`,
		`{"id": 5, "customFields": [{"name": "Division", "value": "Europe"}, {"name": "n", "value": 1.5}, {"value": null}]}`,
		`{"id": 6, "customFields": {"Division": "Europe", "Badge": null, "Nested": {"a": [1]}}}`,
		`{"id": 7, "customFields": "oops", "hireDate": "2021-01-15", "status": "confirmed"}`,
	} {
		f.Add([]byte(s))
	}
	k := NewConnector(nil, ConnectorOptions{SecondaryTeams: true})
	f.Fuzz(func(t *testing.T, b []byte) {
		var u User
		if json.Unmarshal(b, &u) != nil {
			return
		}
		rec := k.userRecord(&u)
		if rec.Active == (u.Status.State() == StatusDeactivated) {
			t.Errorf("status %q gave Active %v", u.Status.Status, rec.Active)
		}
		if cf, ok := rec.Fields[CustomFieldsField].(map[string]any); ok {
			for name, v := range cf {
				if _, text := v.(string); v != nil && !text {
					t.Errorf("custom field %q is a %T", name, v)
				}
			}
		}
		for role, refs := range rec.Refs {
			want := syncengine.Teams
			if role == syncengine.RoleManager {
				want = syncengine.Users
			}
			for _, r := range refs {
				if r.Collection != want || r.ID == "" {
					t.Errorf("ref %s %+v", role, r)
				}
			}
		}
	})
}
