package jobs

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync/atomic"

	"github.com/rostersync/rostersync/litmos"
	"github.com/rostersync/rostersync/syncengine"
)

// A platform group whose auto_sync field is false is paused: the
// Litmos → platform job leaves its team, its group and the memberships of
// the platform users in it as they are (unless the team is chosen).

// paused tells, for each run, which teams the sink has paused and which
// users it holds only through them.
type paused struct {
	lms    *litmos.Client
	sink   syncengine.Connector
	chosen []string
	held   atomic.Pointer[map[string]bool] // Litmos ids of platform users in a paused team
}

// teams is the Litmos connector's ExcludeTeams: the teams whose groups the
// sink has paused (auto_sync false), less the chosen ones. It reads the
// sink's groups, and, when some are paused, their rosters and the sink's
// users, so that a platform user in a paused team is left as they are
// rather than taken for one who left every synced team.
func (p *paused) teams(ctx context.Context) ([]string, error) {
	var ids []string
	for g, err := range p.sink.List(ctx, syncengine.Teams) {
		if err != nil {
			return nil, fmt.Errorf("read %s groups: %w", p.sink.Name(), err)
		}
		id, _ := g.Fields[PlatformTeamID].(string)
		if on, set := g.Fields[PlatformAutoSync].(bool); set && !on && id != "" && !slices.Contains(p.chosen, id) {
			ids = append(ids, id)
		}
	}
	held := map[string]bool{}
	if len(ids) > 0 {
		in := map[string]bool{}
		for _, team := range ids {
			for m, err := range p.lms.ListTeamMembers(ctx, team, litmos.ListParams{}) {
				if errors.Is(err, litmos.ErrNotFound) {
					break // the team is gone: no one is held by it
				}
				if err != nil {
					return nil, err
				}
				in[m.ID] = true
			}
		}
		for u, err := range p.sink.List(ctx, syncengine.Users) {
			if err != nil {
				return nil, fmt.Errorf("read %s users: %w", p.sink.Name(), err)
			}
			if id, _ := u.Fields[PlatformID].(string); in[id] {
				held[id] = true
			}
		}
	}
	p.held.Store(&held)
	return ids, nil
}

// inScope scopes users: active ones in a synced team, or held by a paused
// one; inactive ones flow too, so that a user deactivated in Litmos is
// deactivated (Litmos lists no memberships for them).
func (p *paused) inScope(r syncengine.Record) bool {
	if !r.Active || len(r.Refs[syncengine.RoleTeams]) > 0 {
		return true
	}
	held := p.held.Load()
	return held != nil && (*held)[r.ID]
}
