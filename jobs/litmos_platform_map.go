package jobs

import (
	"errors"
	"fmt"
	"net/mail"
	"slices"
	"strings"

	"github.com/rostersync/rostersync/mapping"
)

// ValidEmail reports whether s is an email address the Litmos → platform
// job accepts: net/mail parses it as a single address, without a display
// name or angle brackets, whose domain has a dot. Litmos's Email field is used, never the
// UserName in its place.
func ValidEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	if err != nil || a.Name != "" || strings.ContainsAny(s, "<>") || s != strings.TrimSpace(s) {
		return false // not a bare address: a display name, angle brackets, spaces around
	}
	at := strings.LastIndexByte(a.Address, '@')
	return at > 0 && strings.Contains(a.Address[at+1:], ".")
}

// platformUsers is the user map with the job's email rule on top: a user
// whose "email" comes out invalid fails that field, as a required field
// that is missing does, so the user is skipped with a reason naming it.
type platformUsers struct {
	*mapping.Map
	rule   int    // the index of the rule writing "email"
	source string // where it reads from
}

func platformUserMap(m *mapping.Map) (*platformUsers, error) {
	m, err := mapping.PresetOr(m, mapping.PresetLitmosPlatform)
	if err != nil {
		return nil, fmt.Errorf("jobs: LitmosPlatform: %w", err)
	}
	for _, t := range []string{"email", PlatformID} {
		if !slices.Contains(m.Targets(), t) {
			return nil, fmt.Errorf("jobs: LitmosPlatform: the user map %q writes no %q (the job matches users by %s and keeps those with a valid email)",
				m.Name(), t, PlatformID)
		}
	}
	rule := slices.IndexFunc(m.Spec().Rules, func(r mapping.Rule) bool { return r.Target == "email" })
	return &platformUsers{Map: m, rule: rule, source: strings.Join(m.SourceFieldsOf("email"), ", ")}, nil
}

// Apply maps src and checks the email.
func (p *platformUsers) Apply(src map[string]any) (map[string]any, error) {
	out, err := p.Map.Apply(src)
	return out, p.checkMap(out, err)
}

// ApplyTo maps src into dst and checks the email.
func (p *platformUsers) ApplyTo(dst, src map[string]any) error {
	return p.checkMap(dst, p.Map.ApplyTo(dst, src))
}

// OwnsFastPaths reports that ApplyTo and ApplyValues are p's own: they
// check the email as Apply does (syncengine.FastPathOwner).
func (p *platformUsers) OwnsFastPaths(fm any) bool {
	q, ok := fm.(*platformUsers)
	return ok && q == p
}

// ApplyValues maps src into vals and checks the email: the planner maps
// linked users this way (syncengine.FieldMapValues).
func (p *platformUsers) ApplyValues(vals []any, set []bool, src map[string]any) error {
	err := p.Map.ApplyValues(vals, set, src)
	k := p.rule // a rule's values index is its index
	if k < 0 || k >= len(set) || !set[k] {
		return err
	}
	s, _ := vals[k].(string)
	bad, err := p.check(s, err)
	if bad {
		vals[k], set[k] = nil, false
	}
	return err
}

func (p *platformUsers) checkMap(out map[string]any, err error) error {
	s, _ := out["email"].(string)
	bad, err := p.check(s, err)
	if bad {
		delete(out, "email")
	}
	return err
}

// check adds a field error for s, the mapped email, when it is not a
// valid address: bad says the email must then be left out.
func (p *platformUsers) check(s string, err error) (bad bool, _ error) {
	if s == "" || ValidEmail(s) {
		return false, err
	}
	var es mapping.Errors
	if err != nil && !errors.As(err, &es) {
		return false, err // not the map's field errors: leave them as they are
	}
	return true, append(es, &mapping.FieldError{Map: p.Name(), Rule: p.rule, Target: "email", Source: p.source,
		Value: fmt.Sprintf("%q", s), Step: "valid email", Err: errors.New("not one address whose domain has a dot")})
}
