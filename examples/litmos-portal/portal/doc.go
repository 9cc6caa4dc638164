// Package portal is a security-awareness portal's store on SQLite and its
// rostersync connector, written as a platform team would write theirs: the
// sink of jobs.LitmosPlatform in examples/litmos-portal.
//
//	db, err := portal.Open("portal.db", false) // pure-Go SQLite, no C toolchain
//	err = portal.CreateTables(ctx, db)
//	cfg, err := jobs.LitmosPlatform(lms, portal.New(db), jobs.LitmosPlatformOptions{})
//
// Groups are syncengine.Teams records keyed by litmos_team_id (groups the
// portal made itself are not listed, so never touched); users are keyed
// by integration_id, with a "teams" ref naming their groups' teams; courses
// by integration_id. The schema does part of the work: emails are unique
// and compare case-insensitively, group_members follows a renamed group
// or a changed email, and a group a Litmos team takes over loses its old
// members.
package portal
