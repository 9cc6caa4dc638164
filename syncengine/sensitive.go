package syncengine

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"slices"
	"strings"
)

// Sensitive fields (Rules.Sensitive: an SSN, a date of birth) are written
// like any other, but their values never appear where people or logs see
// them unless Config.ShowSensitive is set: plan text, outcomes and
// reports show hiddenValue, mapping errors about them are reworded
// without the value, a vendor error that echoes a value written has it
// blanked, and a two-way link keeps only a hash of the last synced value
// (enough to tell which side changed). The plan's JSON still carries the
// values, since applying a saved plan writes them: keep saved plans
// where the data may be kept.

// hiddenValue stands for a sensitive value.
const hiddenValue = "(hidden: sensitive)"

// syncedHashPrefix marks a last synced value kept as a hash.
const syncedHashPrefix = "sha256:"

// sensitive reports whether field f written into side s of collection c
// is sensitive: named in that direction's Rules.Sensitive, or under a
// nested map so named ("custom_fields" covers "custom_fields.ssn").
func (e *Engine) sensitive(c Collection, s Side, f string) bool {
	cr := e.collRules(c)
	if cr == nil {
		return false
	}
	r := e.rules(cr, s)
	if r == nil {
		return false
	}
	return slices.ContainsFunc(r.Sensitive, func(name string) bool {
		return f == name || strings.HasPrefix(f, name+".")
	})
}

// collRules returns the rules of collection c; nil if it is not synced.
func (e *Engine) collRules(c Collection) *CollectionRules {
	for i := range e.cfg.Collections {
		if e.cfg.Collections[i].Collection == c {
			return &e.cfg.Collections[i]
		}
	}
	return nil
}

// markSensitive flags the sensitive diffs and conflicts of ch.
func (e *Engine) markSensitive(ch *Change) {
	for _, ds := range [][]FieldDiff{ch.Fields, ch.Blocked} {
		for i := range ds {
			d := &ds[i]
			d.Sensitive, d.Hidden = e.sensitive(ch.Collection, d.Side, d.Field), nil
			if d.Sensitive {
				continue
			}
			for _, v := range []any{d.New, d.Old} {
				if m, ok := v.(map[string]any); ok {
					eachLeaf(m, "", func(p string, _ any) {
						if e.sensitive(ch.Collection, d.Side, d.Field+"."+p) && !slices.Contains(d.Hidden, p) {
							d.Hidden = append(d.Hidden, p)
						}
					})
				}
			}
			slices.Sort(d.Hidden)
		}
	}
	for i := range ch.Conflicts {
		ch.Conflicts[i].Sensitive = e.sensitive(ch.Collection, ch.Conflicts[i].Side, ch.Conflicts[i].Field)
	}
}

// mapErrText is a mapping error's text, with the per-field errors about
// sensitive targets of side s ("": either side) reworded so they carry
// no value.
func (e *Engine) mapErrText(c Collection, s Side, err error) string {
	text := err.Error()
	if e.cfg.ShowSensitive {
		return text
	}
	for _, fe := range targetErrors(err) {
		f := fe.FieldTarget()
		if e.sensitive(c, s, f) || s == "" && (e.sensitive(c, SideA, f) || e.sensitive(c, SideB, f)) {
			text = strings.ReplaceAll(text, fe.Error(), "mapping "+f+": the value is not valid "+hiddenValue)
		}
	}
	return text
}

// targetErrors lists the FieldTargetErrors in err's tree.
func targetErrors(err error) []FieldTargetError {
	var fe FieldTargetError
	if errors.As(err, &fe) && err == error(fe) {
		return []FieldTargetError{fe}
	}
	switch u := err.(type) {
	case interface{ Unwrap() []error }:
		var out []FieldTargetError
		for _, x := range u.Unwrap() {
			out = append(out, targetErrors(x)...)
		}
		return out
	case interface{ Unwrap() error }:
		return targetErrors(u.Unwrap())
	}
	return nil
}

// scrub blanks, in text, the sensitive values ch writes or replaces (a
// vendor error may echo what it was sent).
func (e *Engine) scrub(ch *Change, text string) string {
	if e.cfg.ShowSensitive {
		return text
	}
	blank := func(v any) {
		if s := Canonical(v); len(s) >= 3 {
			text = strings.ReplaceAll(text, s, hiddenValue)
		}
	}
	for _, d := range ch.Fields {
		for _, v := range []any{d.New, d.Old} {
			switch {
			case d.Sensitive:
				blank(v)
			case len(d.Hidden) > 0:
				if m, ok := v.(map[string]any); ok {
					for _, p := range d.Hidden {
						blank(fieldAt(m, p))
					}
				}
			}
		}
	}
	return text
}

// hideLeaves returns v with the leaves at paths replaced by hiddenValue,
// copying the maps on the way; v itself is not changed.
func hideLeaves(v any, paths []string) any {
	m, ok := v.(map[string]any)
	if !ok || len(paths) == 0 {
		return v
	}
	out := make(map[string]any, len(m))
	for k, x := range m {
		out[k] = x
	}
	for _, p := range paths {
		head, rest, nested := strings.Cut(p, ".")
		if _, ok := out[head]; !ok {
			continue
		}
		if nested {
			out[head] = hideLeaves(out[head], []string{rest})
		} else {
			out[head] = hiddenValue
		}
	}
	return out
}

// hashSensitive replaces, in a link's last synced values, the values of
// sensitive fields by their hash.
func (e *Engine) hashSensitive(c Collection, synced map[string]string) {
	for k, v := range synced {
		side, f, ok := strings.Cut(k, ".")
		if ok && !strings.HasPrefix(v, syncedHashPrefix) && e.sensitive(c, Side(side), f) {
			synced[k] = syncedHash(v)
		}
	}
}

// syncedForm is how value v of field f on side s is kept as last synced.
func (e *Engine) syncedForm(c Collection, s Side, f, v string) string {
	if e.sensitive(c, s, f) {
		return syncedHash(v)
	}
	return v
}

func syncedHash(v string) string {
	sum := sha256.Sum256([]byte(v))
	return syncedHashPrefix + hex.EncodeToString(sum[:])
}
