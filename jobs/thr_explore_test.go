package jobs_test

import (
	"fmt"
	"testing"

	"github.com/rostersync/rostersync/jobs"
)

func TestTHRExplore(t *testing.T) {
	for _, d := range jobs.Directions() {
		e := newTHREnv(t, d, func(s *thrSetup) { s.training = true })
		p := e.plan(t)
		fmt.Println("=====", d)
		fmt.Println(p)
		hr, lms := e.calls()
		fmt.Println("PLAN hr", counted(hr), "\nlms", counted(lms))
		rep := e.sync(t)
		fmt.Println(rowsText(rep))
		hr, lms = e.calls()
		fmt.Println("SYNC hr", counted(hr), "\nlms", counted(lms))
		p = e.plan(t)
		fmt.Println(p)
		hr, lms = e.calls()
		fmt.Println("PLAN2 hr", counted(hr), "\nlms", counted(lms))
	}
}
