package runner_test

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/rostersync/rostersync/examples/runner"
	"github.com/rostersync/rostersync/mapping"
	"github.com/rostersync/rostersync/syncengine"
	"github.com/rostersync/rostersync/syncengine/syncenginetest"
)

// memProgram is a program on two in-memory connectors: an HR system of n
// people and an empty LMS, matched by email.
func memProgram(n int) *runner.Program {
	return &runner.Program{
		Name: "hr-lms", Summary: "Syncs HR people into an LMS.", Source: "HR", Target: "LMS",
		Nouns: runner.Nouns{Source: "person", Target: "user", Refs: "manager"},
		Fakes: func(fs *flag.FlagSet) func(context.Context) (*runner.Fake, error) {
			return func(context.Context) (*runner.Fake, error) {
				hr := syncenginetest.NewConnector("hr")
				for i := 1; i <= n; i++ {
					hr.Put(syncengine.Users, syncengine.Record{ID: fmt.Sprint(i), Active: true,
						Fields: map[string]any{"email": fmt.Sprintf("p%d@example.com", i)}})
				}
				lms := syncenginetest.NewConnector("lms", syncenginetest.WithFindFold("email"))
				return &runner.Fake{Pair: runner.Pair{About: fmt.Sprintf("seeded with %d people.", n),
					Config: func(*mapping.Map) (syncengine.Config, error) {
						return syncengine.Config{A: hr, B: lms, Direction: syncengine.AToB,
							Collections: []syncengine.CollectionRules{{Collection: syncengine.Users, AToB: syncengine.Rules{
								Create: true, Update: true, Deactivate: true,
								Match: []syncengine.MatchKey{{Field: "email", Fold: true}}}}}}, nil
					}}}, nil
			}
		},
	}
}

// A program is its pair's wiring; Run does the rest. With -report - the
// CSV report is all that goes to stdout.
func Example() {
	code := runner.Run(context.Background(), memProgram(1), []string{"-apply", "-report", "-"}, os.Getenv, os.Stdout, io.Discard)
	fmt.Println("exit", code)
	// Output:
	// hr_id,name,key,lms_id,action,fields,reason
	// 1,,p1@example.com,lms-1,created,email,
	// exit 0
}
