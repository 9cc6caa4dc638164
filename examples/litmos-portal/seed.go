package main

import (
	"context"
	"database/sql"
	_ "embed"
	"encoding/json"
	"fmt"

	"github.com/rostersync/rostersync/litmos"
	"github.com/rostersync/rostersync/litmos/litmostest"
)

// seedJSON is the fake company, Northwind Robotics: its Litmos account
// and the SQL of what the portal had before Litmos ("about" says which
// case is which).
//
//go:embed seed.json
var seedJSON []byte

type seedFile struct {
	litmostest.Company
	Portal []string `json:"portal"`
}

func seed() *seedFile {
	var s seedFile
	if err := json.Unmarshal(seedJSON, &s); err != nil {
		panic("litmos-portal: seed.json: " + err.Error()) // a file of this package: a bug, caught by every test
	}
	return &s
}

// seedLitmos fills srv with Northwind Robotics, padded to teams teams
// ("Region 0001", … after the cast), and returns how many users it has.
func seedLitmos(srv *litmostest.Server, teams int) int {
	s := seed()
	srv.Seed(&s.Company)
	for i := len(s.Teams); i < teams; i++ {
		srv.AddTeam(litmos.Team{Name: fmt.Sprintf("Region %04d", i-len(s.Teams)+1)})
	}
	return len(s.Users)
}

// seedPortal gives a new portal what it had before Litmos.
func seedPortal(ctx context.Context, db *sql.DB) error {
	for _, q := range seed().Portal {
		if _, err := db.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("seed the portal: %w", err)
		}
	}
	return nil
}
