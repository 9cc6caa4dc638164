package talentlms_test

import (
	"fmt"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/rostersync/rostersync/syncengine"
	"github.com/rostersync/rostersync/syncengine/syncenginetest"
	"github.com/rostersync/rostersync/talentlms"
	"github.com/rostersync/rostersync/talentlms/talentlmstest"
)

// portalFields defines the custom user fields SeedCompany defines, on a
// portal with no users.
func portalFields(srv *talentlmstest.Server) {
	for _, f := range []talentlms.CustomField{
		{Key: "custom_field_1", Name: "jobTitle", Type: talentlms.FieldText},
		{Key: "custom_field_2", Name: "department", Type: talentlms.FieldDropdown,
			Options: []string{"Engineering", "Sales", "People", "Finance"}, DefaultOption: "Sales"},
		{Key: "custom_field_4", Name: "hireDate", Type: talentlms.FieldDate},
		{Key: "custom_field_5", Name: "remote", Type: talentlms.FieldCheckbox},
	} {
		srv.AddCustomField(f)
	}
}

// servers remembers the fake behind each connector a factory made, for Seed.
type servers struct {
	mu sync.Mutex
	m  map[syncengine.Connector]*talentlmstest.Server
}

func (s *servers) put(k syncengine.Connector, srv *talentlmstest.Server) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.m == nil {
		s.m = map[syncengine.Connector]*talentlmstest.Server{}
	}
	s.m[k] = srv
}

func (s *servers) of(k syncengine.Connector) *talentlmstest.Server {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.m[k]
}

func newUserRecord(_ syncengine.Collection, i int) syncengine.Record {
	return syncengine.Record{Active: true, Fields: map[string]any{
		"email": fmt.Sprintf("user%d@example.com", i), "login": fmt.Sprintf("user%d", i),
		"first_name": fmt.Sprintf("First%d", i), "last_name": fmt.Sprintf("Last%d", i),
		talentlms.CustomFieldsKey: map[string]any{
			"jobTitle": fmt.Sprintf("Engineer %d", i), "department": "Engineering",
			"hireDate": time.Date(2020, 1, 1+i%28, 0, 0, 0, 0, time.UTC), "remote": i%2 == 0,
		},
	}}
}

func userChange(_ syncengine.Collection, i int) map[string]any {
	return map[string]any{"last_name": fmt.Sprintf("Last%d changed", i), "bio": fmt.Sprintf("Bio of %d", i)}
}

var noRefs = func(syncengine.Collection, string) map[string][]syncengine.Ref { return nil }

func TestConnectorConformanceUsers(t *testing.T) {
	syncenginetest.RunConnectorTests(t, func(t *testing.T) syncengine.Connector {
		srv := talentlmstest.NewServer(t)
		portalFields(srv)
		return talentlms.NewConnector(srv.NewClient(t), talentlms.ConnectorOptions{})
	}, syncenginetest.ConformanceOptions{
		Collections: []syncengine.Collection{syncengine.Users},
		NewRecord:   newUserRecord, Change: userChange, Refs: noRefs,
		FindField: map[syncengine.Collection]string{syncengine.Users: "email"}, FindFold: true,
	})
}

// With a branch scope and branches served as teams, users behave the same
// and InScope agrees between List and Get.
func TestConnectorConformanceUsersInBranch(t *testing.T) {
	syncenginetest.RunConnectorTests(t, func(t *testing.T) syncengine.Connector {
		srv := talentlmstest.NewServer(t)
		portalFields(srv)
		srv.AddBranch(talentlms.Branch{Name: "Sales"})
		srv.AddBranch(talentlms.Branch{Name: "Engineering"})
		return talentlms.NewConnector(srv.NewClient(t), talentlms.ConnectorOptions{Branch: "engineering", Teams: true})
	}, syncenginetest.ConformanceOptions{
		Collections: []syncengine.Collection{syncengine.Users},
		NewRecord:   newUserRecord, Change: userChange, Refs: noRefs,
		FindField: map[syncengine.Collection]string{syncengine.Users: "login"}, FindFold: true,
	})
}

func TestConnectorConformanceCourses(t *testing.T) {
	var fakes servers
	syncenginetest.RunConnectorTests(t, func(t *testing.T) syncengine.Connector {
		srv := talentlmstest.NewServer(t)
		k := talentlms.NewConnector(srv.NewClient(t), talentlms.ConnectorOptions{})
		fakes.put(k, srv)
		return k
	}, syncenginetest.ConformanceOptions{
		Collections: []syncengine.Collection{syncengine.Courses},
		Seed: func(t *testing.T, k syncengine.Connector, _ syncengine.Collection, rec syncengine.Record) string {
			c := talentlms.Course{Name: rec.Fields["name"].(string), Code: rec.Fields["code"].(string)}
			if !rec.Active {
				c.Status = "inactive"
			}
			return fakes.of(k).AddCourse(c)
		},
	})
}

func TestConnectorConformanceTeams(t *testing.T) {
	var fakes servers
	syncenginetest.RunConnectorTests(t, func(t *testing.T) syncengine.Connector {
		srv := talentlmstest.NewServer(t)
		k := talentlms.NewConnector(srv.NewClient(t), talentlms.ConnectorOptions{Teams: true})
		fakes.put(k, srv)
		return k
	}, syncenginetest.ConformanceOptions{
		Collections: []syncengine.Collection{syncengine.Teams},
		Seed: func(t *testing.T, k syncengine.Connector, _ syncengine.Collection, rec syncengine.Record) string {
			if !rec.Active {
				t.Skip("TalentLMS v1 branches carry no status: every branch is active")
			}
			return fakes.of(k).AddBranch(talentlms.Branch{Name: rec.Fields["name"].(string), Description: rec.Fields["description"].(string)})
		},
	})
}

// learners is how many users the enrollment conformance portal has: more
// than the highest record number the suite asks for.
const learners = 70

func TestConnectorConformanceEnrollments(t *testing.T) {
	syncenginetest.RunConnectorTests(t, func(t *testing.T) syncengine.Connector {
		srv := talentlmstest.NewServer(t)
		seedUsers(srv, learners)                                           // ids "1"…"70"
		srv.AddCourse(talentlms.Course{Name: "Food safety", Code: "FS-1"}) // id "101"
		return talentlms.NewConnector(srv.NewClient(t), talentlms.ConnectorOptions{})
	}, syncenginetest.ConformanceOptions{
		Collections: []syncengine.Collection{syncengine.Enrollments},
		NewRecord: func(_ syncengine.Collection, i int) syncengine.Record {
			return syncengine.Record{Active: true, Fields: map[string]any{}, Refs: map[string][]syncengine.Ref{
				"user":   {{Collection: syncengine.Users, ID: strconv.Itoa(i + 1)}},
				"course": {{Collection: syncengine.Courses, ID: "101"}},
			}}
		},
		// An enrollment taken out of its course is not listed (TalentLMS
		// keeps no trace of it); Get reads it as inactive.
		ListOmitsInactive: true,
	})
}
