package syncengine_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/rostersync/rostersync/syncengine"
)

// createOnlyMap is hrToLMS plus targets written only on create: a
// constant access level and the title the learner started with.
type createOnlyMap struct{ fieldMap }

func (m createOnlyMap) Apply(src map[string]any) (map[string]any, error) {
	out, err := m.fieldMap.Apply(src)
	out["access_level"] = "learner"
	if v, ok := src["title"]; ok {
		out["start_title"] = v
	}
	return out, err
}

func (createOnlyMap) CreateOnly(target string) bool {
	return target == "access_level" || target == "start_title"
}

var _ syncengine.CreateOnlyMap = createOnlyMap{}

// Create-only targets are written by creates and never compared again: an
// admin's change on the target stays, in one-way and two-way sync.
func TestCreateOnlyTargets(t *testing.T) {
	for _, dir := range []syncengine.Direction{syncengine.AToB, syncengine.TwoWay} {
		t.Run(string(dir), func(t *testing.T) {
			v := newEnv(nil, nil)
			v.cfg.Direction = dir
			v.cfg.Collections[0].AToB = rules(createOnlyMap{hrToLMS}, allowAll, byEmail...)
			if dir == syncengine.TwoWay {
				v.cfg.Collections[0].BToA = rules(lmsToHR, allowAll, byEmail...)
			}
			rec := person("e1", "ann@example.com", "Ann", "One", true)
			rec.Fields["title"] = "Clerk"
			v.hr.Put(syncengine.Users, rec)
			want := []summary{{AID: "e1", Action: syncengine.ActionCreate, Fields: []string{
				"b.access_level=learner", "b.email=ann@example.com", "b.first_name=Ann", "b.job_title=Clerk",
				"b.last_name=One", "b.start_title=Clerk"}}}
			if diff := cmp.Diff(want, summarize(v.plan(t))); diff != "" {
				t.Fatalf("create (-want +got):\n%s", diff)
			}
			v.sync(t)
			bID := v.links(t)["e1"]

			// An admin promotes the learner; the employee changes title.
			l, _ := v.lms.Record(syncengine.Users, bID)
			l.Fields["access_level"] = "leader"
			v.lms.Put(syncengine.Users, l)
			rec.Fields["title"] = "Manager"
			v.hr.Put(syncengine.Users, rec)
			p := v.plan(t)
			want = []summary{{AID: "e1", BID: bID, Action: syncengine.ActionUpdate, Fields: []string{"b.job_title=Manager"}}}
			if diff := cmp.Diff(want, summarize(p)); diff != "" || len(p.Changes[0].Conflicts) > 0 {
				t.Fatalf("update (-want +got):\n%s\n%s", diff, p)
			}
			v.sync(t)
			l, _ = v.lms.Record(syncengine.Users, bID)
			if l.Fields["access_level"] != "leader" || l.Fields["start_title"] != "Clerk" {
				t.Errorf("create-only fields rewritten: %v", l.Fields)
			}
			ls := v.storedLinks(t)
			for _, k := range []string{"b.access_level", "b.start_title"} {
				if _, ok := ls[0].Synced[k]; ok {
					t.Errorf("link keeps a synced value for create-only %s: %v", k, ls[0].Synced)
				}
			}
			if p := v.plan(t); p.HasChanges() {
				t.Errorf("third plan has changes:\n%s", p)
			}
		})
	}
}
