package talenthr_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/rostersync/rostersync/talenthr"
	"github.com/rostersync/rostersync/talenthr/talenthrtest"
)

func TestUnverifiedTerminateEmployee(t *testing.T) {
	srv := talenthrtest.NewServer(t)
	ids := srv.SeedCompany()
	c := srv.NewClient(t)
	p := talenthr.UnverifiedTerminateParams{TerminationDate: talenthr.NewDate(2026, 6, 30), TerminationReasonID: "2", Note: "Moved abroad"}

	// The fake, like the real service as far as anyone knows, has no such route.
	err := c.UnverifiedTerminateEmployee(ctx, ids["engineer"], p)
	if !errors.Is(err, talenthr.ErrUnverifiedCall) || !errors.Is(err, talenthr.ErrNotFound) || !strings.Contains(err.Error(), "(unverified call)") {
		t.Fatalf("err = %v", err)
	}
	if err := c.UnverifiedTerminateEmployee(ctx, ids["engineer"], talenthr.UnverifiedTerminateParams{}); !errors.Is(err, talenthr.ErrUnverifiedCall) ||
		!strings.Contains(err.Error(), "termination_date is required") {
		t.Errorf("no date: %v", err)
	}

	srv.EnableUnverifiedTerminate()
	if err := c.UnverifiedTerminateEmployee(ctx, ids["engineer"], p); err != nil {
		t.Fatal(err)
	}
	if e, _ := srv.Employee(ids["engineer"]); e.TerminationDate != "2026-06-30" || e.TerminationReason != "Moved abroad" {
		t.Errorf("after terminate: %+v", e)
	}
	last := srv.Log().Entries()[len(srv.Log().Entries())-1]
	if got := string(last.Body); got != `{"note":"Moved abroad","termination_date":"2026-06-30","termination_reason_id":2}` {
		t.Errorf("body %s", got)
	}
}
