package syncenginetest_test

import (
	"context"
	"iter"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/rostersync/rostersync/syncengine"
	"github.com/rostersync/rostersync/syncengine/syncenginetest"
)

// hidesInactive breaks two rules the engine relies on: its List and Find
// leave deactivated records out, and its Update ignores nil values.
type hidesInactive struct{ *syncenginetest.Connector }

func (h hidesInactive) List(ctx context.Context, c syncengine.Collection) iter.Seq2[syncengine.Record, error] {
	return func(yield func(syncengine.Record, error) bool) {
		for r, err := range h.Connector.List(ctx, c) {
			if err == nil && !r.Active {
				continue
			}
			if !yield(r, err) {
				return
			}
		}
	}
}

func (h hidesInactive) Find(ctx context.Context, c syncengine.Collection, field string, value any) ([]syncengine.Record, error) {
	recs, err := h.Connector.Find(ctx, c, field, value)
	var out []syncengine.Record
	for _, r := range recs {
		if r.Active {
			out = append(out, r)
		}
	}
	return out, err
}

func (h hidesInactive) Update(ctx context.Context, c syncengine.Collection, id string, changed map[string]any) error {
	kept := map[string]any{}
	for f, v := range changed {
		if v != nil {
			kept[f] = v
		}
	}
	return h.Connector.Update(ctx, c, id, kept)
}

func brokenFactory(t *testing.T) syncengine.Connector {
	return hidesInactive{syncenginetest.NewConnector("broken", syncenginetest.WithFindFold("email"),
		syncenginetest.WithCapabilities(syncengine.Teams, 0), syncenginetest.WithCapabilities(syncengine.Courses, 0),
		syncenginetest.WithCapabilities(syncengine.Enrollments, 0))}
}

// TestBrokenConnectorConformance runs the suite on hidesInactive in a
// child process (a failing suite fails its test) and checks that it
// fails for exactly those reasons.
func TestBrokenConnectorConformance(t *testing.T) {
	if os.Getenv("SYNCENGINETEST_BROKEN") == "1" {
		syncenginetest.RunConnectorTests(t, brokenFactory, syncenginetest.ConformanceOptions{FindFold: true})
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestBrokenConnectorConformance$", "-test.v")
	cmd.Env = append(os.Environ(), "SYNCENGINETEST_BROKEN=1")
	out, err := cmd.CombinedOutput()
	if err == nil {
		t.Fatalf("the suite passes a connector that hides inactive records and ignores nil:\n%s", out)
	}
	for _, want := range []string{
		"--- FAIL: TestBrokenConnectorConformance/users/Inactive",
		"List(users) does not yield deactivated record",
		"want exactly deactivated record",
		"--- FAIL: TestBrokenConnectorConformance/users/UpdateClear",
	} {
		if !strings.Contains(string(out), want) {
			t.Errorf("suite output lacks %q:\n%s", want, out)
		}
	}
	if n := strings.Count(string(out), "--- FAIL: TestBrokenConnectorConformance/users/"); n != 2 {
		t.Errorf("%d failing checks, want 2 (Inactive, UpdateClear):\n%s", n, out)
	}
}

// With ListOmitsInactive declared, only Find is held to the rule.
func TestListOmitsInactiveOption(t *testing.T) {
	syncenginetest.RunConnectorTests(t, func(t *testing.T) syncengine.Connector {
		k := syncenginetest.NewConnector("list-omits", syncenginetest.WithFindFold("email"),
			syncenginetest.WithCapabilities(syncengine.Teams, 0), syncenginetest.WithCapabilities(syncengine.Courses, 0),
			syncenginetest.WithCapabilities(syncengine.Enrollments, 0))
		return listOmits{k}
	}, syncenginetest.ConformanceOptions{FindFold: true, ListOmitsInactive: true})
}

// listOmits hides inactive records from List only.
type listOmits struct{ *syncenginetest.Connector }

func (l listOmits) List(ctx context.Context, c syncengine.Collection) iter.Seq2[syncengine.Record, error] {
	return hidesInactive(l).List(ctx, c)
}

// dropsActive is a RecordWriter that forgets the active flag.
type dropsActive struct{ *syncenginetest.Connector }

func (d dropsActive) Write(ctx context.Context, c syncengine.Collection, w syncengine.Write) error {
	w.Active = nil
	return d.Connector.Write(ctx, c, w)
}

// The suite catches a RecordWriter that drops part of a write.
func TestBrokenRecordWriterConformance(t *testing.T) {
	if os.Getenv("SYNCENGINETEST_BROKEN_WRITE") == "1" {
		syncenginetest.RunConnectorTests(t, func(t *testing.T) syncengine.Connector {
			return dropsActive{syncenginetest.NewConnector("broken", syncenginetest.WithFindFold("email"),
				syncenginetest.WithCapabilities(syncengine.Users, syncenginetest.EveryCapability),
				syncenginetest.WithCapabilities(syncengine.Teams, 0), syncenginetest.WithCapabilities(syncengine.Courses, 0),
				syncenginetest.WithCapabilities(syncengine.Enrollments, 0))}
		}, syncenginetest.ConformanceOptions{FindFold: true})
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestBrokenRecordWriterConformance$", "-test.v")
	cmd.Env = append(os.Environ(), "SYNCENGINETEST_BROKEN_WRITE=1")
	out, err := cmd.CombinedOutput()
	if err == nil || !strings.Contains(string(out), "--- FAIL: TestBrokenRecordWriterConformance/users/WriteRecord") ||
		strings.Count(string(out), "--- FAIL: TestBrokenRecordWriterConformance/users/") != 1 {
		t.Errorf("want exactly WriteRecord to fail:\n%s", out)
	}
}
