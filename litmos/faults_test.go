package litmos_test

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/rostersync/rostersync/litmos"
	"github.com/rostersync/rostersync/litmos/litmostest"
	"github.com/rostersync/rostersync/syncengine"
)

// TestFaults: idempotent calls survive server errors, dropped connections
// and lost replies; a create never is retried blindly.
func TestFaults(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name  string
		fault litmostest.Fault
		run   func(*litmos.Client, *litmostest.Server, litmos.User, litmos.Course, litmos.Team) error
		check func(*litmostest.Server, litmos.User, litmos.Course, litmos.Team) bool
	}{
		{"502 on list", litmostest.Fault{Method: "GET", Status: 502, Times: 2},
			func(c *litmos.Client, _ *litmostest.Server, _ litmos.User, _ litmos.Course, _ litmos.Team) error {
				_, err := c.ListUsersPage(ctx, litmos.ListUsersParams{})
				return err
			}, nil},
		{"504 on get", litmostest.Fault{Method: "GET", Status: 504, Times: 1},
			func(c *litmos.Client, _ *litmostest.Server, u litmos.User, _ litmos.Course, _ litmos.Team) error {
				_, err := c.GetUser(ctx, u.ID)
				return err
			}, nil},
		{"dropped get", litmostest.Fault{Method: "GET", Drop: true, Times: 2},
			func(c *litmos.Client, _ *litmostest.Server, u litmos.User, _ litmos.Course, _ litmos.Team) error {
				_, err := c.GetUser(ctx, u.ID)
				return err
			}, nil},
		{"lost PUT reply", litmostest.Fault{Method: "PUT", ApplyThenDrop: true, Times: 1},
			func(c *litmos.Client, _ *litmostest.Server, u litmos.User, _ litmos.Course, _ litmos.Team) error {
				_, err := c.UpdateUser(ctx, u.ID, func(u *litmos.User) error { u.City = "Faro"; return nil })
				return err
			},
			func(s *litmostest.Server, u litmos.User, _ litmos.Course, _ litmos.Team) bool {
				got, _ := s.User(u.ID)
				return got.City == "Faro"
			}},
		{"lost add-members reply", litmostest.Fault{Method: "POST", ApplyThenDrop: true, Times: 1},
			func(c *litmos.Client, _ *litmostest.Server, u litmos.User, _ litmos.Course, tm litmos.Team) error {
				return c.AddTeamMembers(ctx, tm.ID, []string{u.ID}, litmos.MessageParams{})
			},
			func(s *litmostest.Server, u litmos.User, _ litmos.Course, tm litmos.Team) bool {
				return len(s.TeamMembers(tm.ID)) == 1
			}},
		{"lost assign reply", litmostest.Fault{Method: "POST", ApplyThenDrop: true, Times: 1},
			func(c *litmos.Client, _ *litmostest.Server, u litmos.User, co litmos.Course, _ litmos.Team) error {
				return c.AssignCourses(ctx, u.ID, []string{co.ID}, litmos.MessageParams{})
			},
			func(s *litmostest.Server, u litmos.User, _ litmos.Course, _ litmos.Team) bool {
				return len(s.Assignments(u.ID)) == 1 && len(s.Messages()) == 0
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, c := newFake(t)
			u := seedUser(srv, "gus@example.com")
			co := srv.AddCourse(litmos.Course{Code: "X", Name: "X"})
			tm := srv.AddTeam(litmos.Team{Name: "T"})
			srv.AddFault(tt.fault)
			if err := tt.run(c, srv, u, co, tm); err != nil {
				t.Fatalf("%v", err)
			}
			if tt.check != nil && !tt.check(srv, u, co, tm) {
				t.Error("state after the fault is wrong")
			}
		})
	}
}

func TestDroppedCreateIsOutcomeUnknown(t *testing.T) {
	srv, c := newFake(t)
	srv.AddFault(litmostest.Fault{Method: http.MethodPost, Drop: true, Times: 1})
	_, err := c.CreateUser(context.Background(), litmos.User{UserName: "hal@example.com", LastName: "H"}, litmos.CreateUserParams{})
	if !errors.Is(err, litmos.ErrOutcomeUnknown) {
		t.Fatalf("err = %v, want ErrOutcomeUnknown", err)
	}
	if n := srv.Log().Count(litmostest.IsWrite); n != 1 || len(srv.Users()) != 0 {
		t.Errorf("%d POSTs, %d users: a create was retried blindly", n, len(srv.Users()))
	}
}

func TestConnectorUnassignWhoseReplyIsLost(t *testing.T) {
	ctx := context.Background()
	k, srv := newConnector(t)
	u := seedUser(srv, "ida@example.com")
	co := srv.AddCourse(litmos.Course{Code: "X", Name: "X"})
	srv.SetProgress(u.ID, litmos.UserCourse{ID: co.ID})
	srv.AddFault(litmostest.Fault{Method: http.MethodDelete, ApplyThenDrop: true, Times: 1})
	if err := k.SetActive(ctx, syncengine.Enrollments, litmos.EnrollmentID(u.ID, co.ID), false); err != nil {
		t.Fatalf("unassign with a lost reply: %v", err)
	}
	if n := len(srv.Assignments(u.ID)); n != 0 {
		t.Errorf("%d assignments left", n)
	}
}
